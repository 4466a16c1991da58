import type { ChannelRules, JoinOptions } from '../domain';
import { joinCalls, type JoinStore } from '../join';
import type { Logger } from '../log';
import type { SalesforcePort } from '../salesforce/port';
import type { NormalizedCall } from '../vendors/normalized-call';
import { callerLookupQueries, matchCallers, type PhoneRow } from './caller-lookup';
import { decideCalls, type CallFate, type TaskRow } from './call-fates';
import { logUnknownCallers, logUnmatched } from './single-call';
import { taskFields, VENDOR_CALL_ID_FIELD, type TaskFieldOptions } from './task-fields';

/**
 * A batch of calls written in two org requests, whatever its size (up to MAX_BATCH calls):
 *
 * 1. One Composite request: the calls' Tasks created (an sObject Collection, allOrNone=false), then
 *    the caller lookup for every number (Lead, Contact) and the Tasks of the batch's calls and
 *    visitors. A Task that already exists answers DUPLICATE_VALUE (Vendor_Call_Id__c is unique):
 *    a repeat delivery, written as an update unless it is behind the Task (call-progress.ts).
 * 2. The join of the batch (the same engine and diff as `join`) and one Composite Graph request:
 *    per visitor, its sessions, touchpoints and the Task fields (the call's, WhoId, the join status)
 *    together.
 *
 * Both go through the join's one door for a batch of calls (join/calls.ts); this file says what the
 * calls pipeline adds: the Task creates, the caller lookup and each call's fate.
 *
 * What is not written comes back per call: `retry` (the org refused it for now: the outbox tries
 * again), `fallback` (its graph failed: written again on its own, single-call.ts), so one bad
 * record never holds back the rest of the batch.
 */

/** Calls per batch: the caller lookup statements stay far below the SOQL length limit (caller-lookup.ts). */
export const MAX_BATCH = 100;

export interface BatchDeps {
  sf: SalesforcePort;
  store: JoinStore;
  log: Logger;
  task: TaskFieldOptions;
  rules?: ChannelRules;
  joinOptions?: Partial<JoinOptions>;
  signal?: AbortSignal;
  /** PRIVACY_SALT (unset: the store's salt), for the join's suppressed visitors (R8). */
  privacySalt?: string | null;
  /** Told the Tasks this batch writes as soon as they exist (before their graph is sent). */
  onTasks?: (taskIds: string[]) => void;
  /** Told the Contacts and Leads whose touchpoints this batch wrote (their Opportunities may change). */
  onPeople?: (people: string[]) => void;
}

export async function writeCallBatch(deps: BatchDeps, calls: readonly NormalizedCall[]): Promise<CallFate[]> {
  const { log } = deps;
  // R24: suppressed (erased) numbers are not looked up.
  const numbers = [
    ...new Set(calls.flatMap((c) => (c.callerNumber && !c.suppressed ? [c.callerNumber] : []))),
  ];
  const visitors = [...new Set(calls.flatMap((c) => (c.visitorId ? [c.visitorId] : [])))];
  // 1. Create, look up, read — one request; 2. each call's fate; 3. the join — all through the
  // join's door for a batch of calls (join/calls.ts).
  const { decided, joined } = await joinCalls(
    {
      sf: deps.sf,
      store: deps.store,
      bizibleIdField: deps.task.bizibleIdField,
      rules: deps.rules,
      joinOptions: deps.joinOptions,
      signal: deps.signal,
      privacySalt: deps.privacySalt,
    },
    {
      create: calls.map((c) => ({ attributes: { type: 'Task' }, ...taskFields(c, deps.task).create })),
      queries: numbers.length ? callerLookupQueries(numbers) : [],
      callTasks: {
        keyField: VENDOR_CALL_ID_FIELD,
        keys: calls.map((c) => c.vendorCallId),
        extraFields: ['CallDisposition'],
      },
      visitors,
      decide: ({ created, rows, tasks }) => {
        const who = matchCallers(numbers, rows.flat() as unknown as PhoneRow[]);
        // Per call: created, existing (update unless stale), or not written.
        const decisions = decideCalls(calls, created, tasks as TaskRow[], who, deps.task);
        // A number the join finds or creates a Lead for (create-lead) is logged once that is decided.
        const unknown = new Set(decisions.unknownCallers.map((u) => u.number));
        for (const u of decisions.unmatched)
          if (!unknown.has(u.number)) logUnmatched(log, u.number, u.matches);
        deps.onTasks?.([...decisions.batchTasks.keys()]);
        return { ...decisions, batchTaskIds: new Set(decisions.batchTasks.keys()) };
      },
    },
  );
  // One line per batch; `durationMs` is the time it held the join lock (like a join run's).
  log.info(
    {
      calls: calls.length,
      graphs: joined.graphs,
      graphsFailed: joined.graphsFailed,
      durationMs: joined.durationMs,
      ...(joined.callers.size ? { callersLinked: joined.callers.size } : {}),
    },
    'call batch written',
  );
  logUnknownCallers(log, decided.unknownCallers, joined.callers);
  if (joined.people.length) deps.onPeople?.(joined.people);
  const { fates, batchTasks } = decided;
  for (const [taskId, caller] of joined.callers) {
    const fate = fates[batchTasks.get(taskId) ?? -1];
    if (fate?.kind === 'written') fate.whoId = caller.whoId;
  }
  for (const [taskId, error] of joined.failedTasks) {
    const i = batchTasks.get(taskId);
    if (i !== undefined) fates[i] = { kind: 'fallback', taskId, error };
  }
  return fates;
}
