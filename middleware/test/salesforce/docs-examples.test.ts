import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../src/cli/commands/simulate';
import { callTime, parseEventLines, type TaskRecord } from '../../src/domain';
import { runJoinOnce } from '../../src/join';
import { createStore } from '../../src/store';
import { createTasks, expectOrgMatchesPlan, tasksNdjson } from './fixtures';
import { localOrgSession } from './helpers';

jest.setTimeout(120_000);

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'docs', 'examples');
/** Every events file with its Tasks file: `events.ndjson` ↔ `tasks.ndjson`, `x-events.ndjson` ↔ `x-tasks.ndjson`. */
const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ndjson'));
const pairs = files
  .filter((f) => f.includes('events'))
  .map((f) => [f, f.replace('events', 'tasks')] as const);

/** What can be created through the API: not Id, CreatedDate (set by the org) or WhoId (no such Lead here). */
function creatable(t: TaskRecord): Record<string, unknown> {
  const at = callTime(t);
  return {
    Subject: t.Subject,
    Type: t.Type ?? null,
    TaskSubtype: t.TaskSubtype ?? null,
    CallType: t.CallType ?? null,
    CallDurationInSeconds: t.CallDurationInSeconds ?? null,
    BizibleId__c: t.BizibleId__c ?? null,
    // The org sets CreatedDate to now: keep the documented call time (R3) in the call-start field.
    Call_Started_At__c: at === null ? null : new Date(at).toISOString(),
  };
}

describe('simulate prints exactly what join writes, for every file in docs/examples', () => {
  it('pairs every example file', () => {
    expect(pairs.length).toBeGreaterThan(0);
    expect(new Set(pairs.flat())).toEqual(new Set(files));
  });

  it.each(pairs)('%s + %s: the org holds, record by record, what simulate printed', async (events, tasks) => {
    const { org, conn, gateway } = await localOrgSession({ preload: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-examples-'));
    const store = await createStore({ dataDir: dir });
    try {
      const eventsText = fs.readFileSync(path.join(EXAMPLES, events), 'utf8');
      await store.appendEvents(parseEventLines(eventsText, events));
      const fileTasks = fs
        .readFileSync(path.join(EXAMPLES, tasks), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as TaskRecord);
      await createTasks(conn, fileTasks.map(creatable));

      const summary = await runJoinOnce({ gateway, store });
      expect(summary.failed).toEqual([]);

      // simulate over the same events and the Tasks as the org returns them (its Ids).
      const result = simulate({
        events: { name: events, text: eventsText },
        tasks: { name: tasks, text: await tasksNdjson(gateway) },
      });
      if (!result.ok) throw new Error(result.errors.join('\n'));
      expect(result.plan.touchpoints.length).toBeGreaterThan(0);
      expect(summary.written.touchpoints).toBe(result.plan.touchpoints.length);
      expect(summary.written.webSessions).toBe(result.plan.webSessions.length);
      await expectOrgMatchesPlan(gateway, result.plan);
    } finally {
      await store.close();
      await org.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
