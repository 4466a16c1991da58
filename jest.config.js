'use strict';
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/**
 * Three projects: `unit` (pure modules: no servers, databases, browsers or child processes; runs in
 * seconds: `npm run test:unit`), `integration` (everything else under middleware/, scripts/ and the
 * workspace packages in packages/), and
 * `lwc` (the Lightning web component in jsdom). `npm test` runs all three.
 * A new test is an integration test unless its file or folder is listed here.
 */
const UNIT_TESTS = [
  'middleware/test/calls/call-fates.test.ts',
  'middleware/test/calls/caller-lookup.test.ts',
  'middleware/test/calls/pipeline-in-memory.test.ts',
  'middleware/test/config.test.ts',
  'middleware/test/domain/',
  'middleware/test/folder-imports.test.ts',
  'middleware/test/salesforce/budget.test.ts',
  'middleware/test/salesforce/deploy-plan.test.ts',
  'middleware/test/join/commit.test.ts',
  'middleware/test/join/diff.test.ts',
  'middleware/test/salesforce/soql.test.ts',
  'middleware/test/server/pages.test.ts',
  'middleware/test/server/session-cookie.test.ts',
  'middleware/test/store/group-commit.test.ts',
  'middleware/test/vendors/adapters.test.ts',
  'middleware/test/web/panel-data.test.ts',
  'packages/local-org/test/ids.test.ts',
  'scripts/bench/report.test.ts',
  'scripts/model/',
];

// Type checking is `npm run typecheck`'s job: jest only transpiles (tsconfig.jest.json: isolatedModules).
const typescript = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // Tests run the workspace packages' sources (as tsconfig.json's paths do), so no build comes first.
  moduleNameMapper: { '^@call-touchpoints/(local-org|pubsub-codec)$': '<rootDir>/packages/$1/src' },
};
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  // Integration tests start real servers (local org, Chromium): a generous per-test ceiling.
  testTimeout: 60000,
  projects: [
    {
      ...jestConfig,
      displayName: 'lwc',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      testPathIgnorePatterns: ['/node_modules/', '/.localdevserver/'],
      // Keep the preset's own setup (synthetic shadow, wire adapter registry), then ours.
      setupFilesAfterEnv: [
        ...jestConfig.setupFilesAfterEnv,
        '<rootDir>/jest.sa11y.setup.js',
        '<rootDir>/jest.labels.setup.js',
      ],
    },
    {
      ...typescript,
      displayName: 'unit',
      testMatch: UNIT_TESTS.map((p) => `<rootDir>/${p}${p.endsWith('/') ? '**/*.test.ts' : ''}`),
    },
    {
      ...typescript,
      displayName: 'integration',
      roots: ['<rootDir>/middleware', '<rootDir>/scripts', '<rootDir>/packages'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...UNIT_TESTS.map((p) => `^${escape(`${__dirname}/${p}`)}`)],
    },
  ],
};
