import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { runJoinOnce, type JoinSummary } from '../../src/join';
import { startJoinWatch, type JoinWatch } from '../../src/join';
import type { Store } from '../../src/store';
import { BASE, createTasks, trackedEvents, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

const MIN = 60_000;
const NO_CALLS = 'a00000000000000000000000000000ff';

/** Polls `check` until it returns a value (bounded: fails the test after 15 s). */
async function eventually<T>(check: () => Promise<T | null>, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await check();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('R11: a session that arrives after its call was joined re-plans that visitor', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;
  let watch: JoinWatch;
  const summaries: JoinSummary[] = [];
  let taskId: string;

  const task = async () =>
    (
      await conn.conn.query<{
        Call_Join_Status__c: string;
        Call_Touchpoint__r: { Touchpoint_Key__c: string } | null;
      }>(`SELECT Call_Join_Status__c, Call_Touchpoint__r.Touchpoint_Key__c FROM Task WHERE Id = '${taskId}'`)
    ).records[0];
  const touchpoints = async () =>
    (
      await conn.conn.query<{ Touchpoint_Key__c: string }>(
        `SELECT Touchpoint_Key__c FROM Touchpoint__c WHERE BizibleId__c = '${V.lateSession}'`,
      )
    ).records.map((r) => r.Touchpoint_Key__c);

  beforeAll(async () => {
    session = await joinSession('ct-join-late-');
    ({ org, conn, gateway, store } = session);
    [taskId] = await createTasks(conn, [
      {
        Subject: 'Call before its page views reached us',
        Type: 'Call',
        BizibleId__c: V.lateSession,
        Call_Started_At__c: new Date(BASE + 60 * MIN).toISOString(),
      },
    ]);
    // The call is joined while the visitor's session is not in the store yet.
    const first = await runJoinOnce({ gateway, store });
    expect(first.standalone).toBeGreaterThanOrEqual(1);
    watch = startJoinWatch(
      { gateway, store },
      { intervalMs: 3_600_000, batchDelayMs: 100, onSummary: (s) => summaries.push(s) },
    );
    await watch.trigger(); // the watch's first run: nothing changed since
  });
  afterAll(async () => {
    await watch?.stop();
    await session?.close();
  });

  it('the Task stays Standalone until its session arrives, then becomes Merged without a duplicate', async () => {
    expect((await task()).Call_Join_Status__c).toBe('Standalone');
    expect(await touchpoints()).toEqual([`tp:call:${taskId}`]);

    // The session's page views land now (the beacon was slower than the vendor webhook).
    const appended = await store.appendEvents(
      trackedEvents([
        {
          type: 'page_view',
          visitorId: V.lateSession,
          url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=late',
          referrer: 'https://www.google.com/',
          receivedAt: new Date(BASE + 50 * MIN).toISOString(),
        },
      ]),
    );
    expect(appended.visitorsTouched).toEqual([V.lateSession]);
    watch.visitorsChanged(appended.visitorsTouched);

    const merged = await eventually(async () => {
      const t = await task();
      return t.Call_Join_Status__c === 'Merged' ? t : null;
    }, 'the Task to be Merged');
    const keys = await touchpoints();
    // One touchpoint: the session's; the standalone one was deleted, not left beside it.
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(`tp:call:${taskId}`);
    expect(merged.Call_Touchpoint__r?.Touchpoint_Key__c).toBe(keys[0]);
    const replan = summaries[summaries.length - 1];
    expect(replan.written).toMatchObject({ touchpoints: 1, tasks: 1, deleted: 1 });
    // Its cost: the visitor's Tasks read by Id, and one composite request for all the writes.
    expect(replan.apiRequests).toBe(2);

    // Re-planning again finds nothing to write: one Task read by Id, no write request.
    const before = gateway.requestCount();
    const again = await watch.trigger({ visitorIds: [V.lateSession] });
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    expect(gateway.requestCount() - before).toBe(1);
    expect(await touchpoints()).toEqual(keys);
  });

  it('a re-plan the org refused is kept for the next run', async () => {
    const visitor = 'a0000000000000000000000000000006';
    const [id] = await createTasks(conn, [
      {
        Subject: 'Call',
        Type: 'Call',
        BizibleId__c: visitor,
        Call_Started_At__c: new Date(BASE + 60 * MIN).toISOString(),
      },
    ]);
    expect((await watch.trigger([id])).standalone).toBe(1);
    const appended = await store.appendEvents(
      trackedEvents([
        {
          type: 'page_view',
          visitorId: visitor,
          url: 'https://www.example.com/',
          referrer: null,
          receivedAt: new Date(BASE + 50 * MIN).toISOString(),
        },
      ]),
    );
    org.setFaults({ requestLimitExceeded: true });
    try {
      await expect(watch.trigger({ visitorIds: appended.visitorsTouched })).rejects.toThrow();
    } finally {
      org.clearFaults();
    }
    // The Task did not change, so only the kept visitor brings the re-plan into the next (timer) run.
    const next = await watch.trigger();
    expect(next.merged).toBe(1);
    const status = await conn.conn.query<{ Call_Join_Status__c: string }>(
      `SELECT Call_Join_Status__c FROM Task WHERE Id = '${id}'`,
    );
    expect(status.records[0].Call_Join_Status__c).toBe('Merged');
  });

  it('page views of a visitor without calls cost no API request', async () => {
    const before = gateway.requestCount();
    const runs = summaries.length;
    const appended = await store.appendEvents(
      trackedEvents([
        {
          type: 'page_view',
          visitorId: NO_CALLS,
          url: 'https://www.example.com/',
          referrer: null,
          receivedAt: new Date(BASE).toISOString(),
        },
      ]),
    );
    watch.visitorsChanged(appended.visitorsTouched);
    const s = await eventually(async () => summaries[runs] ?? null, 'the re-plan run');
    expect(s.tasksPlanned).toBe(0);
    expect(s.apiRequests).toBe(0);
    expect(gateway.requestCount()).toBe(before);
  });
});
