import type { CallerOutcome, TaskRecord } from '../domain';
import type { UnknownCallerTask } from '../join';
import { describeErrors, type RecordResult, type SfRecord } from '../salesforce/port';
import { isStaleDelivery, progressOfTask } from '../vendors/call-progress';
import type { NormalizedCall } from '../vendors/normalized-call';
import { formatForDisplay } from '../vendors/phone';
import type { CallerMatch } from './caller-lookup';
import { isRefusalCodes } from './parking';
import { taskFields, type TaskFieldOptions } from './task-fields';

/**
 * What becomes of each call of a batch once the first request has answered (its Task created or
 * found, its caller looked up), pure: written with the batch (created, or updated unless behind the
 * Task), stale, or back to the outbox. Later the graph may still send a written call to the
 * single-call path (`fallback`).
 */
export type CallFate =
  | { kind: 'written'; taskId: string; created: boolean; whoId: string | null }
  | { kind: 'stale'; taskId: string }
  /** `refused`: the org refused the call's content (calls/parking.ts), not a lock or an outage. */
  | { kind: 'retry'; error: string; refused?: boolean }
  | { kind: 'fallback'; taskId: string; error: string };

export type TaskRow = TaskRecord & { Vendor_Call_Id__c?: string | null; CallDisposition?: string | null };

export interface CallDecisions {
  fates: CallFate[];
  /** Per Task to write: the call's fields for an existing Task, WhoId when a caller matched. */
  callUpdates: Map<string, SfRecord>;
  /** Task id → index of its call in the batch. */
  batchTasks: Map<string, number>;
  /** Numbers that matched no record or several (logged by the caller). */
  unmatched: { number: string; matches: number }[];
  /**
   * UNKNOWN_CALLER=create-lead: the batch's Tasks of inbound calls from a number no Lead or Contact
   * has, not linked by a rep either — the join finds or creates their Lead (join/caller-leads.ts).
   */
  unknownCallers: UnknownCallerTask[];
  /** Tasks of calls from suppressed numbers: the join leaves them alone (R24). */
  leftAlone: Set<string>;
  /** R20, R23: per Task linked by the lookup, why its record was picked (null: the only match). */
  callerOutcomes: Map<string, CallerOutcome | null>;
}

/**
 * `created[i]`: the create of call i (DUPLICATE_VALUE: the Task exists); `rows`: the Tasks read
 * after the creates. The rows of Tasks to write are updated in place with what they will hold,
 * so the join plans with it.
 */
export function decideCalls(
  calls: readonly NormalizedCall[],
  created: readonly RecordResult[],
  rows: readonly TaskRow[],
  who: ReadonlyMap<string, CallerMatch>,
  task: TaskFieldOptions,
): CallDecisions {
  const byVendorId = new Map(rows.filter((t) => t.Vendor_Call_Id__c).map((t) => [t.Vendor_Call_Id__c!, t]));
  const out: CallDecisions = {
    fates: [],
    callUpdates: new Map(),
    batchTasks: new Map(),
    unmatched: [],
    unknownCallers: [],
    leftAlone: new Set(),
    callerOutcomes: new Map(),
  };
  calls.forEach((call, i) => {
    const res = created[i];
    const row = byVendorId.get(call.vendorCallId);
    const duplicate = !res.ok && res.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE');
    if (!row || (!res.ok && !duplicate)) {
      const error = res.ok ? 'Task not found after create' : describeErrors(res);
      const refused = !res.ok && isRefusalCodes(res.errors.map((e) => e.statusCode));
      out.fates.push({ kind: 'retry', error, refused });
      return;
    }
    if (!res.ok && isStaleDelivery(call, progressOfTask(row))) {
      out.fates.push({ kind: 'stale', taskId: row.Id });
      return;
    }
    // R24: a suppressed (erased) number is not looked up, linked or given a Lead.
    const number = call.suppressed ? null : call.callerNumber;
    const match = number ? who.get(number) : undefined;
    if (number && !match?.whoId) out.unmatched.push({ number, matches: match?.matches ?? 0 });
    // A match found now is linked; no match never unlinks what a rep set by hand.
    const update: SfRecord = res.ok ? {} : { ...taskFields(call, task).update };
    if (match?.whoId) {
      update.WhoId = match.whoId;
      out.callerOutcomes.set(row.Id, match.outcome ?? null);
    } else if (number && match?.matches === 0 && isNewCaller(call, row, task))
      out.unknownCallers.push({ taskId: row.Id, number, displayNumber: formatForDisplay(number) });
    if (call.suppressed) out.leftAlone.add(row.Id);
    Object.assign(row, update);
    out.callUpdates.set(row.Id, update);
    out.batchTasks.set(row.Id, i);
    out.fates.push({ kind: 'written', taskId: row.Id, created: res.ok, whoId: match?.whoId ?? null });
  });
  return out;
}

/** R18: an inbound call, `create-lead`, and the Task not linked already (a rep's link stays). */
function isNewCaller(call: NormalizedCall, row: TaskRow, task: TaskFieldOptions): boolean {
  return task.unknownCaller === 'create-lead' && call.direction === 'inbound' && !row.WhoId;
}
