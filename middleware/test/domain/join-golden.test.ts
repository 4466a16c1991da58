import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { planJoin, type JoinPlan } from '../../src/domain';
import { randomJoinCases } from './random-join-input';

/**
 * planJoin against a recorded plan: the fixture holds the output of the engine as it was before
 * its performance work (2,000 seeded random visitors, two configurations), so any optimization
 * must reproduce it record for record. Regenerate only for an intended change of behaviour:
 *   UPDATE_JOIN_GOLDEN=1 npx jest middleware/test/domain/join-golden.test.ts --selectProjects middleware
 */
const FIXTURE = join(__dirname, 'fixtures', 'join-golden.json.br');

type Golden = Record<string, JoinPlan>;

const cases = randomJoinCases();

if (process.env.UPDATE_JOIN_GOLDEN === '1') {
  const golden: Golden = {};
  for (const c of cases) golden[c.name] = planJoin(c.input);
  mkdirSync(join(__dirname, 'fixtures'), { recursive: true });
  // Brotli with a large window: the two plans share most records (~190 KB instead of 10 MB).
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 };
  writeFileSync(FIXTURE, brotliCompressSync(JSON.stringify(golden), { params }));
  console.log(`wrote ${FIXTURE}`);
}

const golden = JSON.parse(brotliDecompressSync(readFileSync(FIXTURE)).toString('utf8')) as Golden;

describe('planJoin reproduces the recorded plan of a seeded random input', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const expected = golden[name];
    expect(expected).toBeDefined();
    // A JSON round trip: the plan is what simulate prints and the writer sends.
    const actual = JSON.parse(JSON.stringify(planJoin(c.input))) as JoinPlan;
    expect(actual.summary).toEqual(expected.summary);
    // Record by record, so a failure names the first differing record instead of diffing megabytes.
    for (const kind of ['webSessions', 'touchpoints', 'tasks'] as const) {
      expect(actual[kind].length).toBe(expected[kind].length);
      for (let i = 0; i < expected[kind].length; i++)
        if (JSON.stringify(actual[kind][i]) !== JSON.stringify(expected[kind][i]))
          expect({ kind, i, record: actual[kind][i] }).toEqual({ kind, i, record: expected[kind][i] });
    }
  });

  test('the input exercises the cases that matter', () => {
    const plan = golden[cases[0].name];
    expect(plan.summary.merged).toBeGreaterThan(200);
    expect(plan.summary.standalone).toBeGreaterThan(200);
    expect(plan.summary.missingId).toBeGreaterThan(20);
    const statuses = new Set(plan.tasks.map((t) => t.Call_Join_Status__c));
    expect([...statuses].sort()).toEqual(['Merged', 'Missing BizibleId', 'Pending', 'Standalone']);
    const positions = new Set(plan.touchpoints.map((t) => t.Position__c));
    for (const p of ['FT', 'LC', 'FT, LC', 'PostLC', null]) expect(positions).toContain(p);
    const types = new Set(plan.touchpoints.map((t) => t.Touchpoint_Type__c));
    for (const t of ['Web Visit', 'Web Form', 'Call', 'Phone Call', 'Email']) expect(types).toContain(t);
    expect(plan.tasks.some((t) => /Linked to the session's existing/.test(t.Call_Join_Detail__c))).toBe(true);
    expect(plan.tasks.some((t) => /before its first page view/.test(t.Call_Join_Detail__c))).toBe(true);
    expect(plan.tasks.some((t) => /never tracked/.test(t.Call_Join_Detail__c))).toBe(true);
    const custom = golden[cases[1].name];
    expect(custom.touchpoints.some((t) => t.Channel__c === 'Phone')).toBe(true);
  });
});
