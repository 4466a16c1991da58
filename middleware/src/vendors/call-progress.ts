import type { NormalizedCall } from './normalized-call';

/**
 * Which of two deliveries of the same call is the newer state (replaying an
 * old CallRail delivery once turned an answered 99 s call back into a missed 10 s one). CallRail signs no
 * timestamp and its post-call and call-modified payloads carry no "updated at" field, and the other
 * vendors' payloads have no common one either, so the order is the call's own progress, which only
 * moves forward while a call is tracked: missed < voicemail < answered, then a longer duration.
 * A delivery of lower progress than what the Task shows is stale: acknowledged, never written.
 * Equal progress is written (an identical retry is harmless and a correction of other fields, such
 * as the source or the visitor id, still lands).
 */
export type CallProgress = Pick<NormalizedCall, 'outcome' | 'durationSeconds'>;

const OUTCOME_RANK: Record<NormalizedCall['outcome'], number> = { missed: 0, voicemail: 1, answered: 2 };

/** Negative when `a` is behind `b`, 0 when level, positive when ahead. */
export function compareProgress(a: CallProgress, b: CallProgress): number {
  return OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || a.durationSeconds - b.durationSeconds;
}

/**
 * The progress a call Task shows (CallDisposition, CallDurationInSeconds as taskFields writes them),
 * or null when it shows none we wrote (a person edited it): then nothing counts as stale.
 */
export function progressOfTask(task: {
  CallDisposition?: unknown;
  CallDurationInSeconds?: unknown;
}): CallProgress | null {
  const outcome = task.CallDisposition;
  const duration = task.CallDurationInSeconds;
  if (typeof outcome !== 'string' || !Object.hasOwn(OUTCOME_RANK, outcome)) return null;
  if (typeof duration !== 'number' || !Number.isFinite(duration)) return null;
  return { outcome: outcome as NormalizedCall['outcome'], durationSeconds: duration };
}

export function isStaleDelivery(incoming: CallProgress, current: CallProgress | null): boolean {
  return current !== null && compareProgress(incoming, current) < 0;
}

/**
 * The outbox key of a delivery: the call and its progress. Copies of one state collapse into one
 * pending item (the newest payload wins), while different states of the same call wait side by side,
 * so a stale delivery arriving while the org is unreachable cannot replace a newer one before it is
 * written; the worker then writes them in any order and the check above keeps the newest on the Task.
 */
export function outboxKey(call: Pick<NormalizedCall, 'vendorCallId'> & CallProgress): string {
  return `${call.vendorCallId}#${call.outcome}:${call.durationSeconds}`;
}
