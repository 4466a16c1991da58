import { silentLogger } from '../../src/log';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { JoinLedger } from '../../src/join';
import { JOIN_LOCK, runJoinOnce } from '../../src/join';
import type { Store } from '../../src/store';
import { startRetention } from '../../src/store/retention';
import { createTasks, trackedEvents } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const CALLER = 'b0000000000000000000000000000001';
const ANONYMOUS = 'b0000000000000000000000000000002';
const UNTRACKED = 'b0000000000000000000000000000003';

/**
 * EVENT_RETENTION_DAYS: pruning a visitor's old events must not change what the join plans for
 * them. Here the First Touch session is 400 days old, the call came today; after a 365-day
 * retention pass a re-plan (a new page view, the Task edited) keeps the FT web session and
 * touchpoint in the org instead of deleting them as dropped out of the plan.
 */
describe('retention keeps the join stable for visitors with records in Salesforce', () => {
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;
  const now = Date.now();
  const at = (ms: number) => new Date(ms).toISOString();

  const orgState = async () => {
    const ws = await conn.conn.query<{ Session_Key__c: string; Started_At__c: string }>(
      `SELECT Session_Key__c, Started_At__c FROM Web_Session__c WHERE BizibleId__c = '${CALLER}'`,
    );
    const tp = await conn.conn.query<{ Touchpoint_Key__c: string; Position__c: string | null }>(
      `SELECT Touchpoint_Key__c, Position__c FROM Touchpoint__c WHERE BizibleId__c = '${CALLER}'`,
    );
    return {
      webSessions: ws.records.map((r) => r.Session_Key__c).sort(),
      touchpoints: tp.records.map((r) => `${r.Touchpoint_Key__c} ${r.Position__c}`).sort(),
    };
  };

  beforeAll(async () => {
    // No events yet: each test appends its own.
    session = await joinSession('ct-join-retention-', { events: [] });
    ({ conn, gateway, store } = session);
  });
  afterAll(() => session?.close());

  it('a re-plan after pruning writes and deletes nothing; visitors without records lose their old sessions', async () => {
    await store.appendEvents(
      trackedEvents([
        {
          type: 'page_view',
          visitorId: CALLER,
          url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=first',
          referrer: 'https://www.google.com/',
          receivedAt: at(now - 400 * DAY),
        },
        {
          type: 'page_view',
          visitorId: CALLER,
          url: 'https://www.example.com/pricing',
          referrer: null,
          receivedAt: at(now - 400 * DAY + 5 * MIN),
        },
        {
          type: 'page_view',
          visitorId: CALLER,
          url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email',
          referrer: null,
          receivedAt: at(now - 60 * MIN),
        },
        {
          type: 'page_view',
          visitorId: ANONYMOUS,
          url: 'https://www.example.com/',
          referrer: null,
          receivedAt: at(now - 400 * DAY),
        },
      ]),
    );
    const [taskId] = await createTasks(conn, [
      { Subject: 'Call', Type: 'Call', BizibleId__c: CALLER, Call_Started_At__c: at(now - 50 * MIN) },
    ]);
    const first = await runJoinOnce({ gateway, store });
    expect(first.merged).toBe(1);
    const joined = await orgState();
    // The 400-day-old First Touch session and the call's session, each with its touchpoint.
    expect(joined.webSessions).toHaveLength(2);
    expect(joined.touchpoints.some((t) => t.endsWith(' FT'))).toBe(true);

    await store.countSessions(); // every visitor sessionized (the background does it within 200 ms)
    const retention = startRetention({
      store,
      days: 365,
      lock: JOIN_LOCK,
      logger: silentLogger,
      firstPassMs: 3_600_000,
    });
    const totals = await retention.pass();
    await retention.stop();
    expect(totals).toEqual({
      eventsDeleted: 3,
      sessionsDeleted: 1,
      sessionsSealed: 1,
      ledgerVisitorsDeleted: 0,
      ledgerTasksDeleted: 0,
    });
    expect(await store.countEvents()).toBe(1);
    expect(await store.sessionsForVisitor(ANONYMOUS)).toEqual([]);

    // A new page view re-plans the caller (R11): nothing to write, nothing deleted.
    const appended = await store.appendEvents(
      trackedEvents([
        {
          type: 'page_view',
          visitorId: CALLER,
          url: 'https://www.example.com/contact',
          referrer: null,
          receivedAt: at(now - 40 * MIN),
        },
      ]),
    );
    const replan = await runJoinOnce(
      { gateway, store },
      { visitorIds: appended.visitorsTouched, onlyVisitors: true },
    );
    expect(replan.written).toMatchObject({ webSessions: 1, deleted: 0 }); // the call's session grew
    // The Task edited later re-plans it again: the FT session and touchpoint stay.
    await conn.conn.sobject('Task').update({ Id: taskId, Type: 'Inbound Call' } as never);
    const edited = await runJoinOnce({ gateway, store });
    expect(edited.written.deleted).toBe(0);
    const after = await orgState();
    expect(after.webSessions).toEqual(joined.webSessions);
    expect(after.touchpoints.filter((t) => t.endsWith(' FT'))).toEqual(
      joined.touchpoints.filter((t) => t.endsWith(' FT')),
    );
  });
  it('the ledger of a caller the store has no sessions of goes once untouched for the retention period', async () => {
    const [taskId] = await createTasks(conn, [
      { Subject: 'Call', Type: 'Call', BizibleId__c: UNTRACKED, Call_Started_At__c: at(now - 30 * MIN) },
    ]);
    const run = await runJoinOnce({ gateway, store });
    expect(run.standalone).toBeGreaterThanOrEqual(1);
    const ledger = new JoinLedger(store);
    expect((await ledger.visitor(UNTRACKED)).tasks).toEqual([taskId]);

    // A year and a day later: the untracked caller's ledger goes; the caller with sealed sessions
    // keeps its ledger (and so its sessions), so a later re-plan still deletes nothing.
    const retention = startRetention({
      store,
      days: 365,
      lock: JOIN_LOCK,
      logger: silentLogger,
      firstPassMs: 3_600_000,
      now: () => Date.now() + 366 * DAY,
    });
    const totals = await retention.pass();
    await retention.stop();
    expect(totals).toMatchObject({ ledgerVisitorsDeleted: 1, ledgerTasksDeleted: 1 });
    expect(await ledger.visitor(UNTRACKED)).toEqual({ tasks: [], records: {} });
    expect(await ledger.task(taskId)).toBeNull();
    expect((await ledger.visitor(CALLER)).tasks).toHaveLength(1);
    expect((await store.sessionsForVisitor(CALLER)).length).toBeGreaterThan(0);
  });
});
