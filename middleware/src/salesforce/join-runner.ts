import {
  bizibleIdOf,
  DEFAULT_BIZIBLE_ID_FIELD,
  defaultChannelRules,
  planJoin,
  type ChannelRules,
  type JoinOptions,
  type TaskRecord,
} from '../domain';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { joinOutcomes } from '../metrics';
import { automatedVisitors } from '../store/automated';
import type { EventStore, KeyValueState, StoreLocks } from '../store/types';
import { LockAbortedError } from '../store/locks';
import { AbortedError, SalesforceApiError, type RecordResult, type RequestKind } from './gateway';
import { diffPlan, type PendingUpsert } from './join-diff';
import { JoinLedger, recordHash, type TaskLedger, type VisitorLedger } from './join-ledger';
import type { SalesforcePort } from './port';
import { REQUEST_KINDS } from './request-count';
import { soqlDateTime, soqlList, soqlName } from './soql';
import { callTaskCondition } from './tasks';
import { UserError } from '../user-error';

/**
 * `call-touchpoints join`: reads call Tasks incrementally (SystemModstamp watermark), plans the
 * join for the visitors they belong to (pure engine, domain/join.ts) and writes only what changed:
 * Web_Session__c and Touchpoint__c upserted by external id, then the Task fields, in as few
 * composite requests as Salesforce's limits allow (one per 1,000 records). Touchpoints of a
 * visitor that dropped out of the plan (a standalone call that became merged) are deleted — the
 * plan is complete per visitor (R11), so what it no longer contains is stale.
 */

/** Re-read this much before the watermark: Tasks committed late are not skipped. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** BizibleIds per `IN (…)` query: keeps the GET URL well under Salesforce's 16 KB. */
const IN_CHUNK = 250;
/** Task ids a trigger may name in the read (more than this: the watermark alone finds them). */
const MAX_TRIGGER_IDS = 200;

export interface JoinProgress {
  start(total: number): void;
  increment(by: number): void;
  stop(): void;
}

/** What the join needs of the store. */
export type JoinStore = KeyValueState & StoreLocks & Pick<EventStore, 'sessionsForVisitors'>;

export interface JoinDeps {
  /** The org, counted as 'join' (salesforce/port.ts). */
  gateway: SalesforcePort;
  /** The join's state (ledger, watermark, automated visitors), the visitors' sessions and the join lock. */
  store: JoinStore;
  rules?: ChannelRules;
  /** R1 (BIZIBLE_ID_FIELD). */
  bizibleIdField?: string;
  joinOptions?: Partial<JoinOptions>;
  logger?: Logger;
  progress?: JoinProgress;
  overlapMs?: number;
}

export interface JoinRunOptions {
  /** Ignore the watermark and re-plan every call Task (still writes only what changed). */
  full?: boolean;
  /**
   * Shutdown: once it fires no new request starts (the one in flight finishes). Records not written
   * stay out of the ledger and the watermark stops before their Tasks, so the next run redoes them.
   */
  signal?: AbortSignal;
  /** Tasks a webhook just wrote: read by Id as well as by the watermark. */
  taskIds?: readonly string[];
  /**
   * Visitors whose sessions changed (page views that arrived after their call was joined, an
   * import): their calls are re-planned although the Tasks did not change (R11). Their Task ids
   * come from the ledger (`join.visitor.<BizibleId>`) and are read by Id; a visitor the ledger
   * knows no call of costs nothing.
   */
  visitorIds?: readonly string[];
  /** Re-plan only `visitorIds`: no watermark read, the watermark stays where it is. */
  onlyVisitors?: boolean;
}

export interface FailedRecord {
  sobject: string;
  key: string;
  errors: string;
}

export interface JoinSummary {
  tasksRead: number;
  /** Tasks whose outcome was computed (changed Tasks and the other calls of their visitors). */
  tasksPlanned: number;
  merged: number;
  standalone: number;
  missingId: number;
  written: { webSessions: number; touchpoints: number; tasks: number; deleted: number };
  failed: FailedRecord[];
  apiRequests: number;
  /** The same requests by kind (query, composite, …), all counted under the 'join' purpose. */
  apiRequestsByKind: Partial<Record<RequestKind, number>>;
  watermark: string | null;
  durationMs: number;
  /** The run was stopped (shutdown) before it wrote everything; the next run completes it. */
  aborted: boolean;
  /**
   * Visitors given in `visitorIds` whose re-plan did not write everything. Their Tasks did not
   * change, so the watermark will not bring them back: the watch keeps them for its next run.
   */
  visitorsToRetry: string[];
}

export class JoinSetupError extends UserError {}

/** The Task fields the join reads (the engine's TaskRecord input), with the configured BizibleId field (R1). */
export function taskFields(biz: string): string[] {
  return [
    'Id',
    'Type',
    'TaskSubtype',
    'CallType',
    'CreatedDate',
    'SystemModstamp',
    'CallDurationInSeconds',
    'Call_Started_At__c',
    'WhoId',
    soqlName(biz),
  ];
}

/** The Task fields the engine reads; our own output fields are not among them (no loop). */
export function inputHash(task: TaskRecord, fields: readonly string[]): string {
  return recordHash(fields.filter((f) => f !== 'SystemModstamp').map((f) => task[f] ?? null));
}

function describeErrors(r: RecordResult): string {
  return r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no detail';
}

/** The store lock a join run holds (Store.withLock); retention takes it too. */
export const JOIN_LOCK = 'join';

/**
 * One join run, holding JOIN_LOCK: replicas sharing one PostgreSQL (and retention) take turns, so
 * no Task or visitor is ever planned and written by two runs at once and the ledger stays whole.
 */
export async function runJoinOnce(deps: JoinDeps, opts: JoinRunOptions = {}): Promise<JoinSummary> {
  try {
    return await deps.store.withLock(JOIN_LOCK, () => runJoinLocked(deps, opts), opts.signal);
  } catch (err) {
    if (err instanceof LockAbortedError) throw new AbortedError('join run');
    throw err;
  }
}

async function runJoinLocked(deps: JoinDeps, opts: JoinRunOptions): Promise<JoinSummary> {
  const started = Date.now();
  const log = deps.logger ?? silentLogger;
  const gw = deps.gateway;
  const biz = deps.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const fields = taskFields(biz);
  const ledger = new JoinLedger(deps.store);
  const requestsBefore = gw.requestCount();
  const kindsBefore = REQUEST_KINDS.map((k) => gw.requestCount(k));
  const call = { signal: opts.signal };

  // 0. Visitors re-planned for their sessions' sake (R11): only those the ledger knows calls of,
  //    so page views of visitors who never called cost no API request.
  const replan = new Map<string, VisitorLedger>();
  if (!opts.full && opts.visitorIds?.length)
    for (const [v, led] of await ledger.visitors(opts.visitorIds)) if (led.tasks.length) replan.set(v, led);
  const onlyVisitors = !!opts.onlyVisitors && !opts.full;

  // 1. Read changed call Tasks since the watermark (minus an overlap).
  const watermark = opts.full ? null : await ledger.getWatermark();
  const callish = callTaskCondition(biz);
  // The overlap re-reads only Tasks the join never gave a status: a late-committed new Task is
  // caught, while the join's own recent Task updates are not read over and over.
  const overlapStart = watermark ? Date.parse(watermark) - (deps.overlapMs ?? WATERMARK_OVERLAP_MS) : 0;
  const byTrigger =
    opts.taskIds?.length && opts.taskIds.length <= MAX_TRIGGER_IDS
      ? ` OR Id IN (${soqlList([...opts.taskIds])})`
      : '';
  const since = watermark
    ? ` AND (SystemModstamp >= ${soqlDateTime(watermark)} OR (SystemModstamp >= ${soqlDateTime(overlapStart)} AND Call_Join_Status__c = null)${byTrigger})`
    : '';
  const read = onlyVisitors
    ? []
    : await withSetupHint(
        gw.query<TaskRecord>(
          `SELECT ${fields.join(', ')} FROM Task WHERE ${callish}${since} ORDER BY SystemModstamp, Id`,
          undefined,
          call,
        ),
        biz,
      );

  // 2. Which Tasks changed since they were last processed, and which visitors that touches.
  const taskLedgers = new Map<string, TaskLedger | null>();
  const readLedgers = await ledger.tasks(read.map((t) => t.Id));
  const affectedTasks: TaskRecord[] = [];
  const visitors = new Set<string>();
  for (const t of read) {
    const prev = readLedgers.get(t.Id) ?? null;
    taskLedgers.set(t.Id, prev);
    if (!opts.full && prev && prev.in === inputHash(t, fields)) continue;
    affectedTasks.push(t);
    const v = bizibleIdOf(t, biz);
    if (v) visitors.add(v);
    if (prev?.v && prev.v !== v) visitors.add(prev.v); // the Task left that visitor
  }

  // 2b. Visitors to re-plan whose Tasks did not change: read their Tasks (ids from the ledger) by
  //     Id — one query per 250 Tasks — unless this read already has them.
  const replanned = [...replan.keys()].filter((v) => !visitors.has(v));
  const readIds = new Set(read.map((t) => t.Id));
  const byIdRead: TaskRecord[] = [];
  const replanIds = replanned.flatMap((v) => replan.get(v)!.tasks).filter((id) => !readIds.has(id));
  for (let i = 0; i < replanIds.length; i += IN_CHUNK) {
    byIdRead.push(
      ...(await withSetupHint(
        gw.query<TaskRecord>(
          `SELECT ${fields.join(', ')} FROM Task WHERE Id IN (${soqlList(replanIds.slice(i, i + IN_CHUNK))})`,
          undefined,
          call,
        ),
        biz,
      )),
    );
  }
  for (const v of replanned) visitors.add(v);
  for (const id of replanIds) readIds.add(id); // asked for by Id: a deleted Task is not re-queried

  // 3. All call Tasks of those visitors (R9 positions need every call). A full read already has
  //    them; otherwise query only visitors the ledger knows other Tasks of.
  const visitorLedgers = new Map<string, VisitorLedger>(replan);
  for (const [v, led] of await ledger.visitors([...visitors].filter((x) => !visitorLedgers.has(x))))
    visitorLedgers.set(v, led);
  const byId = new Map<string, TaskRecord>();
  for (const t of [...read, ...byIdRead])
    if (bizibleIdOf(t, biz) && visitors.has(bizibleIdOf(t, biz) as string)) byId.set(t.Id, t);
  for (const t of affectedTasks) byId.set(t.Id, t);
  if (watermark) {
    const toFetch = [...visitors].filter((v) => visitorLedgers.get(v)!.tasks.some((id) => !readIds.has(id)));
    for (let i = 0; i < toFetch.length; i += IN_CHUNK) {
      const chunk = toFetch.slice(i, i + IN_CHUNK);
      const rows = await gw.query<TaskRecord>(
        `SELECT ${fields.join(', ')} FROM Task WHERE ${biz} IN (${soqlList(chunk)})`,
        undefined,
        call,
      );
      for (const t of rows) {
        const v = bizibleIdOf(t, biz);
        if (v && visitors.has(v)) byId.set(t.Id, t);
      }
    }
  }
  const planTasks = [...byId.values()];
  const moreLedgers = await ledger.tasks(planTasks.filter((t) => !taskLedgers.has(t.Id)).map((t) => t.Id));
  for (const t of planTasks) if (!taskLedgers.has(t.Id)) taskLedgers.set(t.Id, moreLedgers.get(t.Id) ?? null);

  // 4. Plan (pure) for exactly these visitors and Tasks.
  const sessionsByVisitor = visitors.size ? await deps.store.sessionsForVisitors([...visitors]) : new Map();
  // Callers without sessions whose browsers the bot filter dropped: their detail says so.
  const sessionless = [...visitors].filter((v) => !sessionsByVisitor.get(v)?.length);
  const plan = planJoin({
    tasks: planTasks,
    sessionsByVisitor,
    rules: deps.rules ?? defaultChannelRules(),
    bizibleIdField: biz,
    options: deps.joinOptions,
    automatedVisitors: sessionless.length ? await automatedVisitors(deps.store, sessionless) : undefined,
  });

  // 5. Only what differs from what we last wrote (join-diff.ts, pure).
  const {
    webSessions: wsWrites,
    touchpoints: tpWrites,
    tasks: taskWrites,
    deletes,
  } = diffPlan(plan, visitorLedgers, taskLedgers);
  const taskVisitor = new Map(planTasks.map((t) => [t.Id, bizibleIdOf(t, biz)]));

  // 6. Write: sessions, touchpoints (they reference sessions by key), Tasks (they reference
  //    touchpoints by key), then delete what dropped out of the plan — in composite requests.
  const failedVisitors = new Set<string>();
  const failedTasks = new Set<string>();
  let newWatermark = watermark;
  const failed: FailedRecord[] = [];
  const written = { webSessions: 0, touchpoints: 0, tasks: 0, deleted: 0 };
  deps.progress?.start(wsWrites.length + tpWrites.length + taskWrites.length + deletes.length);
  const tick = (n: number) => deps.progress?.increment(n);
  try {
    const applyUpserts = (
      list: PendingUpsert[],
      results: RecordResult[],
      sobject: string,
      count: 'webSessions' | 'touchpoints',
    ) => {
      results.forEach((r, i) => {
        const p = list[i];
        const led = visitorLedgers.get(p.visitor);
        if (r.ok) {
          written[count]++;
          if (led) led.records[p.key] = { h: p.hash, id: r.id };
        } else {
          failedVisitors.add(p.visitor);
          failed.push({ sobject, key: p.key, errors: describeErrors(r) });
        }
      });
    };
    if (deletes.some((d) => !d.id)) await resolveIds(gw, deletes, opts.signal);
    for (const d of deletes.filter((x) => !x.id)) delete visitorLedgers.get(d.visitor)!.records[d.key]; // not in the org
    const withId = deletes.filter((d) => d.id);
    // One composite request carries up to 1,000 records of all kinds, in this order.
    const [wsResults, tpResults, taskResults, deleteResults] = await gw.write(
      [
        {
          kind: 'upsert',
          sobject: 'Web_Session__c',
          extIdField: 'Session_Key__c',
          records: wsWrites.map((w) => w.rec),
        },
        {
          kind: 'upsert',
          sobject: 'Touchpoint__c',
          extIdField: 'Touchpoint_Key__c',
          records: tpWrites.map((w) => w.rec),
        },
        { kind: 'update', records: taskWrites.map((w) => w.rec) },
        { kind: 'delete', ids: withId.map((d) => d.id as string) },
      ],
      tick,
      call,
    );
    tick(deletes.length - withId.length);
    applyUpserts(wsWrites, wsResults, 'Web_Session__c', 'webSessions');
    applyUpserts(tpWrites, tpResults, 'Touchpoint__c', 'touchpoints');
    const taskOut = new Map<string, string>();
    taskResults.forEach((r, i) => {
      const w = taskWrites[i];
      if (r.ok) {
        written.tasks++;
        taskOut.set(w.id, w.hash);
      } else {
        const v = taskVisitor.get(w.id);
        if (v) failedVisitors.add(v);
        failedTasks.add(w.id);
        failed.push({ sobject: 'Task', key: w.id, errors: describeErrors(r) });
      }
    });
    deleteResults.forEach((r, i) => {
      const d = withId[i];
      if (r.ok) {
        written.deleted++;
        delete visitorLedgers.get(d.visitor)!.records[d.key];
      } else {
        failedVisitors.add(d.visitor);
        failed.push({
          sobject: d.key.startsWith('ws:') ? 'Web_Session__c' : 'Touchpoint__c',
          key: d.key,
          errors: describeErrors(r),
        });
      }
    });

    // 7. Ledger: record what was written. A visitor with a failure keeps its Tasks' old input
    //    hashes, so the next run plans it again and writes what is still missing.
    for (const [v, led] of visitorLedgers)
      led.tasks = planTasks.filter((t) => taskVisitor.get(t.Id) === v).map((t) => t.Id);
    const taskEntries = new Map<string, TaskLedger>();
    for (const t of planTasks) {
      const prev = taskLedgers.get(t.Id) ?? null;
      const v = taskVisitor.get(t.Id) ?? null;
      const complete = v ? !failedVisitors.has(v) : !failedTasks.has(t.Id);
      const next: TaskLedger = {
        v,
        in: complete ? inputHash(t, fields) : (prev?.in ?? null),
        out: taskOut.get(t.Id) ?? prev?.out ?? null,
      };
      if (!prev || prev.v !== next.v || prev.in !== next.in || prev.out !== next.out)
        taskEntries.set(t.Id, next);
    }
    // 8. Watermark: past every Task read, except up to the first one not fully processed.
    if (read.length > 0) {
      const blocked = read.find((t) => {
        const v = bizibleIdOf(t, biz);
        return v ? failedVisitors.has(v) : failedTasks.has(t.Id);
      });
      newWatermark = new Date(
        Date.parse(String((blocked ?? read[read.length - 1]).SystemModstamp)),
      ).toISOString();
    }
    await ledger.commit({ visitors: visitorLedgers, tasks: taskEntries, watermark: newWatermark });
  } finally {
    deps.progress?.stop();
  }

  const counts = { merged: 0, standalone: 0, missingId: 0 };
  for (const u of plan.tasks) {
    if (u.Call_Join_Status__c === 'Merged') counts.merged++;
    else if (u.Call_Join_Status__c === 'Standalone') counts.standalone++;
    else if (u.Call_Join_Status__c === 'Missing BizibleId') counts.missingId++;
  }
  for (const w of taskWrites)
    if (!failedTasks.has(w.id)) joinOutcomes.inc({ status: String(w.rec.Call_Join_Status__c) });
  const summary: JoinSummary = {
    tasksRead: read.length,
    tasksPlanned: plan.tasks.length,
    ...counts,
    written,
    failed,
    apiRequests: gw.requestCount() - requestsBefore,
    apiRequestsByKind: Object.fromEntries(
      REQUEST_KINDS.map((k, i) => [k, gw.requestCount(k) - kindsBefore[i]]).filter(([, n]) => n !== 0),
    ),
    watermark: newWatermark,
    durationMs: Date.now() - started,
    aborted: opts.signal?.aborted ?? false,
    visitorsToRetry: replanned.filter((v) => failedVisitors.has(v)),
  };
  // A run that found nothing to plan (an idle watch tick, or page views of visitors without calls)
  // is not worth an info line every few seconds.
  const level = !planTasks.length && !failed.length && !summary.aborted ? 'debug' : 'info';
  log[level](
    { ...summary, failed: failed.length },
    summary.aborted ? 'join run stopped' : 'join run finished',
  );
  return summary;
}

/** Ids of stale records the ledger has no Id for (written before Ids were kept). */
async function resolveIds(
  gw: SalesforcePort,
  deletes: { key: string; id: string | null }[],
  signal?: AbortSignal,
): Promise<void> {
  for (const [prefix, sobject, field] of [
    ['tp:', 'Touchpoint__c', 'Touchpoint_Key__c'],
    ['ws:', 'Web_Session__c', 'Session_Key__c'],
  ] as const) {
    const missing = deletes.filter((d) => !d.id && d.key.startsWith(prefix));
    for (let i = 0; i < missing.length; i += IN_CHUNK) {
      const chunk = missing.slice(i, i + IN_CHUNK);
      const rows = await gw.query<{ Id: string; [k: string]: unknown }>(
        `SELECT Id, ${field} FROM ${sobject} WHERE ${field} IN (${soqlList(chunk.map((d) => d.key.slice(prefix.length)))})`,
        undefined,
        { signal },
      );
      const ids = new Map(rows.map((r) => [String(r[field]), r.Id]));
      for (const d of chunk) d.id = ids.get(d.key.slice(prefix.length)) ?? null;
    }
  }
}

/**
 * The sentence of a SOQL error without the echoed query: Salesforce answers INVALID_FIELD with the
 * query, a caret line, "ERROR at Row:1:Column:N" and then the sentence (ApiQueryFault carries the
 * row and column: https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_Fault_set.htm).
 */
export function soqlErrorSentence(message: string): string {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^ERROR at Row:\d+:Column:\d+/.test(l));
  return (at >= 0 ? lines.slice(at + 1).join(' ') : (lines.find((l) => l.trim()) ?? '')).trim();
}

/** "No such column 'X' on entity 'Task'" → "Task.X"; null for other errors. */
export function missingColumn(message: string): string | null {
  const m = /No such column '([^']+)' on entity '([^']+)'/.exec(message);
  return m ? `${m[2]}.${m[1]}` : null;
}

async function withSetupHint<T>(p: Promise<T>, biz: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof SalesforceApiError && (err.code === 'INVALID_FIELD' || err.code === 'INVALID_TYPE')) {
      const field = missingColumn(err.message);
      const what = field ? `has no field ${field}` : `does not have what the join reads`;
      throw new JoinSetupError(
        `the org ${what} (${err.code}: ${soqlErrorSentence(err.message).split('. ')[0]}). ` +
          `Run \`call-touchpoints deploy\` to add the join's fields, then run join again` +
          `${biz !== DEFAULT_BIZIBLE_ID_FIELD ? ` (and check BIZIBLE_ID_FIELD=${biz})` : ''}.`,
      );
    }
    throw err;
  }
}

/** Summary lines for the CLI. */
export function formatSummary(s: JoinSummary): string[] {
  const w = s.written;
  const lines = [
    `tasks read ${s.tasksRead}, planned ${s.tasksPlanned}: merged ${s.merged}, standalone ${s.standalone}, missing BizibleId ${s.missingId}`,
    `records written: ${w.webSessions} web sessions, ${w.touchpoints} touchpoints, ${w.tasks} tasks, ${w.deleted} deleted` +
      (w.webSessions + w.touchpoints + w.tasks + w.deleted === 0 ? ' (up to date)' : ''),
    `API requests used: ${s.apiRequests}` +
      (s.apiRequests
        ? ` (join: ${Object.entries(s.apiRequestsByKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : ''),
  ];
  if (s.aborted) lines.push('stopped before finishing: the next run writes the rest');
  if (s.failed.length) {
    lines.push(`${s.failed.length} record(s) failed and will be retried on the next run:`);
    for (const f of s.failed.slice(0, 10)) lines.push(`  ${f.sobject} ${f.key}: ${f.errors}`);
    if (s.failed.length > 10) lines.push(`  … and ${s.failed.length - 10} more`);
  }
  return lines;
}

/** What a trigger names besides the watermark read. */
export interface JoinTrigger {
  /** Tasks just written (by a webhook): read by Id as well as by the watermark. */
  taskIds?: readonly string[];
  /**
   * Visitors whose sessions changed: re-planned (see JoinRunOptions.visitorIds). A trigger naming
   * only visitors runs without the watermark read, so it costs one Task read per 250 of their
   * calls, plus writes only where the plan changed — and nothing for visitors without calls.
   */
  visitorIds?: readonly string[];
}

export interface JoinWatch {
  /**
   * Runs the join now (or right after the current run); resolves with that run's summary.
   * An array is Task ids (`{ taskIds }`).
   */
  trigger(what?: readonly string[] | JoinTrigger): Promise<JoinSummary>;
  /**
   * Tasks just written (webhooks) and visitors with new events (tracking): collected for
   * `batchDelayMs` (default 1 s), then one `trigger()` for all of them, so a burst of calls or a
   * busy site costs one run per delay rather than a run (≥ 2 API requests) per call or page view.
   */
  triggerSoon(what: JoinTrigger): void;
  /** `triggerSoon({ visitorIds })`: new events for these visitors. */
  visitorsChanged(visitorIds: readonly string[]): void;
  /**
   * Changes how often the watch polls for changed Tasks; null = no polling (Change Data Capture
   * tells us about Tasks instead). Takes effect from now.
   */
  setIntervalMs(ms: number | null): void;
  /**
   * Stops the timer and cancels the run in progress: no new request starts, a backoff wait ends at
   * once, the request in flight finishes. What was not written is left for the next run.
   */
  stop(): Promise<void>;
}

/**
 * `join --watch` and the serve command: one run at a time; a trigger during a run queues exactly
 * one more run (several triggers share it), which picks up everything changed meanwhile.
 */
export const BATCH_DELAY_MS = 1000;
/**
 * While the daily request budget defers work that can wait (budget.ts), the periodic watermark read
 * (Tasks other writers made) runs at most this often, and visitor re-plans wait for the budget.
 * Tasks a webhook just wrote are joined at once whatever the budget: the calls are never deferred.
 */
export const DEFERRED_INTERVAL_MS = 60_000;

export function startJoinWatch(
  deps: JoinDeps,
  opts: {
    /** null: no periodic runs (see setIntervalMs). */
    intervalMs: number | null;
    /** How long triggerSoon() collects Tasks and visitors before one run. */
    batchDelayMs?: number;
    onSummary?: (s: JoinSummary) => void;
    onError?: (err: unknown) => void;
  },
): JoinWatch {
  const log = deps.logger ?? silentLogger;
  const stopping = new AbortController();
  let running: Promise<JoinSummary> | null = null;
  let queued: Promise<JoinSummary> | null = null;
  /** Task ids and visitors named by triggers for the next run. */
  let nextIds = new Set<string>();
  let nextVisitors = new Set<string>();
  /** The next run reads changed Tasks by the watermark (false: it only re-plans visitors). */
  let nextReads = false;
  let timer: NodeJS.Timeout | null = null;
  let batchTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  /** Visitor re-plans held back while the budget defers them; run when it no longer does. */
  let deferredVisitors = new Set<string>();
  let lastTickRun = 0;
  const deferring = () => deps.gateway.budget().deferring;
  /** `what`, minus the visitor re-plans the budget holds back (kept for later). */
  const withinBudget = (what: JoinTrigger): JoinTrigger => {
    if (deferring()) {
      const before = deferredVisitors.size;
      for (const v of what.visitorIds ?? []) deferredVisitors.add(v);
      if (deferredVisitors.size > before)
        log.info(
          { visitors: deferredVisitors.size },
          'daily request budget: re-plans for late page views deferred',
        );
      return { taskIds: what.taskIds };
    }
    const visitorIds = [...deferredVisitors, ...(what.visitorIds ?? [])];
    deferredVisitors = new Set();
    return { taskIds: what.taskIds, visitorIds };
  };

  const runNow = (): Promise<JoinSummary> => {
    const taskIds = [...nextIds];
    const visitorIds = [...nextVisitors];
    const onlyVisitors = !nextReads && visitorIds.length > 0;
    nextIds = new Set();
    nextVisitors = new Set();
    nextReads = false;
    // Visitors whose re-plan did not complete wait for the next run (their Tasks did not change,
    // so the watermark would not bring them back).
    const keep = (vs: readonly string[]) => {
      if (!stopped) for (const v of vs) nextVisitors.add(v);
    };
    running = runJoinOnce(deps, { signal: stopping.signal, taskIds, visitorIds, onlyVisitors }).then(
      (s) => {
        keep(s.visitorsToRetry);
        opts.onSummary?.(s);
        return s;
      },
      (err: unknown) => {
        keep(visitorIds);
        if (err instanceof AbortedError) log.info('join run stopped before writing (shutting down)');
        else if (opts.onError) opts.onError(err);
        else log.error({ err: (err as Error).message }, 'join run failed');
        throw err;
      },
    );
    const done = running.finally(() => {
      running = null;
    });
    done.catch(() => undefined);
    return done;
  };

  const trigger = (what: readonly string[] | JoinTrigger = {}): Promise<JoinSummary> => {
    const { taskIds = [], visitorIds = [] } = Array.isArray(what)
      ? { taskIds: what as readonly string[] }
      : (what as JoinTrigger);
    for (const id of taskIds) nextIds.add(id);
    for (const v of visitorIds) nextVisitors.add(v);
    if (!visitorIds.length || taskIds.length) nextReads = true;
    if (!running) return runNow();
    if (!queued) {
      const current = running;
      queued = current
        .catch(() => undefined)
        .then(() => new Promise<void>((r) => setImmediate(r)))
        .then(() => {
          queued = null;
          if (stopped) throw new Error('join watch stopped');
          return runNow();
        });
      queued.catch(() => undefined);
    }
    return queued;
  };

  let intervalMs = opts.intervalMs;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || intervalMs === null) return;
    timer = setTimeout(() => {
      timer = null;
      if (deferring() && Date.now() - lastTickRun < DEFERRED_INTERVAL_MS) return schedule();
      lastTickRun = Date.now();
      // Re-plans the budget held back ride along with this read once it allows them.
      if (!deferring()) {
        for (const v of deferredVisitors) nextVisitors.add(v);
        deferredVisitors = new Set();
      }
      trigger()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  trigger()
    .catch(() => undefined)
    .finally(schedule);

  let soonTasks = new Set<string>();
  let soonVisitors = new Set<string>();
  const triggerSoon = ({ taskIds = [], visitorIds = [] }: JoinTrigger) => {
    if (stopped || (!taskIds.length && !visitorIds.length)) return;
    for (const id of taskIds) soonTasks.add(id);
    for (const v of visitorIds) soonVisitors.add(v);
    if (batchTimer) return; // not re-armed: a steady stream still gets a run every delay
    batchTimer = setTimeout(() => {
      batchTimer = null;
      const next = withinBudget({ taskIds: [...soonTasks], visitorIds: [...soonVisitors] });
      soonTasks = new Set();
      soonVisitors = new Set();
      if (!stopped && (next.taskIds?.length || next.visitorIds?.length)) trigger(next).catch(() => undefined);
    }, opts.batchDelayMs ?? BATCH_DELAY_MS);
    batchTimer.unref?.();
  };

  return {
    trigger: (what) => (stopped ? Promise.reject(new Error('join watch stopped')) : trigger(what)),
    triggerSoon,
    visitorsChanged: (visitorIds) => triggerSoon({ visitorIds }),
    setIntervalMs(ms) {
      if (ms === intervalMs) return;
      intervalMs = ms;
      // schedule() replaces a tick waiting on the old interval (there is only ever one timer).
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (batchTimer) clearTimeout(batchTimer);
      stopping.abort();
      await queued?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}
