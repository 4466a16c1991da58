import fs from 'node:fs';
import path from 'node:path';

/**
 * Issue 17: Salesforce is reached through one door, the SalesforcePort (src/salesforce/port.ts).
 * Only the port's own files (the connection it authenticates and the gateway that implements it)
 * may import jsforce (the local org, a stand-in for Salesforce, is its own package in packages/). Type-only
 * imports count too: a module that names jsforce's Connection is a module that was handed one.
 */
const SRC = path.join(__dirname, '..', '..', 'src');
const ALLOWED = new Set(['salesforce/connection.ts', 'salesforce/gateway.ts', 'salesforce/port.ts']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

/** `import … from 'jsforce'`, `import type …`, `export … from`, `require('jsforce/…')`, `import('jsforce')`. */
const JSFORCE = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s*)['"]jsforce(?:\/[^'"]*)?['"]/m;

describe('one Salesforce port', () => {
  it('no module outside the port imports jsforce', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
      .filter((rel) => !ALLOWED.has(rel))
      .filter((rel) => JSFORCE.test(fs.readFileSync(path.join(SRC, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the product loads the local org only when it runs one (no static import of its code)', () => {
    // Issue 26: a process with a real org configured never loads the stand-in. Type-only imports
    // and `await import(…)` where the local org is started are fine.
    const STATIC =
      /(?:^\s*import\s+(?!type\b)[^;]*?\bfrom\s*|\brequire\s*\(\s*)['"]@call-touchpoints\/local-org['"]/m;
    expect(STATIC.test("import { startLocalOrg } from '@call-touchpoints/local-org';")).toBe(true);
    expect(STATIC.test("import type { LocalOrg } from '@call-touchpoints/local-org';")).toBe(false);
    const offenders = sourceFiles(SRC)
      .filter((f) => STATIC.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('the scan recognises every form of import', () => {
    for (const line of [
      "import { Connection } from 'jsforce';",
      "import type { Connection } from 'jsforce';",
      'import jsforce from "jsforce";',
      "export type { Record } from 'jsforce';",
      "const { Connection } = require('jsforce');",
      "const http = await import('jsforce/lib/http-api');",
      "import 'jsforce';",
    ])
      expect(JSFORCE.test(line)).toBe(true);
    expect(JSFORCE.test('// jsforce retries GET/PUT/DELETE on 5xx by itself')).toBe(false);
  });
});
