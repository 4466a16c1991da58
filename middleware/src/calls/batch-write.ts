import type { ChannelRules, JoinOptions } from '../domain';
import { joinCallBatch, taskFields as joinTaskFields, type JoinStore } from '../join';
import type { Logger } from '../log';
import type { SalesforcePort, SfRecord } from '../salesforce/port';
import { soqlList, soqlName } from '../salesforce/soql';
import type { NormalizedCall } from '../vendors/normalized-call';
import { callerLookupQueries, matchCallers, type PhoneRow } from './caller-lookup';
import { decideCalls, type CallFate, type TaskRow } from './call-fates';
import { logUnmatched } from './single-call';
import { taskFields, VENDOR_CALL_ID_FIELD, type TaskFieldOptions } from './task-fields';

/**
 * A batch of calls written in two org requests, whatever its size (up to MAX_BATCH calls):
 *
 * 1. One Composite request: the calls' Tasks created (an sObject Collection, allOrNone=false), then
 *    the caller lookup for every number (Lead, Contact) and the Tasks of the batch's calls and
 *    visitors. A Task that already exists answers DUPLICATE_VALUE (Vendor_Call_Id__c is unique):
 *    a repeat delivery, written as an update unless it is behind the Task (call-progress.ts).
 * 2. The join, planned here against the store's sessions (domain/join.ts, the same engine and diff
 *    as `join`), and one Composite Graph request: per visitor, its sessions, touchpoints and the
 *    Task fields (the call's, WhoId, the join status) together.
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
  /** Told the Tasks this batch writes as soon as they exist (before their graph is sent). */
  onTasks?: (taskIds: string[]) => void;
  /** Told the Contacts and Leads whose touchpoints this batch wrote (their Opportunities may change). */
  onPeople?: (people: string[]) => void;
}

export async function writeCallBatch(deps: BatchDeps, calls: readonly NormalizedCall[]): Promise<CallFate[]> {
  const { sf, log } = deps;
  const biz = deps.task.bizibleIdField;
  const fields = joinTaskFields(biz);
  const numbers = [...new Set(calls.flatMap((c) => (c.callerNumber ? [c.callerNumber] : [])))];
  const visitors = [...new Set(calls.flatMap((c) => (c.visitorId ? [c.visitorId] : [])))];

  // 1. Create, look up, read — one request.
  const creates = calls.map((c) => ({ attributes: { type: 'Task' }, ...taskFields(c, deps.task).create }));
  const byCall = `${VENDOR_CALL_ID_FIELD} IN (${soqlList(calls.map((c) => c.vendorCallId))})`;
  const byVisitor = visitors.length ? ` OR ${soqlName(biz)} IN (${soqlList(visitors)})` : '';
  const taskQuery = `SELECT ${[...fields, VENDOR_CALL_ID_FIELD, 'CallDisposition'].join(', ')} FROM Task WHERE ${byCall}${byVisitor}`;
  const lookups = numbers.length ? callerLookupQueries(numbers) : [];
  const { created, rows } = await sf.createAndQuery<SfRecord>(
    { create: creates, queries: [...lookups, taskQuery] },
    { signal: deps.signal },
  );
  const tasks = rows[rows.length - 1] as TaskRow[];
  const who = matchCallers(
    numbers,
    numbers.length ? ([...rows[0], ...rows[1]] as unknown as PhoneRow[]) : [],
  );

  // 2. Per call: created, existing (update unless stale), or not written.
  const { fates, callUpdates, batchTasks, unmatched } = decideCalls(calls, created, tasks, who, deps.task);
  for (const u of unmatched) logUnmatched(log, u.number, u.matches);
  deps.onTasks?.([...batchTasks.keys()]);

  // 3. The join of the batch's Tasks and visitors: one graph per visitor (join/call-batch.ts).
  const joined = await joinCallBatch(
    {
      sf,
      store: deps.store,
      bizibleIdField: biz,
      rules: deps.rules,
      joinOptions: deps.joinOptions,
      signal: deps.signal,
    },
    { tasks, batchTaskIds: new Set(batchTasks.keys()), visitors: new Set(visitors), callUpdates },
  );
  // One line per batch; `durationMs` is the time it held the join lock (like a join run's).
  log.info(
    {
      calls: calls.length,
      graphs: joined.graphs,
      graphsFailed: joined.graphsFailed,
      durationMs: joined.durationMs,
    },
    'call batch written',
  );
  if (joined.people.length) deps.onPeople?.(joined.people);
  for (const [taskId, error] of joined.failedTasks) {
    const i = batchTasks.get(taskId);
    if (i !== undefined) fates[i] = { kind: 'fallback', taskId, error };
  }
  return fates;
}
