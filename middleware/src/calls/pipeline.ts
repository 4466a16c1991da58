import { DEFAULT_BIZIBLE_ID_FIELD, type ChannelRules, type JoinOptions } from '../domain';
import type { Logger } from '../log';
import { maskPersonalData } from '../log-mask';
import { callBatchSize, callOutcomes, callsParked } from '../metrics';
import { backoffDelay } from '../retry';
import { isOrgUnavailable } from '../salesforce/error-class';
import { AbortedError } from '../salesforce/port';
import type { JoinStore } from '../join';
import type { JoinTrigger } from '../join';
import type { SalesforcePort } from '../salesforce/port';
import type { CallOutbox, OutboxItem } from '../store/types';
import { compareProgress } from '../vendors/call-progress';
import { CALL_OUTBOX_KIND, normalizedCallSchema, type NormalizedCall } from '../vendors/normalized-call';
import { MAX_BATCH, writeCallBatch } from './batch-write';
import type { CallFate } from './call-fates';
import { DEFAULT_CALL_BATCH_WINDOW_MS } from './config';
import { isRefusal, shouldPark } from './parking';
import { upsertCallTask } from './single-call';

/**
 * Moves calls from the durable outbox into Salesforce: the calls pipeline. The webhook has already
 * answered the vendor; from here on a failure (org down, limits, lock errors) only delays the Task:
 * the item stays in the store (surviving restarts) and is retried with capped exponential backoff.
 *
 * Calls that arrive within `windowMs` (CALL_BATCH_WINDOW_MS, ≤ 1 s) of the first one waiting are
 * written together: two org requests per batch (batch-write.ts), so a busy call centre costs a
 * fraction of a request per call and a lone call two. A call whose batch write failed is written
 * again on its own (single-call.ts) and then joined by the join watch, so one bad record fails alone.
 *
 * Items are claimed for `leaseMs` (Store.claimDue), so replicas sharing one PostgreSQL never work on
 * the same item; one whose replica died mid-write is due again when the lease ends, and the unique
 * Vendor_Call_Id__c makes that second write update the Task instead of adding one.
 */

/** How long a claimed item is hidden from other workers: far longer than one batch write. */
export const CLAIM_LEASE_MS = 30_000;

export interface CallPipelineOptions {
  store: CallOutbox & JoinStore;
  /** The org, counted as 'calls'; one attempt per request (this pipeline's backoff is the retry). */
  salesforce: SalesforcePort;
  logger: Logger;
  /** Called with each Task as soon as the pipeline writes it (serve tells Change Data Capture its events are ours). */
  onTaskWritten?: (taskId: string) => void | Promise<void>;
  /** The join watch: joins a call written on its own after its batch failed. */
  join?: { triggerSoon(what: JoinTrigger): void };
  /** CALL_TASK_OWNER_ID. */
  ownerId?: string | null;
  /** R1 field name (Config.bizibleIdField). */
  bizibleIdField?: string;
  rules?: ChannelRules;
  joinOptions?: Partial<JoinOptions>;
  /** CALL_BATCH_WINDOW_MS. */
  windowMs?: number;
  /** How often to look for due items when nobody kicks (ms). */
  pollMs?: number;
  batchSize?: number;
  /** Claim lease (default CLAIM_LEASE_MS). */
  leaseMs?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  now?: () => number;
  random?: () => number;
}

export interface CallPipeline {
  /** A call was stored: write it within the batching window. */
  kick(): void;
  /** Resolves when no item is due any more (failed items rescheduled for later do not count). */
  drain(): Promise<void>;
  /**
   * Stops promptly: no new request starts (the one in flight may finish). A call whose write was
   * cut short stays in the outbox untouched, for the next start.
   */
  stop(): Promise<void>;
}

interface Parsed {
  item: OutboxItem;
  call: NormalizedCall;
}

export function startCallPipeline(opts: CallPipelineOptions): CallPipeline {
  const log = opts.logger.child({ area: 'calls' });
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const batchSize = Math.min(opts.batchSize ?? MAX_BATCH, MAX_BATCH);
  const windowMs = opts.windowMs ?? DEFAULT_CALL_BATCH_WINDOW_MS;
  const baseMs = opts.backoff?.baseMs ?? 2_000;
  const maxMs = opts.backoff?.maxMs ?? 10 * 60_000;
  const taskOptions = {
    bizibleIdField: opts.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD,
    ownerId: opts.ownerId ?? null,
  };
  const sf = opts.salesforce.for('calls', { maxAttempts: 1 });

  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let windowTimer: NodeJS.Timeout | null = null;
  const stopping = new AbortController();

  /** Backoff — or, for the last refusal allowed (parking.ts), set aside with its reason. */
  async function reschedule(item: OutboxItem, err: unknown, refused = isRefusal(err)): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    if (shouldPark(refused, item.attempts)) {
      log.error(
        { key: item.key, attempts: item.attempts + 1, err: maskPersonalData(message) },
        'call parked: the org refused it for its content; `call-touchpoints outbox list` shows it, `outbox retry` sends it again',
      );
      callsParked.inc();
      await opts.store.park(item.id, maskPersonalData(message).slice(0, 1000));
      return;
    }
    const delay = backoffDelay(item.attempts, baseMs, maxMs, random);
    log.warn(
      { key: item.key, attempts: item.attempts + 1, retryInMs: delay, err: message },
      'call Task write failed: will retry',
    );
    // Stored too: without the caller's number or the SOQL query string an org error may carry.
    await opts.store.retryLater(item.id, maskPersonalData(message).slice(0, 1000), now() + delay);
  }

  async function written(taskId: string): Promise<void> {
    try {
      await opts.onTaskWritten?.(taskId);
    } catch (err) {
      log.warn({ taskId, err: (err as Error).message }, 'onTaskWritten failed');
    }
  }

  /** Valid calls, one per vendor call id (the furthest progress; the others are done). */
  async function parse(items: OutboxItem[]): Promise<Parsed[]> {
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
        log.error({ key: item.key, outboxId: item.id }, 'outbox item is not a valid call: dropped');
        await opts.store.complete(item.id);
        continue;
      }
      const call = parsed.data;
      const other = byCall.get(call.vendorCallId);
      if (other && compareProgress(other.call, call) >= 0) {
        await opts.store.complete(item.id); // a later state of this call is in the same batch
        continue;
      }
      if (other) await opts.store.complete(other.item.id);
      byCall.set(call.vendorCallId, { item, call });
    }
    return [...byCall.values()];
  }

  /** A call whose graph failed, written request by request, then joined by the watch. */
  async function alone(p: Parsed, reason: string): Promise<void> {
    log.warn(
      { vendorCallId: p.call.vendorCallId, err: maskPersonalData(reason) },
      'call could not be written with its batch: writing it on its own',
    );
    const result = await upsertCallTask(sf, p.call, { ...taskOptions, logger: log, signal: stopping.signal });
    await opts.store.complete(p.item.id);
    callOutcomes.inc({ how: result.stale ? 'stale' : 'alone' });
    if (!result.stale) {
      await written(result.taskId);
      opts.join?.triggerSoon({ taskIds: [result.taskId] });
    }
  }

  async function settle(p: Parsed, fate: CallFate): Promise<void> {
    const { call, item } = p;
    switch (fate.kind) {
      case 'written':
        await opts.store.complete(item.id);
        callOutcomes.inc({ how: 'batch' });
        log.info(
          { vendorCallId: call.vendorCallId, taskId: fate.taskId, created: fate.created, whoId: fate.whoId },
          fate.created ? 'call Task created' : 'call Task updated',
        );
        return;
      case 'stale':
        // Acknowledged to the vendor already; the Task keeps the later state (call-progress.ts).
        await opts.store.complete(item.id);
        callOutcomes.inc({ how: 'stale' });
        log.info(
          { vendorCallId: call.vendorCallId, taskId: fate.taskId },
          'stale delivery not written: the Task already shows a later state of this call',
        );
        return;
      case 'retry':
        return reschedule(item, new Error(fate.error), fate.refused === true);
      case 'fallback':
        return aloneOrLater(p, fate.error);
    }
  }

  async function aloneOrLater(p: Parsed, reason: string): Promise<void> {
    try {
      await alone(p, reason);
    } catch (err) {
      if (err instanceof AbortedError) throw err;
      await reschedule(p.item, err);
    }
  }

  async function processDue(): Promise<void> {
    if (stopped) return;
    const items = await opts.store.claimDue(
      CALL_OUTBOX_KIND,
      now(),
      batchSize,
      opts.leaseMs ?? CLAIM_LEASE_MS,
    );
    if (items.length === 0) return;
    // Stopping: the items not attempted are due again at once, exactly as they were.
    const release = (list: OutboxItem[]) =>
      opts.store.release(
        list.map((x) => x.id),
        now(),
      );
    const batch = await parse(items);
    if (batch.length) callBatchSize.observe(batch.length);
    let fates: CallFate[];
    try {
      fates = batch.length
        ? await writeCallBatch(
            {
              sf,
              store: opts.store,
              log,
              task: taskOptions,
              rules: opts.rules,
              joinOptions: opts.joinOptions,
              signal: stopping.signal,
              onTasks: (ids) => ids.forEach((id) => void written(id)),
            },
            batch.map((p) => p.call),
          )
        : [];
    } catch (err) {
      if (err instanceof AbortedError) return release(batch.map((p) => p.item));
      // The org is down, out of allowance or our session is dead: every call of the batch waits
      // (the writes are idempotent, nothing is half-done). A lone call's refusal counts toward parking.
      if (isOrgUnavailable(err) || batch.length === 1) {
        if (!isOrgUnavailable(err)) log.error({ err: (err as Error).message }, 'call batch failed');
        for (const p of batch) await reschedule(p.item, err);
        return;
      }
      // The org refused the whole request (one call's content can do that): each call is written on
      // its own now, so the good ones are not held back and the bad one fails — and is parked — alone.
      log.warn(
        { err: maskPersonalData((err as Error).message), calls: batch.length },
        'call batch refused: writing its calls one by one',
      );
      fates = batch.map((): CallFate => ({ kind: 'fallback', taskId: '', error: (err as Error).message }));
    }
    for (let i = 0; i < batch.length; i++) {
      // Stopping: a call still to be written on its own waits for the next start, as it was.
      if (stopped && fates[i].kind === 'fallback') {
        await release([batch[i].item]);
        continue;
      }
      try {
        await settle(batch[i], fates[i]);
      } catch (err) {
        if (err instanceof AbortedError) await release([batch[i].item]);
        else throw err;
      }
    }
    // A full batch means there may be more due right away.
    if (items.length === batchSize) again = true;
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      try {
        await processDue();
      } catch (err) {
        log.error({ err: (err as Error).message }, 'call outbox pass failed');
      }
    } while (again && !stopped);
  }

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  }

  /** The first call of a batch opens the window; calls arriving within it share the batch. */
  function kick(): void {
    if (stopped || windowTimer) return;
    if (windowMs <= 0) return run();
    windowTimer = setTimeout(() => {
      windowTimer = null;
      run();
    }, windowMs);
    windowTimer.unref?.();
  }

  // The poll finds calls retried later (backoff) or stored by another replica; it never cuts an
  // open window short (those calls go when it closes).
  const timer = setInterval(() => {
    if (!windowTimer) run();
  }, opts.pollMs ?? 5_000);
  timer.unref();
  run();

  return {
    kick,
    async drain() {
      for (;;) {
        if (windowTimer) {
          clearTimeout(windowTimer);
          windowTimer = null;
          run();
        }
        if (running) {
          await running;
          continue;
        }
        if (stopped) return;
        const due = await opts.store.due(CALL_OUTBOX_KIND, now(), 1);
        if (due.length === 0) return;
        run();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (windowTimer) clearTimeout(windowTimer);
      stopping.abort();
      if (running) await running;
    },
  };
}
