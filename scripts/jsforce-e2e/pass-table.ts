/**
 * The per-file pass table of a jsforce e2e run (jest --json output), split by scope (scope.ts):
 *
 *   node dist/scripts/jsforce-e2e/pass-table.js results.json
 *
 * Prints a Markdown table and the failing in-scope tests; exits 1 when one failed or a file did not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scopeOf } from './scope';

interface JestResults {
  testResults: {
    name: string;
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as JestResults;
const rows: string[] = [];
const failures: string[] = [];
const total = { pass: 0, in: 0, out: 0, offline: 0, offlinePass: 0 };
for (const file of [...results.testResults].sort((a, b) => a.name.localeCompare(b.name))) {
  const name = path.basename(file.name);
  const count = { pass: 0, in: 0, out: 0, offline: 0, offlinePass: 0 };
  const reasons = new Set<string>();
  for (const t of file.assertionResults) {
    if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') continue; // skipped at the release commit
    const scope = scopeOf(name, t.fullName);
    const passed = t.status === 'passed';
    if (scope.in) {
      count.in++;
      if (passed) count.pass++;
      else
        failures.push(
          `${name}: ${t.fullName} — ${(t.failureMessages[0] ?? '').split('\n')[0].slice(0, 160)}`,
        );
    } else if (scope.offline) {
      count.offline++;
      if (passed) count.offlinePass++;
    } else {
      count.out++;
      reasons.add(scope.reason);
    }
  }
  if (!file.assertionResults.length) {
    const scope = scopeOf(name, '');
    if (scope.in)
      failures.push(`${name}: did not run — ${file.message.split('\n').find((l) => l.trim()) ?? ''}`);
    reasons.add(scope.in ? 'did not run' : scope.reason);
  }
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += count[k];
  const offline = count.offline ? `${count.offlinePass}/${count.offline}` : '';
  rows.push(
    `| ${name} | ${count.in ? `${count.pass}/${count.in}` : ''} | ${count.out || ''} | ${offline} | ${[...reasons].join('; ')} |`,
  );
}
console.log('| file | in scope: passed | out of scope | offline: passed | out of scope because |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log(
  `| **total** | **${total.pass}/${total.in}** | ${total.out} | ${total.offlinePass}/${total.offline} | |`,
);
if (failures.length) {
  console.log(`\nIn scope and failing (${failures.length}):`);
  for (const f of failures) console.log(`- ${f}`);
  process.exit(1);
}
