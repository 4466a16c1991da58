import { bizibleIdOf, type ChannelRules, type JoinOptions, type TaskRecord } from '../domain';
import type { Logger } from '../log';
import type { SfRecord } from '../salesforce/gateway';
import { diffPlan } from '../salesforce/join-diff';
import { GRAPH_NODES_PER_REQUEST } from '../salesforce/composite-limits';
import { JoinLedger, type TaskLedger } from '../salesforce/join-ledger';
import { planVisitors } from '../salesforce/join-plan';
import { JOIN_LOCK, type JoinStore } from '../salesforce/join-runner';
import { inputHash, taskFields as joinTaskFields } from '../salesforce/join-task-fields';
import type { GraphOutcome, SalesforcePort } from '../salesforce/port';
import { soqlList, soqlName } from '../salesforce/soql';
import { VENDOR_CALL_ID_FIELD } from '../salesforce/tasks';
import { isStaleDelivery, progressOfTask } from '../vendors/call-progress';
import type { NormalizedCall } from '../vendors/normalized-call';
import { callerLookupQueries, matchCallers, type PhoneRow } from './caller-lookup';
import { callGraphs, recordGraph, type GraphPart } from './call-graphs';
import { logUnmatched } from './single-call';
import { taskFields, type TaskFieldOptions } from './task-fields';

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
}

export type CallFate =
  | { kind: 'written'; taskId: string; created: boolean; whoId: string | null }
  | { kind: 'stale'; taskId: string }
  | { kind: 'retry'; error: string }
  | { kind: 'fallback'; taskId: string; error: string };

type TaskRow = TaskRecord & { Vendor_Call_Id__c?: string | null; CallDisposition?: string | null };

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
  const byVendorId = new Map(tasks.filter((t) => t.Vendor_Call_Id__c).map((t) => [t.Vendor_Call_Id__c!, t]));

  // 2. Per call: created, existing (update unless stale), or not written.
  const fates: (CallFate | null)[] = calls.map(() => null);
  const callUpdates = new Map<string, SfRecord>();
  const batchTasks = new Map<string, number>();
  calls.forEach((call, i) => {
    const res = created[i];
    const row = byVendorId.get(call.vendorCallId);
    const duplicate = !res.ok && res.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE');
    if (!row || (!res.ok && !duplicate)) {
      const error =
        res.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'Task not found after create';
      fates[i] = { kind: 'retry', error };
      return;
    }
    if (!res.ok && isStaleDelivery(call, progressOfTask(row))) {
      fates[i] = { kind: 'stale', taskId: row.Id };
      return;
    }
    const whoId = call.callerNumber ? who.get(call.callerNumber)!.whoId : null;
    if (call.callerNumber && !whoId)
      logUnmatched(log, call.callerNumber, who.get(call.callerNumber)!.matches);
    // A match found now is linked; no match never unlinks what a rep set by hand.
    const update: SfRecord = res.ok ? {} : { ...taskFields(call, deps.task).update };
    if (whoId) update.WhoId = whoId;
    Object.assign(row, update); // the join plans with what the Task will hold
    callUpdates.set(row.Id, update);
    batchTasks.set(row.Id, i);
    fates[i] = { kind: 'written', taskId: row.Id, created: res.ok, whoId };
  });

  deps.onTasks?.([...batchTasks.keys()]);

  // 3. Plan, diff, write one graph per visitor, record — under the join's lock, like a join run.
  const planTasks = tasks.filter((t) => batchTasks.has(t.Id) || visitors.includes(bizibleIdOf(t, biz) ?? ''));
  const taskVisitor = new Map(planTasks.map((t) => [t.Id, bizibleIdOf(t, biz)]));
  const planVisitorIds = [...new Set([...taskVisitor.values()].filter((v): v is string => v !== null))];
  await deps.store.withLock(
    JOIN_LOCK,
    async () => {
      const ledger = new JoinLedger(deps.store);
      const visitorLedgers = await ledger.visitors(planVisitorIds);
      const known = await ledger.tasks(planTasks.map((t) => t.Id));
      const taskLedgers = new Map(planTasks.map((t) => [t.Id, known.get(t.Id) ?? null]));
      const plan = await planVisitors(deps.store, planTasks, planVisitorIds, {
        rules: deps.rules,
        bizibleIdField: biz,
        joinOptions: deps.joinOptions,
      });
      const parts = callGraphs(diffPlan(plan, visitorLedgers, taskLedgers), callUpdates, taskVisitor);
      // A visitor whose records alone exceed one graph request (500 nodes) is left to the
      // single-call path and the join runner, which writes in collections of 200.
      const fits = parts.filter((p) => p.graph.nodes.length <= GRAPH_NODES_PER_REQUEST);
      const sent = await sf.graph(
        fits.map((p) => p.graph),
        { signal: deps.signal },
      );
      const outcomes = parts.map(
        (p): GraphOutcome =>
          sent[fits.indexOf(p)] ?? {
            graphId: p.graph.graphId,
            ok: false,
            nodes: [],
            errors: [
              {
                statusCode: 'TOO_MANY_NODES',
                message: `${p.graph.nodes.length} records: more than one graph can hold`,
              },
            ],
          },
      );

      // Ledger: a visitor (or lone Task) whose graph failed keeps its old entries, so the next
      // run plans it again; its calls go to the fallback.
      const failedTasks = new Map<string, string>();
      const taskEntries = new Map<string, TaskLedger>();
      const outHash = new Map<string, string>();
      parts.forEach((part: GraphPart, k) => {
        const outcome: GraphOutcome = outcomes[k];
        if (!outcome.ok) {
          const reason = outcome.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
          for (const t of planTasks)
            if (
              part.visitor !== null
                ? taskVisitor.get(t.Id) === part.visitor
                : part.tasks.some((x) => x.id === t.Id)
            )
              failedTasks.set(t.Id, reason);
          return;
        }
        if (part.visitor !== null) recordGraph(part, outcome, visitorLedgers.get(part.visitor)!);
        for (const t of part.tasks) if (t.joinHash) outHash.set(t.id, t.joinHash);
      });
      for (const [v, led] of visitorLedgers) {
        if (planTasks.some((t) => taskVisitor.get(t.Id) === v && failedTasks.has(t.Id))) {
          visitorLedgers.delete(v);
          continue;
        }
        led.tasks = planTasks.filter((t) => taskVisitor.get(t.Id) === v).map((t) => t.Id);
      }
      for (const t of planTasks) {
        if (failedTasks.has(t.Id)) continue;
        const prev = taskLedgers.get(t.Id) ?? null;
        taskEntries.set(t.Id, {
          v: taskVisitor.get(t.Id) ?? null,
          in: inputHash(t, fields),
          out: outHash.get(t.Id) ?? prev?.out ?? null,
        });
      }
      await ledger.commit({ visitors: visitorLedgers, tasks: taskEntries });
      for (const [taskId, error] of failedTasks) {
        const i = batchTasks.get(taskId);
        if (i !== undefined) fates[i] = { kind: 'fallback', taskId, error };
      }
    },
    deps.signal,
  );
  return fates.map((f) => f!);
}
