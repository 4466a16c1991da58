import type { OpportunityMapping, TaskRecord, TouchpointRecord } from '../domain';
import type { SalesforcePort } from '../salesforce/port';
import type { KeyValueState } from '../store/types';
import type { JoinDiff } from './diff';
import type { JoinLedger, VisitorLedger } from './ledger';
import { pollOpportunityChanges } from './opportunity-changes';
import { hasOpportunityEvents, resolveOpportunityEvents, type OpportunityEvents } from './opportunity-events';
import { inStatements, queryAll } from './opportunity-read';
import { OpportunityState } from './opportunity-state';
import {
  planOpportunityStep,
  plannedTouchpoints,
  type OpportunityScope,
  type OpportunityStep,
} from './opportunity-step';

/**
 * How a join run (runner.ts) keeps Opportunity touchpoints current, around its call join:
 *  - before the Task read, `opportunityRunStart`: the Opportunity changes since the last round (one
 *    Composite request, opportunity-changes.ts) when the run polls them — `join --once` and the watch's
 *    Opportunity timer; every Opportunity on the first run or `--full`; the Opportunities change events
 *    name (Change Data Capture, opportunity-events.ts); otherwise nothing is asked. Lead conversions
 *    found add their visitors to the run (R14: their touchpoints move to the Contact);
 *  - after the call plan, `withOpportunities`: the affected Opportunities planned against the call
 *    touchpoints this run writes, their records added to the same diff (write.ts sends them after
 *    the touchpoints), their ledger entries beside the visitors' (commit.ts).
 */

export interface OpportunityJoinOptions {
  /** OPPORTUNITY_MAPPING (R13). */
  mapping: OpportunityMapping;
}

/** Re-read this much before "now" on a first (full) round: changes committed meanwhile are not lost. */
const FIRST_ROUND_OVERLAP_MS = 60_000;

export interface OpportunityRunStart {
  state: OpportunityState;
  scope: OpportunityScope;
  /** Visitors with touchpoints of newly converted Leads. */
  visitorIds: string[];
  /** Lead Id → converted Contact Id, for planJoin (R14). */
  conversions: Map<string, string>;
  /** The watermark to keep once the run committed without an Opportunity failure (null: unchanged). */
  watermark: string | null;
}

export async function opportunityRunStart(
  gw: SalesforcePort,
  store: KeyValueState,
  opts: {
    full?: boolean;
    poll?: boolean;
    people?: readonly string[];
    /** Change events on Opportunity, OpportunityContactRole and Lead (no poll needed for them). */
    events?: OpportunityEvents;
    signal?: AbortSignal;
  },
): Promise<OpportunityRunStart> {
  const state = new OpportunityState(store);
  const scope: OpportunityScope = {
    all: false,
    opportunityIds: new Set(),
    contactIds: new Set(),
    leadIds: new Set(),
  };
  let visitorIds: string[] = [];
  let watermark: string | null = null;
  const since = await state.watermark();
  if (opts.full || since === null) {
    scope.all = true;
    watermark = new Date(Date.now() - FIRST_ROUND_OVERLAP_MS).toISOString();
  } else if (opts.poll) {
    const changes = await pollOpportunityChanges(gw, since, opts.signal);
    await state.addConversions(changes.conversions);
    Object.assign(scope, {
      opportunityIds: changes.opportunityIds,
      contactIds: changes.contactIds,
      leadIds: changes.leadIds,
    });
    visitorIds = [...changes.visitors];
    watermark = changes.watermark;
  }
  if (!scope.all && opts.events && hasOpportunityEvents(opts.events)) {
    const ev = await resolveOpportunityEvents(gw, state, opts.events, opts.signal);
    scope.opportunityIds = new Set([...scope.opportunityIds, ...ev.opportunityIds]);
    scope.contactIds = new Set([...scope.contactIds, ...ev.contactIds]);
    visitorIds = [...new Set([...visitorIds, ...ev.visitors])];
  }
  // People a batch of calls wrote touchpoints for (Lead ids start 00Q, Contact ids 003).
  const contactIds = new Set(scope.contactIds);
  const leadIds = new Set(scope.leadIds);
  for (const p of opts.people ?? []) (p.startsWith('00Q') ? leadIds : contactIds).add(p);
  return {
    state,
    scope: { ...scope, contactIds, leadIds },
    visitorIds,
    conversions: await state.conversions(),
    watermark,
  };
}

/**
 * A run over every Opportunity (the first, or `--full`) has no poll behind it: the conversions of the
 * Leads its Tasks name are read here (one query per 250 Leads), so converted Leads' calls reach their
 * Contact's Opportunities in this same run (R14).
 */
export async function learnConversions(
  gw: SalesforcePort,
  start: OpportunityRunStart,
  tasks: readonly TaskRecord[],
  signal?: AbortSignal,
): Promise<void> {
  if (!start.scope.all) return;
  const leads = tasks.flatMap((t) =>
    typeof t.WhoId === 'string' && t.WhoId.startsWith('00Q') && !start.conversions.has(t.WhoId)
      ? [t.WhoId]
      : [],
  );
  if (!leads.length) return;
  const rows = await queryAll<{ Id: string; ConvertedContactId: string | null }>(
    gw,
    inStatements(
      leads,
      (l) => `SELECT Id, ConvertedContactId FROM Lead WHERE IsConverted = true AND Id IN (${l})`,
    ),
    signal,
  );
  const found = rows
    .flat()
    .flatMap((r) => (r.ConvertedContactId ? [{ leadId: r.Id, contactId: r.ConvertedContactId }] : []));
  await start.state.addConversions(found);
  for (const c of found) start.conversions.set(c.leadId, c.contactId);
}

export interface WithOpportunities {
  diff: JoinDiff;
  /** The visitors' ledgers and the Opportunities' (`opp:<Id>`), for commit.ts. */
  ledgers: Map<string, VisitorLedger>;
  step: OpportunityStep;
}

/** The affected Opportunities planned and diffed into the run's diff. */
export async function withOpportunities(
  ctx: { gw: SalesforcePort; ledger: JoinLedger; mapping: OpportunityMapping; signal?: AbortSignal },
  start: OpportunityRunStart,
  diff: JoinDiff,
  touchpoints: readonly TouchpointRecord[],
  visitorLedgers: ReadonlyMap<string, VisitorLedger>,
): Promise<WithOpportunities> {
  const removed = new Set(diff.deletes.flatMap((d) => (d.key.startsWith('tp:') ? [d.key.slice(3)] : [])));
  // The people whose touchpoints this run changes: their Opportunities are re-planned.
  const contactIds = new Set(start.scope.contactIds);
  const leadIds = new Set(start.scope.leadIds);
  for (const { rec } of diff.touchpoints) {
    if (typeof rec.Contact__c === 'string') contactIds.add(rec.Contact__c);
    if (typeof rec.Lead__c === 'string') leadIds.add(rec.Lead__c);
  }
  const step = await planOpportunityStep(
    { gw: ctx.gw, ledger: ctx.ledger, state: start.state, mapping: ctx.mapping, signal: ctx.signal },
    { ...start.scope, contactIds, leadIds },
    plannedTouchpoints(touchpoints),
    removed,
  );
  return {
    diff: { ...diff, opportunityTouchpoints: step.upserts, deletes: [...diff.deletes, ...step.deletes] },
    ledgers: new Map([...visitorLedgers, ...step.ledgers]),
    step,
  };
}
