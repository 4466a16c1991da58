import type { SalesforcePort } from '../salesforce/port';
import { soqlDateTime } from '../salesforce/soql';
import { inStatements, queryAll } from './opportunity-read';

/**
 * One poll round for what re-plans Opportunities (R13–R17) when the admin has not selected their
 * Change Data Capture entities: ONE Composite request of 5 queries for rows changed since the
 * watermark (SystemModstamp) — Opportunities (created; Amount, Stage, CloseDate, Account changed),
 * contact roles (added or changed), converted Leads (with their touchpoints' visitors, R14), Contacts
 * (moved to another Account) and Touchpoint__c — plus, only when Contacts changed, one query for the
 * Opportunities of their Accounts. Idle (nothing changed): 1 request. The queries run as queryAll, so
 * rows deleted since the watermark come back too (IsDeleted = true, in the Recycle Bin; SystemModstamp
 * is set by the delete): a deleted Opportunity is re-planned — the read no longer finds it, so its
 * Opportunity touchpoints are deleted (opportunity-step.ts) — and a deleted contact role, Contact or
 * touchpoint re-plans its Opportunities, in the same one request.
 */

export interface OpportunityChanges {
  /** Opportunities to re-plan. */
  opportunityIds: Set<string>;
  /** Contacts whose touchpoints or Account changed: their Opportunities (kept state) are re-planned too. */
  contactIds: Set<string>;
  /** Leads whose touchpoints changed (their Contact, if converted, counts). */
  leadIds: Set<string>;
  /** Leads converted since the watermark. */
  conversions: { leadId: string; contactId: string }[];
  /** Visitors with touchpoints of those Leads: re-planned so the touchpoints name the Contact (R14). */
  visitors: Set<string>;
  /** Where the next round starts (unchanged when nothing was seen). */
  watermark: string;
}

interface Stamped {
  SystemModstamp: string;
}

export async function pollOpportunityChanges(
  gw: SalesforcePort,
  since: string,
  signal?: AbortSignal,
): Promise<OpportunityChanges> {
  const after = `SystemModstamp > ${soqlDateTime(since)}`;
  const {
    rows: [opps, roles, leads, contacts, tps],
  } = await gw.createAndQuery<Stamped & Record<string, unknown>>(
    {
      queries: [
        `SELECT Id, SystemModstamp FROM Opportunity WHERE ${after}`,
        `SELECT OpportunityId, SystemModstamp FROM OpportunityContactRole WHERE ${after}`,
        `SELECT Id, ConvertedContactId, SystemModstamp, (SELECT BizibleId__c FROM Call_Touchpoints__r) FROM Lead WHERE IsConverted = true AND IsDeleted = false AND ${after}`,
        `SELECT Id, AccountId, SystemModstamp FROM Contact WHERE ${after}`,
        `SELECT Contact__c, Lead__c, SystemModstamp FROM Touchpoint__c WHERE ${after}`,
      ],
      includeDeleted: true,
    },
    { signal },
  );
  const out: OpportunityChanges = {
    opportunityIds: new Set(opps.map((r) => String(r.Id))),
    contactIds: new Set(),
    leadIds: new Set(),
    conversions: [],
    visitors: new Set(),
    watermark: since,
  };
  for (const r of roles) out.opportunityIds.add(String(r.OpportunityId));
  for (const r of leads) {
    if (typeof r.ConvertedContactId !== 'string') continue;
    out.conversions.push({ leadId: String(r.Id), contactId: r.ConvertedContactId });
    out.contactIds.add(r.ConvertedContactId);
    const kids =
      (r.Call_Touchpoints__r as { records?: { BizibleId__c?: string | null }[] } | null)?.records ?? [];
    for (const k of kids) if (k.BizibleId__c) out.visitors.add(k.BizibleId__c);
  }
  for (const r of contacts) out.contactIds.add(String(r.Id));
  for (const r of tps) if (typeof r.Contact__c === 'string') out.contactIds.add(r.Contact__c);
  const accounts = contacts.flatMap((r) => (typeof r.AccountId === 'string' ? [r.AccountId] : []));
  if (accounts.length) {
    const rows = await queryAll<{ Id: string }>(
      gw,
      inStatements(accounts, (l) => `SELECT Id FROM Opportunity WHERE AccountId IN (${l})`),
      signal,
    );
    for (const r of rows.flat()) out.opportunityIds.add(r.Id);
  }
  for (const r of tps) if (typeof r.Lead__c === 'string') out.leadIds.add(r.Lead__c);
  let last = Date.parse(since);
  for (const r of [...opps, ...roles, ...leads, ...contacts, ...tps])
    last = Math.max(last, Date.parse(r.SystemModstamp));
  out.watermark = new Date(last).toISOString();
  return out;
}
