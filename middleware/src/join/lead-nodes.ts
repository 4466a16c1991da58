import { callerLeadRecord, isPendingLeadId, type JoinPlan, type TaskRecord } from '../domain';
import type { JoinDiff } from './diff';
import type { LeadOutcome, LeadToCreate } from './graphs';
import { recordHash } from './ledger';

/**
 * The new Leads of a batch of calls (R18) between the plan and the ledger: their records, built from
 * the plan (LeadSource = the channel of the call's touchpoint), and, once written, the Ids the org gave
 * them put where the plan had their pending Ids (domain/caller-lead.ts).
 */

/** A Lead the batch will create for one unknown number (join/caller-leads.ts decided so). */
export interface PendingLead {
  pendingId: string;
  /** E.164. */
  number: string;
  displayNumber: string;
  /** The batch's Tasks from this number. */
  taskIds: string[];
}

/** Each pending Lead's record: the channel of the first of its calls that has a touchpoint. */
export function leadsToCreate(pending: readonly PendingLead[], plan: JoinPlan): LeadToCreate[] {
  const channelOf = new Map(plan.touchpoints.map((t) => [t.Touchpoint_Key__c, t.Channel__c]));
  const touchpointOf = new Map(plan.tasks.map((t) => [t.Id, t.Call_Touchpoint__r?.Touchpoint_Key__c]));
  return pending.map((p) => {
    const channel =
      p.taskIds.map((id) => channelOf.get(touchpointOf.get(id) ?? '') ?? null).find((c) => c) ?? null;
    const body = callerLeadRecord({
      number: p.number,
      displayNumber: p.displayNumber,
      callerName: null,
      company: null,
      channel,
    });
    return { pendingId: p.pendingId, taskIds: p.taskIds, body };
  });
}

/**
 * The diff as written, with the Ids of the Leads created in place of their pending Ids (and the
 * touchpoints' hashes of those values), and the Tasks' WhoId likewise: what the ledger records is
 * what the org now holds, so the next plan of these Tasks finds nothing to change.
 */
export function resolveLeads(diff: JoinDiff, tasks: TaskRecord[], leads: readonly LeadOutcome[]): JoinDiff {
  const ids = new Map(leads.flatMap((l) => (l.id ? [[l.pendingId, l.id] as const] : [])));
  if (!ids.size) return diff;
  const real = (v: unknown) => (isPendingLeadId(v) ? (ids.get(v) ?? v) : v);
  for (const t of tasks) t.WhoId = real(t.WhoId) as string | null | undefined;
  const touchpoints = diff.touchpoints.map((p) => {
    if (!isPendingLeadId(p.rec.Lead__c)) return p;
    const rec = { ...p.rec, Lead__c: real(p.rec.Lead__c) };
    return { ...p, rec, hash: recordHash(rec) };
  });
  const taskUpdates = diff.tasks.map((t) =>
    isPendingLeadId(t.rec.WhoId) ? { ...t, rec: { ...t.rec, WhoId: real(t.rec.WhoId) } } : t,
  );
  return { ...diff, touchpoints, tasks: taskUpdates };
}
