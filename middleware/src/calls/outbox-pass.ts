import type { ChannelRules, JoinOptions } from '../domain';
import type { Logger } from '../log';
import { maskPersonalData } from '../log-mask';
import { callBatchSize, callOutcomes, callsParked } from '../metrics';
import { isOrgUnavailable } from '../salesforce/error-class';
import { AbortedError } from '../salesforce/port';
import { leaveTaskAlone, type JoinStore } from '../join';
import type { JoinTrigger } from '../join';
import type { SalesforcePort } from '../salesforce/port';
import type { CallOutbox, OutboxItem } from '../store/types';
import { compareProgress } from '../vendors/call-progress';
import { CALL_OUTBOX_KIND, normalizedCallSchema, type NormalizedCall } from '../vendors/normalized-call';
import { writeCallBatch } from './batch-write';
import type { CallFate } from './call-fates';
import { isRefusal, shouldPark } from './parking';
import { upsertCallTask } from './single-call';
import type { TaskFieldOptions } from './task-fields';

/**
 * One pass of the calls pipeline (pipeline.ts): claim the due outbox items, write them as one batch,
 * and settle each item by its fate — done, retried later with backoff, parked, or written on its own.
 */

/** What a pass needs; built once by startCallPipeline. */
export interface OutboxPassContext {
  store: CallOutbox & JoinStore;
  /** The org, counted as 'calls', one attempt per request. */
  sf: SalesforcePort;
  log: Logger;
  task: TaskFieldOptions;
  rules?: ChannelRules;
  joinOptions?: Partial<JoinOptions>;
  /** PRIVACY_SALT (unset: the store's salt), for the join's suppressed visitors (R8). */
  privacySalt?: string | null;
  join?: { triggerSoon(what: JoinTrigger): void };
  batchSize: number;
  leaseMs: number;
  now: () => number;
  /** The delay before an item's next attempt (capped exponential backoff). */
  retryDelay: (attempts: number) => number;
  /** Aborted when the pipeline stops. */
  signal: AbortSignal;
  stopped: () => boolean;
  /** Tells the pipeline's onTaskWritten, never throwing. */
  written: (taskId: string) => Promise<void>;
}

interface Parsed {
  item: OutboxItem;
  call: NormalizedCall;
}

/** Claims and writes one batch of due calls; true when a full batch suggests more are due right away. */
export async function processDue(ctx: OutboxPassContext): Promise<boolean> {
  if (ctx.stopped()) return false;
  const items = await ctx.store.claimDue(CALL_OUTBOX_KIND, ctx.now(), ctx.batchSize, ctx.leaseMs);
  if (items.length === 0) return false;
  const batch = await parse(ctx, items);
  if (batch.length) callBatchSize.observe(batch.length);
  const fates = await writeBatch(ctx, batch);
  if (!fates) return false;
  await settleAll(ctx, batch, fates);
  return items.length === ctx.batchSize;
}

/** Stopping: the items not attempted are due again at once, exactly as they were. */
function release(ctx: OutboxPassContext, list: OutboxItem[]): Promise<void> {
  return ctx.store.release(
    list.map((x) => x.id),
    ctx.now(),
  );
}

/** Each call's fate, or null when the whole batch was released or rescheduled. */
async function writeBatch(ctx: OutboxPassContext, batch: Parsed[]): Promise<CallFate[] | null> {
  if (!batch.length) return [];
  const { log } = ctx;
  try {
    return await writeCallBatch(
      {
        sf: ctx.sf,
        store: ctx.store,
        log,
        task: ctx.task,
        rules: ctx.rules,
        joinOptions: ctx.joinOptions,
        signal: ctx.signal,
        privacySalt: ctx.privacySalt,
        onTasks: (ids) => ids.forEach((id) => void ctx.written(id)),
        // Their Opportunities are re-planned by the join watch (R13–R17), batches of calls together.
        onPeople: (people) => ctx.join?.triggerSoon({ people }),
      },
      batch.map((p) => p.call),
    );
  } catch (err) {
    if (err instanceof AbortedError) {
      await release(
        ctx,
        batch.map((p) => p.item),
      );
      return null;
    }
    // The org is down, out of allowance or our session is dead: every call of the batch waits
    // (the writes are idempotent, nothing is half-done). A lone call's refusal counts toward parking.
    if (isOrgUnavailable(err) || batch.length === 1) {
      if (!isOrgUnavailable(err)) log.error({ err: (err as Error).message }, 'call batch failed');
      for (const p of batch) await reschedule(ctx, p.item, err);
      return null;
    }
    // The org refused the whole request (one call's content can do that): each call is written on
    // its own now, so the good ones are not held back and the bad one fails — and is parked — alone.
    log.warn(
      { err: maskPersonalData((err as Error).message), calls: batch.length },
      'call batch refused: writing its calls one by one',
    );
    return batch.map((): CallFate => ({ kind: 'fallback', taskId: '', error: (err as Error).message }));
  }
}

async function settleAll(ctx: OutboxPassContext, batch: Parsed[], fates: CallFate[]): Promise<void> {
  for (let i = 0; i < batch.length; i++) {
    // Stopping: a call still to be written on its own waits for the next start, as it was.
    if (ctx.stopped() && fates[i].kind === 'fallback') {
      await release(ctx, [batch[i].item]);
      continue;
    }
    try {
      await settle(ctx, batch[i], fates[i]);
    } catch (err) {
      if (err instanceof AbortedError) await release(ctx, [batch[i].item]);
      else throw err;
    }
  }
}

/** Backoff — or, for the last refusal allowed (parking.ts), set aside with its reason. */
async function reschedule(
  ctx: OutboxPassContext,
  item: OutboxItem,
  err: unknown,
  refused = isRefusal(err),
): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  if (shouldPark(refused, item.attempts)) {
    ctx.log.error(
      { key: item.key, attempts: item.attempts + 1, err: maskPersonalData(message) },
      'call parked: the org refused it for its content; `call-touchpoints outbox list` shows it, `outbox retry` sends it again',
    );
    callsParked.inc();
    await ctx.store.park(item.id, maskPersonalData(message).slice(0, 1000));
    return;
  }
  const delay = ctx.retryDelay(item.attempts);
  ctx.log.warn(
    { key: item.key, attempts: item.attempts + 1, retryInMs: delay, err: message },
    'call Task write failed: will retry',
  );
  // Stored too: without the caller's number or the SOQL query string an org error may carry.
  await ctx.store.retryLater(item.id, maskPersonalData(message).slice(0, 1000), ctx.now() + delay);
}

/** Valid calls, one per vendor call id (the furthest progress; the others are done). */
async function parse(ctx: OutboxPassContext, items: OutboxItem[]): Promise<Parsed[]> {
  const byCall = new Map<string, Parsed>();
  for (const item of items) {
    let parsed;
    try {
      parsed = normalizedCallSchema.safeParse(JSON.parse(item.payload));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      // Written by an incompatible version or corrupted: it can never succeed, so it must not block.
      ctx.log.error({ key: item.key, outboxId: item.id }, 'outbox item is not a valid call: dropped');
      await ctx.store.complete(item.id);
      continue;
    }
    const call = parsed.data;
    const other = byCall.get(call.vendorCallId);
    if (other && compareProgress(other.call, call) >= 0) {
      await ctx.store.complete(item.id); // a later state of this call is in the same batch
      continue;
    }
    if (other) await ctx.store.complete(other.item.id);
    byCall.set(call.vendorCallId, { item, call });
  }
  return [...byCall.values()];
}

async function settle(ctx: OutboxPassContext, p: Parsed, fate: CallFate): Promise<void> {
  const { call, item } = p;
  switch (fate.kind) {
    case 'written':
      await ctx.store.complete(item.id);
      callOutcomes.inc({ how: 'batch' });
      ctx.log.info(
        { vendorCallId: call.vendorCallId, taskId: fate.taskId, created: fate.created, whoId: fate.whoId },
        fate.created ? 'call Task created' : 'call Task updated',
      );
      return;
    case 'stale':
      // Acknowledged to the vendor already; the Task keeps the later state (call-progress.ts).
      await ctx.store.complete(item.id);
      callOutcomes.inc({ how: 'stale' });
      ctx.log.info(
        { vendorCallId: call.vendorCallId, taskId: fate.taskId },
        'stale delivery not written: the Task already shows a later state of this call',
      );
      return;
    case 'retry':
      return reschedule(ctx, item, new Error(fate.error), fate.refused === true);
    case 'fallback':
      return aloneOrLater(ctx, p, fate.error);
  }
}

async function aloneOrLater(ctx: OutboxPassContext, p: Parsed, reason: string): Promise<void> {
  try {
    await alone(ctx, p, reason);
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    await reschedule(ctx, p.item, err);
  }
}

/** A call whose graph failed, written request by request, then joined by the watch. */
async function alone(ctx: OutboxPassContext, p: Parsed, reason: string): Promise<void> {
  ctx.log.warn(
    { vendorCallId: p.call.vendorCallId, err: maskPersonalData(reason) },
    'call could not be written with its batch: writing it on its own',
  );
  const result = await upsertCallTask(ctx.sf, p.call, {
    ...ctx.task,
    logger: ctx.log,
    signal: ctx.signal,
    store: ctx.store,
  });
  // R24: a suppressed number's Task is marked for the join to leave alone, not joined.
  if (p.call.suppressed && !result.stale)
    await leaveTaskAlone(
      { sf: ctx.sf, store: ctx.store, bizibleIdField: ctx.task.bizibleIdField, signal: ctx.signal },
      result.taskId,
    );
  await ctx.store.complete(p.item.id);
  callOutcomes.inc({ how: result.stale ? 'stale' : 'alone' });
  if (!result.stale && !p.call.suppressed) {
    await ctx.written(result.taskId);
    ctx.join?.triggerSoon({ taskIds: [result.taskId] });
  }
}
