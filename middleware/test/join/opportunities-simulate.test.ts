import type { Connection } from 'jsforce';
import { simulate } from '../../src/cli/commands/simulate';
import { runJoinOnce } from '../../src/join';
import { OPPORTUNITY_FIELDS } from '../../src/join/opportunity-read';
import type { SalesforcePort } from '../../src/salesforce/port';
import { BASE, eventsFile, expectOrgMatchesPlan, tasksNdjson } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';
import { convertLeadA, opportunityCallers } from './opportunity-callers';

/**
 * simulate = join for Opportunities (R13–R17; docs/join-rules.md, "simulate"): the same org history
 * as the Opportunity join test — callers browse, call, a Lead converts, Opportunities with earlier
 * CreatedDates, contact roles, one closed won, one without an Account — joined once by `join --once`
 * (its first run: every Opportunity), then given to simulate as the org's rows. The
 * Opportunity_Touchpoint__c records in the org equal, field by field, those simulate prints.
 */

jest.setTimeout(90_000);

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const OTP_FIELDS = [
  'Opportunity_Touchpoint_Key__c',
  'Opportunity__c',
  'Contact__c',
  'Account__c',
  'Touchpoint_Date__c',
  'Channel__c',
  'Touchpoint_Type__c',
  'Position__c',
  'First_Touch_Percent__c',
  'Lead_Creation_Percent__c',
  'U_Shaped_Percent__c',
  'W_Shaped_Percent__c',
  'Full_Path_Percent__c',
  'U_Shaped_Revenue__c',
  'W_Shaped_Revenue__c',
  'Full_Path_Revenue__c',
];

const norm = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) ? Date.parse(v) : (v ?? null);

/** Rows as the REST API answers the join's queries, one JSON object per line (attributes dropped). */
async function ndjson(gw: SalesforcePort, soql: string): Promise<string> {
  const rows = await gw.query<Record<string, unknown>>(soql);
  return rows.map(({ attributes: _a, ...r }) => JSON.stringify(r)).join('\n');
}

describe('simulate prints the Opportunity touchpoints join --once writes (local org)', () => {
  let session: JoinSession;
  let conn: Connection;

  beforeAll(async () => {
    session = await joinSession('ct-opp-sim-');
    conn = session.conn.conn as unknown as Connection;
    const create = async (sobject: string, rec: Record<string, unknown>) =>
      ((await conn.sobject(sobject).create(rec)) as { id: string }).id;
    const { account, lead, contactB } = await opportunityCallers(session);
    const contactA = await convertLeadA(conn, { lead, account });
    const opp = (fields: Record<string, unknown>) =>
      create('Opportunity', { StageName: 'Prospecting', CloseDate: '2026-03-20', ...fields });
    const open = await opp({
      Name: 'Open',
      AccountId: account,
      Amount: 100000,
      CreatedDate: iso(BASE + 60 * MIN),
    });
    await create('OpportunityContactRole', {
      OpportunityId: open,
      ContactId: contactA,
      IsPrimary: true,
    });
    await create('OpportunityContactRole', { OpportunityId: open, ContactId: contactB });
    await opp({
      Name: 'Won',
      AccountId: account,
      Amount: 2500.5,
      StageName: 'Closed Won',
      CloseDate: '2026-03-10',
      CreatedDate: iso(BASE + 10 * MIN),
    });
    await opp({ Name: 'No account', Amount: 10, CreatedDate: iso(BASE + 60 * MIN) });
  });
  afterAll(() => session?.close());

  it.each(['account', 'contact-roles'] as const)(
    '%s mapping: the org holds, record by record, what simulate printed',
    async (mapping) => {
      const { gateway, store } = session;
      const run = await runJoinOnce({ gateway, store, opportunities: { mapping } }, { full: true });
      expect(run.failed).toEqual([]);

      const result = simulate({
        events: eventsFile(),
        tasks: { name: 'tasks.ndjson', text: await tasksNdjson(gateway) },
        opportunities: {
          opportunities: {
            name: 'opportunities.ndjson',
            text: await ndjson(gateway, `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity ORDER BY Id`),
          },
          contacts: {
            name: 'contacts.ndjson',
            text: await ndjson(gateway, 'SELECT Id, AccountId FROM Contact'),
          },
          leads: {
            name: 'leads.ndjson',
            text: await ndjson(gateway, 'SELECT Id, IsConverted, ConvertedContactId FROM Lead'),
          },
          mapping,
        },
      });
      if (!result.ok) throw new Error(result.errors.join('\n'));
      // The call records are join's too (a converted Lead's call names its Contact, R14).
      await expectOrgMatchesPlan(gateway, result.plan);

      const planned = result.opportunities.flatMap((p) => p.records);
      expect(planned.length).toBeGreaterThan(0);
      expect(result.lines.slice(-planned.length).map((l) => JSON.parse(l))).toEqual(planned);
      expect(result.opportunities.flatMap((p) => p.notes.map((n) => n.code)).sort()).toEqual(
        run.opportunities.notes.map((n) => n.code).sort(),
      );
      const org = await gateway.query<Record<string, any>>(
        `SELECT ${OTP_FIELDS.join(', ')}, Touchpoint__r.Touchpoint_Key__c FROM Opportunity_Touchpoint__c`,
      );
      expect(org.map((r) => r.Opportunity_Touchpoint_Key__c).sort()).toEqual(
        planned.map((r) => r.Opportunity_Touchpoint_Key__c).sort(),
      );
      for (const p of planned) {
        const o = org.find((r) => r.Opportunity_Touchpoint_Key__c === p.Opportunity_Touchpoint_Key__c)!;
        for (const f of OTP_FIELDS)
          expect([p.Opportunity_Touchpoint_Key__c, f, norm(o[f])]).toEqual([
            p.Opportunity_Touchpoint_Key__c,
            f,
            norm((p as Record<string, unknown>)[f]),
          ]);
        expect(o.Touchpoint__r?.Touchpoint_Key__c).toBe(p.Touchpoint__r.Touchpoint_Key__c);
      }
    },
  );
});
