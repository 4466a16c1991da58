import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import type { JoinSummary } from '../../src/join';
import { startJoinWatch } from '../../src/join';
import type { Store } from '../../src/store';
import { createTasks, taskInputs, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

describe('join watch: one run at a time, triggers queue one more run', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;

  beforeAll(async () => {
    session = await joinSession('ct-watch-');
    ({ org, conn, gateway, store } = session);
    await createTasks(conn, taskInputs());
  });
  afterAll(() => session?.close());

  it('serializes runs and picks up a Task written right before a trigger', async () => {
    const summaries: JoinSummary[] = [];
    org.setFaults({ latencyMs: 30 }); // keeps the first run busy while we trigger
    const watch = startJoinWatch(
      { gateway, store },
      { intervalMs: 3_600_000, onSummary: (s) => summaries.push(s) },
    );
    try {
      // The first run starts at once; two triggers during it share one queued run.
      const a = watch.trigger();
      const b = watch.trigger();
      expect(a).toBe(b);
      await a;
      expect(summaries).toHaveLength(2);
      expect(summaries[0].written.tasks).toBe(5);
      expect(summaries[1].written.tasks).toBe(0);

      // A vendor webhook writes a Task, then triggers: the run that answers includes it.
      org.clearFaults();
      await createTasks(conn, [
        {
          Subject: 'webhook call',
          Type: 'Call',
          BizibleId__c: V.organic,
          Call_Started_At__c: '2026-03-10T12:06:00.000Z',
        },
      ]);
      const s = await watch.trigger();
      expect(s.written.tasks).toBeGreaterThanOrEqual(1);
      const [t] = await gateway.query<any>(
        "SELECT Call_Join_Status__c FROM Task WHERE Subject = 'webhook call'",
      );
      expect(t.Call_Join_Status__c).toBe('Merged');
    } finally {
      org.clearFaults();
      await watch.stop();
    }
    await expect(watch.trigger()).rejects.toThrow(/stopped/);
  });
});
