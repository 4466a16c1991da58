'use strict';
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

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
      displayName: 'middleware',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/middleware', '<rootDir>/scripts'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
    },
  ],
};
