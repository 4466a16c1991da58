import {
  opportunityInputs,
  planOpportunity,
  type OpportunityMapping,
  type OpportunityNote,
  type OpportunityPlan,
  type ReadTouchpoint,
  type TouchpointRecord,
} from '../domain';
import type { SalesforcePort } from '../salesforce/port';
import { toSf, type PendingDelete, type PendingUpsert } from './diff';
import { recordHash, type JoinLedger, type VisitorLedger } from './ledger';
import { readOpportunities } from './opportunity-read';
import type { OpportunityState } from './opportunity-state';

/**
 * The Opportunity part of a join run (R13–R17): which Opportunities a run affects, what they should
 * hold (read → opportunityInputs → planOpportunity, pure) and the difference from what the ledger says
 * was last written — upserts and deletes the run's one writer sends after the call touchpoints
 * (write.ts). Each Opportunity's ledger entry is `opp:<Opportunity Id>`; its plan is complete, so a key
 * it no longer plans is deleted (as a visitor's, R11). An Opportunity asked for that the read no longer
 * finds was deleted: every record its ledger entry holds is deleted (its Opportunity__c lookup was
 * cleared by the delete, deleteConstraint SetNull, so nothing else would remove them).
 */

export interface OpportunityScope {
  /** Every Opportunity (a backfill, `join --full`, or the first run). */
  all: boolean;
  opportunityIds: ReadonlySet<string>;
  /** People whose touchpoints changed: their Opportunities (kept state) are re-planned. */
  contactIds: ReadonlySet<string>;
  leadIds: ReadonlySet<string>;
}

export interface OpportunityStepDeps {
  gw: SalesforcePort;
  ledger: JoinLedger;
  state: OpportunityState;
  mapping: OpportunityMapping;
  signal?: AbortSignal;
}

export interface OpportunityStep {
  upserts: PendingUpsert[];
  deletes: PendingDelete[];
  /** `opp:<Id>` → its ledger entry before the write (for commit.ts). */
  ledgers: Map<string, VisitorLedger>;
  plans: OpportunityPlan[];
  notes: OpportunityNote[];
}

export const opportunityLedgerKey = (id: string): string => `opp:${id}`;

/** The call touchpoints planned in this run, as the Opportunity read sees them (written in the same run). */
export function plannedTouchpoints(records: readonly TouchpointRecord[]): ReadTouchpoint[] {
  return records.map((r) => ({
    key: r.Touchpoint_Key__c,
    visitorId: r.BizibleId__c,
    leadId: r.Lead__c,
    contactId: r.Contact__c,
    date: Date.parse(r.Touchpoint_Date__c),
    personPosition: r.Position__c,
    channel: r.Channel__c,
    type: r.Touchpoint_Type__c ?? '',
  }));
}

const EMPTY: OpportunityStep = { upserts: [], deletes: [], ledgers: new Map(), plans: [], notes: [] };

/**
 * `planned`: the call touchpoints of this run's plan (they replace the org's by key); `removed`:
 * touchpoint keys it deletes. A scope naming no Opportunity and no person on one costs no request.
 */
export async function planOpportunityStep(
  deps: OpportunityStepDeps,
  scope: OpportunityScope,
  planned: readonly ReadTouchpoint[] = [],
  removed: ReadonlySet<string> = new Set(),
): Promise<OpportunityStep> {
  const conversions = await deps.state.conversions();
  const people = new Set(scope.contactIds);
  for (const l of scope.leadIds) if (conversions.has(l)) people.add(conversions.get(l)!);
  const ids = new Set([...scope.opportunityIds, ...(await deps.state.opportunitiesOf(people))]);
  if (!scope.all && ids.size === 0) return EMPTY;

  const reads = await readOpportunities(deps.gw, scope.all ? null : [...ids], deps.signal);
  const byKey = new Map(reads.touchpoints.map((t) => [t.key, t]));
  for (const k of removed) byKey.delete(k);
  for (const t of planned) byKey.set(t.key, t);
  const known = new Map(reads.conversions.map((c) => [c.leadId, c]));
  for (const [leadId, contactId] of conversions)
    if (!known.has(leadId)) known.set(leadId, { leadId, contactId });
  await deps.state.addConversions(reads.conversions);
  const inputs = opportunityInputs({
    ...reads,
    conversions: [...known.values()],
    touchpoints: [...byKey.values()],
  });

  const plans = inputs.map((input) => planOpportunity(input, deps.mapping));
  const found = new Set(reads.opportunities.map((o) => o.id));
  const gone = scope.all ? [] : [...ids].filter((id) => !found.has(id));
  const ledgers = await deps.ledger.visitors(
    [...plans.map((p) => p.opportunityId), ...gone].map(opportunityLedgerKey),
  );
  const step: OpportunityStep = { upserts: [], deletes: [], ledgers, plans, notes: [] };
  for (const id of gone) {
    const visitor = opportunityLedgerKey(id);
    for (const [key, entry] of Object.entries(ledgers.get(visitor)?.records ?? {}))
      step.deletes.push({ visitor, key, id: entry.id });
  }
  for (const plan of plans) {
    const visitor = opportunityLedgerKey(plan.opportunityId);
    const led = ledgers.get(visitor)!;
    const keys = new Set<string>();
    for (const rec of plan.records) {
      const key = rec.Opportunity_Touchpoint_Key__c;
      const sf = toSf(rec);
      const hash = recordHash(sf);
      keys.add(key);
      if (led.records[key]?.h !== hash) step.upserts.push({ visitor, key, hash, rec: sf });
    }
    for (const [key, entry] of Object.entries(led.records))
      if (!keys.has(key)) step.deletes.push({ visitor, key, id: entry.id });
    step.notes.push(...plan.notes);
  }
  const reached = new Map<string, string[]>(gone.map((id) => [id, []]));
  for (const i of inputs)
    reached.set(
      i.opportunity.id,
      i.contacts.map((c) => c.id),
    );
  await deps.state.setPeople(reached);
  return step;
}
