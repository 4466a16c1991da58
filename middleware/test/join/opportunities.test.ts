import type { Connection } from 'jsforce';
import { planOpportunity, type OpportunityInput } from '../../src/domain';
import { runJoinOnce, startJoinWatch, type JoinDeps } from '../../src/join';
import { BASE, V } from '../salesforce/fixtures';
import { opportunityCallers } from './opportunity-callers';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * Opportunity touchpoints kept by the join against the local org (jsforce, real HTTP): callers browse
 * (the fixture events), call (Tasks with BizibleId and WhoId), one caller's Lead converts, an
 * Opportunity created earlier than today gains contact roles and closes won. R13–R17.
 */

jest.setTimeout(90_000);

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface OtpRow {
  Opportunity_Touchpoint_Key__c: string;
  Contact__c: string;
  Position__c: string | null;
  W_Shaped_Percent__c: number;
  Full_Path_Percent__c: number;
  W_Shaped_Revenue__c: number | null;
  Full_Path_Revenue__c: number | null;
  Touchpoint_Date__c: string;
}

async function otps(conn: Connection, oppId: string): Promise<OtpRow[]> {
  const res = await conn.query<OtpRow>(
    'SELECT Opportunity_Touchpoint_Key__c, Contact__c, Position__c, W_Shaped_Percent__c, Full_Path_Percent__c, ' +
      'W_Shaped_Revenue__c, Full_Path_Revenue__c, Touchpoint_Date__c FROM Opportunity_Touchpoint__c ' +
      `WHERE Opportunity__c = '${oppId}' ORDER BY Touchpoint_Date__c`,
  );
  return res.records.map(({ attributes: _a, ...r }: OtpRow & { attributes?: unknown }) => r);
}

describe('Opportunity touchpoints from the join (local org)', () => {
  let session: JoinSession;
  let conn: Connection;
  let deps: JoinDeps;
  const ids = { account: '', lead: '', contactA: '', contactB: '', opp: '' };

  beforeAll(async () => {
    session = await joinSession('ct-opp-');
    conn = session.conn.conn as unknown as Connection;
    deps = { gateway: session.gateway, store: session.store, opportunities: { mapping: 'account' } };
    Object.assign(ids, await opportunityCallers(session));
  });
  afterAll(() => session?.close());

  it('plans every Opportunity on the first run, then only what changed: the converted Lead reaches it', async () => {
    const first = await runJoinOnce(deps, { pollOpportunities: true });
    expect(first.written.touchpoints).toBeGreaterThan(0);
    expect(first.written.opportunityTouchpoints).toBe(0); // no Opportunity yet

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
        // Created after A's call and B's form, before B's second-day call (R15: OC).
        CreatedDate: iso(BASE + 60 * MIN),
      })) as { id: string }
    ).id;
    await conn.sobject('OpportunityContactRole').create({
      OpportunityId: ids.opp,
      ContactId: ids.contactA,
      IsPrimary: true,
    });
    await conn.sobject('OpportunityContactRole').create({ OpportunityId: ids.opp, ContactId: ids.contactB });

    const second = await runJoinOnce(deps, { pollOpportunities: true });
    expect(second.opportunities.planned).toBe(1);
    const rows = await otps(conn, ids.opp);
    // A's call touchpoint now names the Contact the Lead became (R14).
    const [tp] = (
      await conn.query<{ Contact__c: string; Lead__c: string }>(
        `SELECT Contact__c, Lead__c FROM Touchpoint__c WHERE BizibleId__c = '${V.adClick}'`,
      )
    ).records;
    expect(tp).toMatchObject({ Contact__c: ids.contactA, Lead__c: ids.lead });

    // The records equal planOpportunity's for the same facts (R13–R17).
    const touch = (
      await conn.query<any>(
        'SELECT Touchpoint_Key__c, BizibleId__c, Lead__c, Contact__c, Touchpoint_Date__c, Position__c, Channel__c, Touchpoint_Type__c FROM Touchpoint__c',
      )
    ).records;
    const input: OpportunityInput = {
      opportunity: {
        id: ids.opp,
        accountId: ids.account,
        amount: 100000,
        createdAt: BASE + 60 * MIN,
        closeDate: '2026-03-20',
        isClosed: false,
      },
      contactRoles: [
        { contactId: ids.contactA, isPrimary: true },
        { contactId: ids.contactB, isPrimary: false },
      ],
      contacts: [
        { id: ids.contactA, accountId: ids.account },
        { id: ids.contactB, accountId: ids.account },
      ],
      conversions: [{ leadId: ids.lead, contactId: ids.contactA }],
      touchpoints: touch.map((t) => ({
        key: t.Touchpoint_Key__c,
        leadId: t.Lead__c,
        // B's form fill names nobody in the org: it is B's visitor's touch.
        contactId: t.Contact__c ?? (t.BizibleId__c === V.formThenCall ? ids.contactB : null),
        date: Date.parse(t.Touchpoint_Date__c),
        personPosition: t.Position__c,
        channel: t.Channel__c,
        type: t.Touchpoint_Type__c,
      })),
    };
    const plan = planOpportunity(input, 'account');
    expect(rows.map((r) => r.Opportunity_Touchpoint_Key__c)).toEqual(
      plan.records.map((r) => r.Opportunity_Touchpoint_Key__c),
    );
    for (const [i, r] of rows.entries())
      expect(r).toMatchObject({
        Position__c: plan.records[i].Position__c,
        W_Shaped_Percent__c: plan.records[i].W_Shaped_Percent__c,
        Full_Path_Percent__c: plan.records[i].Full_Path_Percent__c,
        W_Shaped_Revenue__c: plan.records[i].W_Shaped_Revenue__c,
        Full_Path_Revenue__c: plan.records[i].Full_Path_Revenue__c,
      });
    // B's form (FT, LC), A's call (OC: the last touch before the Opportunity was created), B's call (Pending).
    expect(rows.map((r) => r.Position__c)).toEqual(['FT, LC', 'OC', 'Pending']);
    expect(rows.map((r) => r.Contact__c)).toEqual([ids.contactB, ids.contactA, ids.contactB]);

    const again = await runJoinOnce(deps, { pollOpportunities: true });
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  });

  it('with the watch running (as serve), closing the Opportunity turns Pending into Closed within 5 s', async () => {
    const watch = startJoinWatch(deps, { intervalMs: null, opportunityIntervalMs: 1000 });
    try {
      await conn.sobject('Opportunity').update({ Id: ids.opp, StageName: 'Closed Won' });
      const changed = Date.now();
      let positions: (string | null)[] = [];
      while (Date.now() - changed < 5000) {
        positions = (await otps(conn, ids.opp)).map((r) => r.Position__c);
        if (positions[2] === 'Closed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(positions).toEqual(['FT, LC', 'OC', 'Closed']);
    } finally {
      await watch.stop();
    }
  });

  it('plans bad input as documented and holds nothing else up', async () => {
    const opp = async (fields: Record<string, unknown>) =>
      (
        (await conn.sobject('Opportunity').create({
          Name: 'Odd',
          StageName: 'Prospecting',
          CloseDate: '2026-03-20',
          CreatedDate: iso(BASE + 60 * MIN),
          ...fields,
        })) as { id: string }
      ).id;
    const noAccount = await opp({ Amount: 5000 });
    const negative = await opp({ AccountId: ids.account, Amount: -10 });
    const noAmount = await opp({ AccountId: ids.account });
    // A contact role on a Contact that is deleted afterwards, beside a live one (contact-roles).
    const gone = ((await conn.sobject('Contact').create({ LastName: 'Gone' })) as { id: string }).id;
    const roles = await opp({ Amount: 100 });
    await conn.sobject('OpportunityContactRole').create({ OpportunityId: roles, ContactId: gone });
    await conn.sobject('OpportunityContactRole').create({ OpportunityId: roles, ContactId: ids.contactB });
    await conn.sobject('Contact').destroy(gone);

    const run = await runJoinOnce(deps, { pollOpportunities: true });
    expect(run.failed).toEqual([]);
    expect(run.opportunities.notes.map((n) => n.code).sort()).toEqual(
      // `roles` has no Account either: under `account` it gets none.
      ['negative-amount', 'no-account', 'no-account', 'no-amount'],
    );
    expect(await otps(conn, noAccount)).toEqual([]);
    for (const id of [negative, noAmount]) {
      const rows = await otps(conn, id);
      expect(rows).toHaveLength(3);
      expect(rows.map((r) => r.W_Shaped_Revenue__c)).toEqual([null, null, null]);
      expect(rows.reduce((n, r) => n + r.W_Shaped_Percent__c, 0)).toBeCloseTo(100, 6);
    }
    // The closed Opportunity is untouched by its neighbours' bad input.
    expect((await otps(conn, ids.opp)).map((r) => r.Position__c)).toEqual(['FT, LC', 'OC', 'Closed']);

    const byRoles = await runJoinOnce(
      { ...deps, opportunities: { mapping: 'contact-roles' } },
      { full: true },
    );
    expect(byRoles.failed).toEqual([]);
    expect(byRoles.opportunities.notes.map((n) => n.code)).toContain('deleted-contact');
    // B's two touchpoints count for it; the deleted Contact's role is skipped.
    expect((await otps(conn, roles)).map((r) => r.Contact__c)).toEqual([ids.contactB, ids.contactB]);
  });
});
