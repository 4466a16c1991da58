/**
 * The join: attribution of call Tasks to web sessions written into Salesforce (docs/join-rules.md).
 * This file is its one door — the calls pipeline, Task discovery (CDC), serve and the CLI import
 * from here; its steps are files of their own:
 *
 *   read (read.ts: changed Tasks and their ledger; persons.ts: the other cookies of their people,
 *   R21) → plan (plan.ts: the pure engine, domain/join.ts, per person) → diff (diff.ts, pure) → write (write.ts: collections; graphs.ts: one Composite
 *   Graph per visitor) → commit (commit.ts, graphs.ts: the org's answers into the ledger, pure) —
 *   all under one lock (lock.ts), with what was last written kept in the ledger (ledger.ts).
 *   runner.ts is one run of them; watch.ts schedules runs; calls.ts is the calls pipeline's door: a
 *   batch of calls written and joined in two org requests (the join itself in call-batch.ts).
 *
 * Records stay keyed per cookie (BizibleId) in the ledger; a person's journey (R21) only changes
 * their positions and percentages. A plan per Opportunity (revenue) is a planner beside
 * planVisitors whose records carry a ledger key of their own (diff.ts, RECORD_KEYS).
 */
export { checkJoinMemory, EmptyMemoryError } from './adopt';
export type { CallBatchJoined, UnknownCallerTask } from './call-batch';
export { callerLeadAlone } from './caller-lead-alone';
export { joinCalls, type CallBatchDecisions, type CallBatchRequest } from './calls';
export type { FailedRecord } from './commit';
export { leaveTaskAlone } from './left-alone';
export { JoinLedger, type TaskLedger, type VisitorLedger } from './ledger';
export { JOIN_LOCK, withJoinLock } from './lock';
export { WATERMARK_OVERLAP_MS } from './read';
export {
  formatSummary,
  runJoinOnce,
  type JoinDeps,
  type JoinProgress,
  type JoinRunOptions,
  type JoinStore,
  type JoinSummary,
} from './runner';
export { JoinSetupError } from './setup-hint';
export {
  callTaskCondition,
  inputHash,
  JOIN_MEMORY_FIELDS,
  TASK_DATETIME_FIELDS,
  taskFields,
  taskSelectFields,
} from './task-fields';
export { BATCH_DELAY_MS } from './watch';
export { startJoinWatch, type JoinTrigger, type JoinWatch } from './watch';
export {
  emptyOpportunityEvents,
  hasOpportunityEvents,
  mergeOpportunityEvents,
  type OpportunityEvents,
} from './opportunity-events';
