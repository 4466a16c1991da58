// `npm run lint`. Three kinds of code, three rule sets:
// - TypeScript (middleware/, scripts/, the workspace packages in packages/): typescript-eslint's recommended
//   rules plus the few type-aware rules that catch real bugs here (a promise nobody awaits loses its error;
//   an async function where a callback's return is ignored, e.g. an EventEmitter listener, rejects
//   unhandled). The full recommendedTypeChecked set is left out: its no-unsafe-* rules flag every
//   jsforce/SOAP `any` without finding bugs.
// - The Lightning web component (force-app/**/lwc): Salesforce's @salesforce/eslint-config-lwc recommended
//   config, which already includes eslint-plugin-jest's recommended rules for the component's jest tests.
// - Plain JavaScript (the tracking snippet, the panel preview's entry and stand-ins, bin/, jest setup).
import { defineConfig } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';

export default defineConfig([
  { ignores: ['node_modules/', '**/dist/', 'coverage/', '.data/', '.sfdx/', '.sf/', '.localdevserver/'] },

  {
    files: ['middleware/**/*.ts', 'scripts/**/*.ts', 'packages/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      // Type information from the nearest tsconfig.json (the root's, or a package's), which includes the file.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `import type` says at a glance that an import costs nothing at run time and cannot form a cycle;
      // the tree already writes it that way almost everywhere.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `_name` marks a parameter or binding kept on purpose (a callback's signature, a rest-spread omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    // Issue 26: a function longer than a screen is a sign it does several jobs. Warn from 80 lines
    // (blank lines and comments not counted); the product code, not the tests' describe blocks.
    files: ['middleware/src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // …and none may pass 120 (issue 26). One rule takes one setting per file, so the error is ESLint's
    // same rule registered a second time under `limits/`. The snippet counts too; its outer IIFE is
    // the script's module wrapper, which the rule leaves out by default (`IIFEs: false`).
    files: ['middleware/src/**/*.ts', 'middleware/src/tracking/snippet.js'],
    plugins: { limits: { rules: { 'max-lines-per-function': builtinRules.get('max-lines-per-function') } } },
    rules: {
      'limits/max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },

  {
    // Tests read raw wire payloads (SOAP, REST, Bulk answers) field by field; typing each one adds nothing.
    files: ['middleware/test/**/*.ts', 'scripts/**/*.test.ts', 'packages/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    files: ['force-app/**/lwc/**/*.js', 'force-app/test/**/*.js'],
    extends: [lwcConfig.configs.recommended],
  },
  {
    // The component's jest tests (sfdx-lwc-jest) and their shared support run in Node and register wire
    // adapters by hand.
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
      // Fake timers are advanced one step at a time, each step's promises settled before the next.
      'no-await-in-loop': 'off',
    },
  },

  {
    files: ['middleware/src/tracking/snippet.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
    // ES5 for old browsers: a catch clause must name its error even when it ignores it.
    rules: { 'no-unused-vars': ['error', { caughtErrorsIgnorePattern: '^_' }] },
  },
  {
    files: ['middleware/src/web/panel-preview/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['bin/**/*.js', '*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['jest.*.setup.js'],
    languageOptions: { globals: { ...globals.jest } },
  },
]);
