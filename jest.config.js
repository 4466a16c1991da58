'use strict';
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/**
 * Three projects: `unit` (pure modules: no servers, databases, browsers or child processes; runs in
 * seconds: `npm run test:unit`), `integration` (everything else under middleware/, scripts/ and the
 * workspace packages in packages/), and `lwc` (the Lightning web components in jsdom). `npm test`
 * runs all three. The file name decides (issue 26): `*.unit.test.ts` is a unit test, any other
 * `*.test.ts` an integration test.
 */
const UNIT = '**/*.unit.test.ts';

// Type checking is `npm run typecheck`'s job: jest only transpiles (tsconfig.jest.json: isolatedModules).
const typescript = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  // Tests run the workspace packages' sources (as tsconfig.json's paths do), so no build comes first.
  moduleNameMapper: { '^@call-touchpoints/(local-org|pubsub-codec)$': '<rootDir>/packages/$1/src' },
};

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
        '<rootDir>/jest.lwc.setup.js',
      ],
      // The tests' shared mount and queries (lwc-recipes keeps its jest support in force-app/test/ too).
      moduleNameMapper: { '^test/lwc$': '<rootDir>/force-app/test/jest/lwc.js' },
    },
    {
      ...typescript,
      displayName: 'unit',
      roots: ['<rootDir>/middleware', '<rootDir>/scripts', '<rootDir>/packages'],
      testMatch: [UNIT],
    },
    {
      ...typescript,
      displayName: 'integration',
      roots: ['<rootDir>/middleware', '<rootDir>/scripts', '<rootDir>/packages'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.unit\\.test\\.ts$'],
    },
  ],
};
