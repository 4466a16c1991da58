import { bizibleIdOf, type TaskRecord } from '../domain';
import type { JoinLedger, TaskLedger, VisitorLedger } from './ledger';
import { personCookies, whoIdsOf } from './persons';
import { withSetupHint } from './setup-hint';
import { callTaskCondition, inputHash, taskSelectFields } from './task-fields';
import type { SalesforcePort } from '../salesforce/port';
import { soqlDateTime, soqlList } from '../salesforce/soql';
import { TASK_LEFT_ALONE } from '../store/types';

/**
 * The join's read step: which call Tasks to plan, for which visitors, with what the ledger says was
 * last done for them. Reads only (Task queries and ledger reads); the plan, diff, write and commit
 * steps follow in runner.ts.
 */

/** Re-read this much before the watermark: Tasks committed late are not skipped. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** BizibleIds per `IN (…)` query: keeps the GET URL well under Salesforce's 16 KB. */
export const IN_CHUNK = 250;
/**
 * Call Tasks per watermark read (one run reads its changes in pages of this many, committing
 * after each: runner.ts). Bounds the join's memory — the first run of a new store reads every call
 * Task — to one page's Tasks, their visitors' other calls and sessions, whatever the org holds.
 */
export const JOIN_READ_PAGE = 10_000;
/** Task ids a trigger may name in the read (more than this: the watermark alone finds them). */
const MAX_TRIGGER_IDS = 200;

export interface JoinReadRequest {
  /** Ignore the watermark and re-plan every call Task. */
  full?: boolean;
  /** Tasks a webhook just wrote: read by Id as well as by the watermark. */
  taskIds?: readonly string[];
  /** Visitors whose sessions changed: their calls are re-planned (Task ids from the ledger). */
  visitorIds?: readonly string[];
  /** Re-plan only `visitorIds`: no watermark read. */
  onlyVisitors?: boolean;
  /**
   * Tasks known whole without a read (a create change event carries every field the join reads):
   * planned as if read, by no request. They do not move the watermark; a Task the query also
   * returns is taken from the query.
   */
  tasks?: readonly TaskRecord[];
  /** A later page of a full read: Tasks from this SystemModstamp on (the previous page's last). */
  after?: string;
  /** No page limit: a page that cannot move the watermark (more Tasks at one instant than a page). */
  unpaged?: boolean;
  /** R14: Lead Id → converted Contact Id (one person with the Contact, R21). */
  conversions?: ReadonlyMap<string, string>;
}

export interface JoinReadContext {
  gw: SalesforcePort;
  ledger: JoinLedger;
  /** The BizibleId field (R1) and the Task fields read (taskFields). */
  biz: string;
  fields: string[];
  overlapMs?: number;
  /** Tasks per page (default JOIN_READ_PAGE). */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface JoinInput {
  /** The watermark the read started from (null: a full read). */
  watermark: string | null;
  /** Tasks read by the watermark (and trigger ids), in SystemModstamp order. */
  read: TaskRecord[];
  /** The read filled its page (JOIN_READ_PAGE): more Tasks may follow the last one read. */
  more: boolean;
  /** Visitors re-planned for their sessions' sake although none of their Tasks changed. */
  replanned: string[];
  /** Every visitor planned in this run. */
  visitors: Set<string>;
  /** Ledger entries of those visitors (empty for a visitor never written). */
  visitorLedgers: Map<string, VisitorLedger>;
  /** Every Task to plan: all call Tasks of those visitors, and changed Tasks without a visitor. */
  planTasks: TaskRecord[];
  /** Ledger entries of the Tasks read and planned (null: never processed). */
  taskLedgers: Map<string, TaskLedger | null>;
}

export async function readJoinInput(ctx: JoinReadContext, req: JoinReadRequest): Promise<JoinInput> {
  const { gw, ledger, biz, fields } = ctx;
  const call = { signal: ctx.signal };
  const page = ctx.pageSize ?? JOIN_READ_PAGE;

  // 0. Visitors re-planned for their sessions' sake (R11): only those the ledger knows calls of,
  //    so page views of visitors who never called cost no API request.
  const replan = new Map<string, VisitorLedger>();
  if (!req.full && req.visitorIds?.length)
    for (const [v, led] of await ledger.visitors(req.visitorIds)) if (led.tasks.length) replan.set(v, led);
  const onlyVisitors = !!req.onlyVisitors && !req.full;

  // 1. Read changed call Tasks since the watermark (minus an overlap).
  const watermark = req.full ? (req.after ?? null) : await ledger.getWatermark();
  const read = onlyVisitors ? [] : await readChangedTasks(ctx, req, watermark, page);

  // 2. Which Tasks changed since they were last processed, and which visitors that touches.
  const queriedIds = new Set(read.map((t) => t.Id));
  const known = [...read, ...(req.tasks ?? []).filter((t) => !queriedIds.has(t.Id))];
  const taskLedgers = new Map<string, TaskLedger | null>();
  const readLedgers = await ledger.tasks(known.map((t) => t.Id));
  const affectedTasks: TaskRecord[] = [];
  const visitors = new Set<string>();
  for (const t of known) {
    const prev = readLedgers.get(t.Id) ?? null;
    taskLedgers.set(t.Id, prev);
    if (prev?.out === TASK_LEFT_ALONE || (!req.full && prev?.in === inputHash(t, fields))) continue; // R24
    affectedTasks.push(t);
    const v = bizibleIdOf(t, biz);
    if (v) visitors.add(v);
    if (prev?.v && prev.v !== v) visitors.add(prev.v); // the Task left that visitor
  }

  // 2b. Visitors to re-plan whose Tasks did not change: read their Tasks (ids from the ledger) by
  //     Id — one query per 250 Tasks — unless this read already has them.
  const replanned = [...replan.keys()].filter((v) => !visitors.has(v));
  const readIds = new Set(known.map((t) => t.Id));
  const replanIds = replanned.flatMap((v) => replan.get(v)!.tasks).filter((id) => !readIds.has(id));
  const byIdRead = await readTasksById(ctx, replanIds);
  for (const v of replanned) visitors.add(v);
  for (const id of replanIds) readIds.add(id); // asked for by Id: a deleted Task is not re-queried

  // 2c. R21: the people's other cookies (from the ledger, no request) are planned with them; their
  //     Tasks are read with step 3's. A whole full read has every call Task already.
  const more = !onlyVisitors && !req.unpaged && read.length >= page;
  if (watermark || more)
    for (const v of await personCookies(ledger, visitors, whoIdsOf(affectedTasks), req.conversions))
      visitors.add(v);

  // 3. All call Tasks of those visitors (R9 positions need every call). A whole full read already
  //    has them; otherwise (a watermark read, a page) query only visitors the ledger knows other
  //    Tasks of (a later page re-plans a visitor whose calls an earlier page committed).
  const visitorLedgers = new Map<string, VisitorLedger>(replan);
  for (const [v, led] of await ledger.visitors([...visitors].filter((x) => !visitorLedgers.has(x))))
    visitorLedgers.set(v, led);
  const byId = new Map<string, TaskRecord>();
  for (const t of [...known, ...byIdRead])
    if (bizibleIdOf(t, biz) && visitors.has(bizibleIdOf(t, biz) as string)) byId.set(t.Id, t);
  for (const t of affectedTasks) byId.set(t.Id, t);
  if (watermark || more) {
    const toFetch = [...visitors].filter((v) => visitorLedgers.get(v)!.tasks.some((id) => !readIds.has(id)));
    for (let i = 0; i < toFetch.length; i += IN_CHUNK) {
      const chunk = toFetch.slice(i, i + IN_CHUNK);
      const rows = await gw.query<TaskRecord>(
        `SELECT ${taskSelectFields(fields)} FROM Task WHERE ${biz} IN (${soqlList(chunk)})`,
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

  return { watermark, read, more, replanned, visitors, visitorLedgers, planTasks, taskLedgers };
}

/**
 * Step 1: the call Tasks changed since the watermark (minus an overlap), or all of them without
 * one; a page of them (`page`) unless the request is unpaged.
 */
async function readChangedTasks(
  ctx: JoinReadContext,
  req: JoinReadRequest,
  watermark: string | null,
  page: number,
): Promise<TaskRecord[]> {
  const { gw, biz, fields } = ctx;
  const callish = callTaskCondition(biz);
  // The overlap re-reads only Tasks the join never gave a status: a late-committed new Task is
  // caught, while the join's own recent Task updates are not read over and over.
  const overlapStart = watermark ? Date.parse(watermark) - (ctx.overlapMs ?? WATERMARK_OVERLAP_MS) : 0;
  const byTrigger =
    req.taskIds?.length && req.taskIds.length <= MAX_TRIGGER_IDS
      ? ` OR Id IN (${soqlList([...req.taskIds])})`
      : '';
  const since = watermark
    ? ` AND (SystemModstamp >= ${soqlDateTime(watermark)} OR (SystemModstamp >= ${soqlDateTime(overlapStart)} AND Call_Join_Status__c = null)${byTrigger})`
    : '';
  return withSetupHint(
    gw.query<TaskRecord>(
      `SELECT ${taskSelectFields(fields)} FROM Task WHERE ${callish}${since} ORDER BY SystemModstamp, Id${req.unpaged ? '' : ` LIMIT ${page}`}`,
      undefined,
      { signal: ctx.signal },
    ),
    biz,
  );
}

/** Step 2b: Tasks by Id, one query per IN_CHUNK of them. */
async function readTasksById(ctx: JoinReadContext, ids: readonly string[]): Promise<TaskRecord[]> {
  const { gw, biz, fields } = ctx;
  const out: TaskRecord[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    out.push(
      ...(await withSetupHint(
        gw.query<TaskRecord>(
          `SELECT ${taskSelectFields(fields)} FROM Task WHERE Id IN (${soqlList(ids.slice(i, i + IN_CHUNK))})`,
          undefined,
          { signal: ctx.signal },
        ),
        biz,
      )),
    );
  }
  return out;
}
