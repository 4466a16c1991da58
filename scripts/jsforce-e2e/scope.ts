/**
 * Which of jsforce's e2e tests are "in scope" for the local org: those exercising an API the local org serves
 * (packages/local-org/README.md, "What it speaks"): OAuth, REST sObjects / collections / SOQL / describe /
 * limits, Bulk API 2.0, Metadata SOAP CRUD, Partner SOAP login. Everything else is listed here with the
 * reason; tests that never reach an org (jsforce's own unit tests) are counted apart as "offline".
 */
export interface ScopeRule {
  /** A test's full name (describe + it) matching this is out of scope for the reason given. */
  test: RegExp;
  reason: string;
  /** Only in these files (default: every file). */
  files?: string[];
}

/** Files that import bulk.test.ts's insertAccounts(), and with it run bulk.test.ts's Bulk API 1.0 tests. */
const IMPORT_BULK_TEST = ['connection-crud.test.ts', 'query.test.ts'];

/** Whole files outside the local org's APIs. */
export const OUT_OF_SCOPE_FILES: Record<string, string> = {
  'analytics.test.ts': 'Reports and Dashboards REST API',
  'apex.test.ts': 'Apex REST (needs Apex execution)',
  'bulk.test.ts': 'Bulk API 1.0',
  'chatter.test.ts': 'Connect (Chatter) REST API',
  'process.test.ts': 'process rules and approvals',
  'quick-action.test.ts': 'quick actions',
  'soap.test.ts':
    'SOAP API calls other than login (describeTabs, merge, undelete); its convertLead tests first read Lead.Status through Metadata API 37.0',
  'streaming.test.ts': 'Streaming API (CometD PushTopics)',
  'tooling.test.ts': 'Tooling API',
};

/** Files that never reach the org (jsforce's unit tests): reported, not counted. */
export const OFFLINE_FILES = new Set([
  'body-size.test.ts',
  'cache.test.ts',
  'http-api.test.ts',
  'jwt-util.test.ts',
  'query-pagination.mock.test.ts',
  'soql-builder.test.ts',
]);

/** Single tests out of scope inside files that are otherwise in. */
export const OUT_OF_SCOPE_TESTS: ScopeRule[] = [
  // bulk.test.ts's tests run again inside every file that imports its insertAccounts().
  {
    test: /^should (bulk (insert|update|delete|query)|call bulk api)/,
    reason: 'Bulk API 1.0 (bulk.test.ts, imported for insertAccounts)',
    files: IMPORT_BULK_TEST,
  },
  {
    test: /^should (update|delete) queried records using Query#(update|destroy)(, with allowBulk = false)?,? and return (updated records|deleted status)$/,
    reason: 'seeds its records with Bulk API 1.0 (insertAccounts)',
    files: ['query.test.ts'],
  },
  { test: /explain/, reason: 'query plan (explain) resource' },
  { test: /^search /, reason: 'SOSL search' },
  { test: /layout|list view|list views/, reason: 'UI layouts and list views' },
  {
    test: /^recent records should (access|get recently|get updated|get deleted)/,
    reason: 'recently viewed, updated/deleted resources',
  },
  { test: /^misc metadata /, reason: 'tabs and theme resources' },
  { test: /^identity /, reason: 'asserts an https identity URL; the local org serves http' },
  { test: /^REST API deploy|^deployRecentValidation/, reason: 'Metadata REST deploy resource' },
  {
    test: /^file based call /,
    reason: 'deploys an Apex trigger and expects its test to run, then retrieves the package it created',
  },
  { test: /^oauth2 refresh /, reason: 'OAuth web server flow (a browser at the login page)' },
];

export type Scope = { in: true } | { in: false; offline: boolean; reason: string };

export function scopeOf(file: string, fullName: string): Scope {
  if (OFFLINE_FILES.has(file)) return { in: false, offline: true, reason: 'offline' };
  if (OUT_OF_SCOPE_FILES[file]) return { in: false, offline: false, reason: OUT_OF_SCOPE_FILES[file] };
  const rule = OUT_OF_SCOPE_TESTS.find((r) => (!r.files || r.files.includes(file)) && r.test.test(fullName));
  return rule ? { in: false, offline: false, reason: rule.reason } : { in: true };
}
