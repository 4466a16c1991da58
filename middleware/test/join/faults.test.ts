import { generateCalls } from '../../../scripts/bench-api-cost';
import { simulate } from '../../src/cli/commands/simulate';
import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { runJoinOnce, type JoinSummary } from '../../src/join';
import type { Store } from '../../src/store';
import { createTasks, expectOrgMatchesPlan, tasksNdjson } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';
import { note } from '../note';

jest.setTimeout(120_000);

describe('join with 20% of requests failing (fault injection in the local org)', () => {
  let session: JoinSession;
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  const data = generateCalls(0, 450); // more than two collection batches per object

  beforeAll(async () => {
    session = await joinSession('ct-faults-', { events: data.events });
    ({ org, conn, gateway, store } = session);
    await createTasks(conn, data.tasks);
  });
  afterAll(() => session?.close());

  it('completes with the same records a clean run writes: no loss, no duplicate touchpoints', async () => {
    org.setFaults({ errorRate503: 0.2, lockRowRate: 0.2, seed: 42 });
    const runs: JoinSummary[] = [];
    let retried = 0;
    for (let i = 0; i < 6; i++) {
      const s = await runJoinOnce({ gateway, store });
      runs.push(s);
      if (s.failed.length === 0) break;
      retried += s.failed.length;
    }
    const requestsWithFaults = runs.reduce((n, s) => n + s.apiRequests, 0);
    org.clearFaults();
    expect(runs[runs.length - 1].failed).toEqual([]);
    // The faults really happened: retries cost requests beyond a clean run's 1 read + 2 composite
    // writes (≈1,300 records, up to 1,000 per composite request).
    expect(requestsWithFaults).toBeGreaterThan(1 + 2);
    note(
      `fault run(s): ${runs.length}, records retried on a later run: ${retried}, API requests: ${requestsWithFaults}`,
    );

    // Converged: a clean run finds nothing left to write.
    const after = await runJoinOnce({ gateway, store });
    expect(after.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });

    const result = simulate({
      events: {
        name: 'events',
        text: data.events
          .map((e) =>
            JSON.stringify({ ...e, receivedAt: new Date(e.receivedAt).toISOString(), clientTime: null }),
          )
          .join('\n'),
      },
      tasks: { name: 'tasks', text: await tasksNdjson(gateway) },
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    await expectOrgMatchesPlan(gateway, result.plan);
    const keys = (
      await gateway.query<{ Touchpoint_Key__c: string }>('SELECT Touchpoint_Key__c FROM Touchpoint__c')
    ).map((r) => r.Touchpoint_Key__c);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(result.plan.touchpoints.length);
  });
});
