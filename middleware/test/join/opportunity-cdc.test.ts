import type { Connection } from 'jsforce';
import { silentLogger } from '../../src/log';
import { runJoinOnce, startJoinWatch, type JoinDeps, type JoinWatch } from '../../src/join';
import { startTaskDiscovery } from '../../src/salesforce/cdc/startTaskDiscovery';
import type { TaskDiscovery } from '../../src/salesforce/cdc/taskDiscovery';
import { BASE, V } from '../salesforce/fixtures';
import { opportunityCallers } from './opportunity-callers';
import { joinSession, selectForCdc, type JoinSession } from '../salesforce/helpers';
import { untilTruthy } from '../until';

/**
 * Opportunity touchpoints kept current by Change Data Capture (issue 21.5) against the local org, over
 * real gRPC + TLS: Task, Opportunity, OpportunityContactRole and Lead selected (4 of the 5 entity
 * selections), the join watch and the discovery wired as serve and `join --watch` wire them. The
 * Opportunity poll is off while every channel streams (idle: no request); a Lead conversion, a new
 * Opportunity and its roles, a close, a removed role and a deleted Opportunity each reach the
 * Opportunity touchpoints from their change events alone. Then the poll path sees deletions too.
 */

jest.setTimeout(120_000);

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  Contact__c: string;
  Position__c: string | null;
}
async function rows(conn: Connection, oppId: string): Promise<Row[]> {
  return (
    await conn.query<Row>(
      `SELECT Contact__c, Position__c FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${oppId}' ORDER BY Touchpoint_Date__c`,
    )
  ).records.map((r) => ({ Contact__c: r.Contact__c, Position__c: r.Position__c }));
}
const positions = async (conn: Connection, oppId: string) =>
  (await rows(conn, oppId)).map((r) => r.Position__c);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('Opportunity touchpoints by Change Data Capture (local org)', () => {
  let session: JoinSession;
  let conn: Connection;
  let deps: JoinDeps;
  let watch: JoinWatch | null = null;
  let discovery: TaskDiscovery | null = null;
  const ids = { account: '', lead: '', contactA: '', contactB: '', opp: '', roleB: '' };

  beforeAll(async () => {
    session = await joinSession('ct-opp-cdc-');
    conn = session.conn.conn as unknown as Connection;
    deps = { gateway: session.gateway, store: session.store, opportunities: { mapping: 'contact-roles' } };
    Object.assign(ids, await opportunityCallers(session));
    await runJoinOnce(deps, { pollOpportunities: true });
    await selectForCdc(conn, ['Task', 'Opportunity', 'OpportunityContactRole', 'Lead']);
  });
  afterAll(async () => {
    await discovery?.stop();
    await watch?.stop();
    await session?.close();
  });

  it('streams every change to the Opportunity touchpoints, with the Opportunity poll off (idle: 0 requests)', async () => {
    // A short poll interval: a poll left on while streaming would show as requests within a second.
    watch = startJoinWatch(deps, { intervalMs: 60_000, opportunityIntervalMs: 250 });
    discovery = await startTaskDiscovery({
      config: { bizibleIdField: 'BizibleId__c' } as never,
      org: session.conn,
      store: session.store,
      join: watch,
      pollIntervalMs: 60_000,
      batchMs: 20,
      logger: silentLogger,
      local: {
        endpoint: session.org.pubsubEndpoint!,
        certPem: session.org.pubsubCertPem!,
        orgId: session.org.orgId,
      },
    });
    await untilTruthy(
      'Opportunity channels streaming',
      async () => discovery!.opportunities?.status().mode === 'cdc',
    );
    await sleep(500); // the watch's first run (a catch-up) finishes
    const before = session.gateway.requestCount();
    await sleep(1500);
    expect(session.gateway.requestCount() - before).toBe(0);

    // A Lead converts (LeadChangeEvent), an Opportunity is created (OpportunityChangeEvent) and gains
    // two roles (OpportunityContactRoleChangeEvent): no poll, only the events.
    const converted: { contactId: string } = await (conn.soap as any).convertLead({
      leadId: ids.lead,
      convertedStatus: 'Closed - Converted',
      accountId: ids.account,
      doNotCreateOpportunity: true,
    });
    ids.contactA = converted.contactId;
    ids.opp = (
      (await conn.sobject('Opportunity').create({
        Name: 'Acme deal',
        AccountId: ids.account,
        Amount: 100000,
        StageName: 'Prospecting',
        CloseDate: '2026-03-20',
        CreatedDate: iso(BASE + 60 * MIN),
      })) as { id: string }
    ).id;
    await conn
      .sobject('OpportunityContactRole')
      .create({ OpportunityId: ids.opp, ContactId: ids.contactA, IsPrimary: true });
    ids.roleB = (
      (await conn
        .sobject('OpportunityContactRole')
        .create({ OpportunityId: ids.opp, ContactId: ids.contactB })) as {
        id: string;
      }
    ).id;
    await untilTruthy('the new Opportunity planned', async () =>
      same(await positions(conn, ids.opp), ['FT, LC', 'OC', 'Pending']),
    );
    // The conversion event re-planned A's visitor: the call touchpoint names the Contact (R14).
    await untilTruthy("A's touchpoint names the Contact", async () => {
      const [tp] = (
        await conn.query<{ Contact__c: string | null }>(
          `SELECT Contact__c FROM Touchpoint__c WHERE BizibleId__c = '${V.adClick}'`,
        )
      ).records;
      return tp?.Contact__c === ids.contactA;
    });
    expect((await rows(conn, ids.opp)).map((r) => r.Contact__c)).toEqual([
      ids.contactB,
      ids.contactA,
      ids.contactB,
    ]);

    // Closed won: Pending becomes Closed.
    let changed = Date.now();
    await conn.sobject('Opportunity').update({ Id: ids.opp, StageName: 'Closed Won' });
    await untilTruthy('Pending → Closed', async () =>
      same(await positions(conn, ids.opp), ['FT, LC', 'OC', 'Closed']),
    );
    process.stdout.write(`CDC: close won → Opportunity touchpoints in ${Date.now() - changed} ms\n`);

    // B's role removed (a DELETE event naming only the role): under contact-roles B's touches leave.
    changed = Date.now();
    await conn.sobject('OpportunityContactRole').destroy(ids.roleB);
    await untilTruthy('role removal re-planned', async () =>
      (await rows(conn, ids.opp)).every((r) => r.Contact__c === ids.contactA),
    );
    process.stdout.write(`CDC: role removed → Opportunity touchpoints in ${Date.now() - changed} ms\n`);
    expect(await positions(conn, ids.opp)).toEqual(['FT, LC, OC, Closed']);

    // A field the plan does not read: no run, no request.
    const quiet = session.gateway.requestCount();
    await conn.sobject('Opportunity').update({ Id: ids.opp, Description: 'notes' });
    await sleep(800);
    expect(session.gateway.requestCount() - quiet).toBe(0);

    // The Opportunity deleted: its Opportunity touchpoints are deleted too.
    const keys = (
      await conn.query<{ Id: string }>(
        `SELECT Id FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${ids.opp}'`,
      )
    ).records.map((r) => r.Id);
    expect(keys).toHaveLength(1);
    await conn.sobject('Opportunity').destroy(ids.opp);
    await untilTruthy(
      'touchpoints of the deleted Opportunity deleted',
      async () =>
        (await conn.query(`SELECT Id FROM Opportunity_Touchpoint__c WHERE Id = '${keys[0]}'`)).totalSize ===
        0,
    );
  });

  it('without Change Data Capture, one poll round (one request when idle) sees a removed role and a deleted Opportunity', async () => {
    await discovery?.stop();
    discovery = null;
    await watch?.stop();
    watch = null;
    const opp = (
      (await conn.sobject('Opportunity').create({
        Name: 'Polled deal',
        AccountId: ids.account,
        Amount: 500,
        StageName: 'Prospecting',
        CloseDate: '2026-03-20',
        CreatedDate: iso(BASE + 60 * MIN),
      })) as { id: string }
    ).id;
    await conn
      .sobject('OpportunityContactRole')
      .create({ OpportunityId: opp, ContactId: ids.contactA, IsPrimary: true });
    const roleB = (
      (await conn
        .sobject('OpportunityContactRole')
        .create({ OpportunityId: opp, ContactId: ids.contactB })) as { id: string }
    ).id;
    await runJoinOnce(deps, { pollOpportunities: true });
    expect(new Set((await rows(conn, opp)).map((r) => r.Contact__c))).toEqual(
      new Set([ids.contactA, ids.contactB]),
    );
    const idle = await runJoinOnce(deps, { pollOpportunities: true, onlyVisitors: true });
    expect(idle.apiRequests).toBe(1);

    await conn.sobject('OpportunityContactRole').destroy(roleB);
    await runJoinOnce(deps, { pollOpportunities: true, onlyVisitors: true });
    expect((await rows(conn, opp)).every((r) => r.Contact__c === ids.contactA)).toBe(true);

    const left = (
      await conn.query<{ Id: string }>(
        `SELECT Id FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${opp}'`,
      )
    ).records;
    expect(left.length).toBeGreaterThan(0);
    await conn.sobject('Opportunity').destroy(opp);
    const run = await runJoinOnce(deps, { pollOpportunities: true, onlyVisitors: true });
    expect(run.written.deleted).toBe(left.length);
    const ids2 = left.map((r) => `'${r.Id}'`).join(',');
    expect(
      (await conn.query(`SELECT Id FROM Opportunity_Touchpoint__c WHERE Id IN (${ids2})`)).totalSize,
    ).toBe(0);
  });
});
