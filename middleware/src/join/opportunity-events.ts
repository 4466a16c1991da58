import { COMPOSITE_COLLECTIONS } from '../salesforce/composite-limits';
import type { SalesforcePort } from '../salesforce/port';
import { inStatements } from './opportunity-read';
import type { OpportunityState } from './opportunity-state';

/**
 * What Change Data Capture events on Opportunity, OpportunityContactRole and Lead ask a join run to
 * re-plan (salesforce/cdc/opportunityChangeEvent.ts decodes them), and how a run turns them into
 * Opportunities: no poll, only the records the events name.
 */
export interface OpportunityEvents {
  /** Opportunities created, changed, deleted or undeleted, and those named by role and conversion events. */
  opportunityIds: readonly string[];
  /**
   * Contact roles whose Opportunity the event does not carry (an update or delete event holds only
   * the changed fields, none on delete): their OpportunityId is read with queryAll (the role is in
   * the Recycle Bin after a delete; OpportunityId cannot be updated, so it is the role's for good).
   */
  roleIds: readonly string[];
  /** Leads converted (the Lead update event of a conversion carries ConvertedContactId). */
  conversions: readonly { leadId: string; contactId: string }[];
}

export function emptyOpportunityEvents(): OpportunityEvents {
  return { opportunityIds: [], roleIds: [], conversions: [] };
}

export function mergeOpportunityEvents(
  a: OpportunityEvents,
  b: Partial<OpportunityEvents>,
): OpportunityEvents {
  const uniq = (xs: readonly string[]) => [...new Set(xs)];
  const conversions = new Map([...a.conversions, ...(b.conversions ?? [])].map((c) => [c.leadId, c]));
  return {
    opportunityIds: uniq([...a.opportunityIds, ...(b.opportunityIds ?? [])]),
    roleIds: uniq([...a.roleIds, ...(b.roleIds ?? [])]),
    conversions: [...conversions.values()],
  };
}

export function hasOpportunityEvents(e: OpportunityEvents | undefined): boolean {
  return !!e && (e.opportunityIds.length > 0 || e.roleIds.length > 0 || e.conversions.length > 0);
}

export interface ResolvedOpportunityEvents {
  opportunityIds: Set<string>;
  /** Contacts of converted Leads: their Opportunities are re-planned (their touchpoints now count, R14). */
  contactIds: Set<string>;
  /** Visitors with touchpoints of the converted Leads: re-planned so those name the Contact (R14). */
  visitors: Set<string>;
}

/**
 * The events' Opportunities, in at most one Composite request (queryAll: up to 5 statements of 250
 * ids) and none when every event named its Opportunity: the Opportunity of each role an update or
 * delete named, and the visitors of the converted Leads' touchpoints. Conversions are kept (state).
 */
export async function resolveOpportunityEvents(
  gw: SalesforcePort,
  state: OpportunityState,
  events: OpportunityEvents,
  signal?: AbortSignal,
): Promise<ResolvedOpportunityEvents> {
  const out: ResolvedOpportunityEvents = {
    opportunityIds: new Set(events.opportunityIds),
    contactIds: new Set(events.conversions.map((c) => c.contactId)),
    visitors: new Set(),
  };
  await state.addConversions(events.conversions);
  const roles = inStatements(
    events.roleIds,
    (l) => `SELECT OpportunityId FROM OpportunityContactRole WHERE Id IN (${l})`,
  );
  const leads = inStatements(
    events.conversions.map((c) => c.leadId),
    (l) => `SELECT BizibleId__c FROM Touchpoint__c WHERE IsDeleted = false AND Lead__c IN (${l})`,
  );
  const all = [...roles, ...leads];
  for (let i = 0; i < all.length; i += COMPOSITE_COLLECTIONS) {
    const { rows } = await gw.createAndQuery<Record<string, unknown>>(
      { queries: all.slice(i, i + COMPOSITE_COLLECTIONS), includeDeleted: true },
      { signal },
    );
    for (const r of rows.flat()) {
      if (typeof r.OpportunityId === 'string') out.opportunityIds.add(r.OpportunityId);
      if (typeof r.BizibleId__c === 'string' && r.BizibleId__c) out.visitors.add(r.BizibleId__c);
    }
  }
  return out;
}
