import { DEFAULT_BIZIBLE_ID_FIELD } from '../domain';
import { backoffDelay } from '../retry';
import type { Logger } from '../log';
import { maskPersonalData } from '../log-mask';
import { isOrgUnavailable } from '../salesforce/error-class';
import { AbortedError } from '../salesforce/gateway';
import type { SalesforcePort } from '../salesforce/port';
import { upsertCallTask } from '../salesforce/tasks';
import type { CallOutbox, OutboxItem } from '../store/types';
import { CALL_OUTBOX_KIND, normalizedCallSchema } from './normalized-call';

/**
 * Moves calls from the durable outbox into Salesforce Tasks. The webhook has already answered the
 * vendor; from here on a failure (org down, limits, lock errors) only delays the Task: the item stays
 * in the store (surviving restarts) and is retried with capped exponential backoff and jitter.
 *
 * One loop per process handles one item at a time, so deliveries of the same call never race each
 * other here; the store keeps one item per key (call and progress, call-progress.ts: a copy of the
 * same state replaces the pending payload), and a delivery behind the Task's state is not written.
 * Items are claimed for `leaseMs` (Store.claimDue), so replicas sharing one PostgreSQL never work on
 * the same item; one whose replica died mid-write is due again when the lease ends, and the Task
 * upsert on Vendor_Call_Id__c makes that second write update the Task instead of adding one.
 */

/** How long a claimed item is hidden from other workers: far longer than one Task write. */
export const CLAIM_LEASE_MS = 30_000;

export interface CallOutboxWorkerOptions {
  store: CallOutbox;
  /** The org, counted as 'calls'; one attempt per request (this worker's backoff is the retry). */
  salesforce: SalesforcePort;
  logger: Logger;
  /** Called with the Task id after each write (serve wires it to the join trigger). */
  onTaskWritten?: (taskId: string) => void | Promise<void>;
  /** CALL_TASK_OWNER_ID. */
  ownerId?: string | null;
  /** R1 field name (Config.bizibleIdField). */
  bizibleIdField?: string;
  /** How often to look for due items when nobody kicks (ms). */
  pollMs?: number;
  batchSize?: number;
  /** Claim lease (default CLAIM_LEASE_MS). */
  leaseMs?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  now?: () => number;
  random?: () => number;
}

export interface CallOutboxWorker {
  /** Look for due items now (called after a webhook stored a call). */
  kick(): void;
  /** Resolves when no item is due any more (failed items rescheduled for later do not count). */
  drain(): Promise<void>;
  /**
   * Stops promptly: no new request starts (the one in flight may finish). A call whose Task write
   * was cut short stays in the outbox untouched, for the next start.
   */
  stop(): Promise<void>;
}

export function startCallOutboxWorker(opts: CallOutboxWorkerOptions): CallOutboxWorker {
  const log = opts.logger.child({ area: 'call-outbox' });
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const batchSize = opts.batchSize ?? 25;
  const baseMs = opts.backoff?.baseMs ?? 2_000;
  const maxMs = opts.backoff?.maxMs ?? 10 * 60_000;
  const bizibleIdField = opts.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const sf = opts.salesforce.for('calls', { maxAttempts: 1 });

  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const stopping = new AbortController();

  async function handle(item: OutboxItem): Promise<void> {
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
      return;
    }
    const call = parsed.data;
    const result = await upsertCallTask(sf, call, {
      bizibleIdField,
      ownerId: opts.ownerId ?? null,
      logger: log,
      signal: stopping.signal,
    });
    await opts.store.complete(item.id);
    if (result.stale) {
      // Acknowledged to the vendor already; the Task keeps the later state (call-progress.ts).
      log.info(
        { vendorCallId: call.vendorCallId, taskId: result.taskId },
        'stale delivery not written: the Task already shows a later state of this call',
      );
      return;
    }
    log.info(
      {
        vendorCallId: call.vendorCallId,
        taskId: result.taskId,
        created: result.created,
        whoId: result.whoId,
      },
      result.created ? 'call Task created' : 'call Task updated',
    );
    try {
      await opts.onTaskWritten?.(result.taskId);
    } catch (err) {
      log.warn(
        { taskId: result.taskId, err: (err as Error).message },
        'onTaskWritten failed (the join poll will catch up)',
      );
    }
  }

  async function reschedule(item: OutboxItem, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const delay = backoffDelay(item.attempts, baseMs, maxMs, random);
    log.warn(
      { key: item.key, attempts: item.attempts + 1, retryInMs: delay, err: message },
      'call Task write failed: will retry',
    );
    // Stored too: without the caller's number or the SOQL query string an org error may carry.
    await opts.store.retryLater(item.id, maskPersonalData(message).slice(0, 1000), now() + delay);
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
    const releaseFrom = (i: number) =>
      opts.store.release(
        items.slice(i).map((x) => x.id),
        now(),
      );
    for (let i = 0; i < items.length; i++) {
      if (stopped) return releaseFrom(i);
      try {
        await handle(items[i]);
      } catch (err) {
        // Stopped between two requests of this call: leave it due, exactly as it was.
        if (err instanceof AbortedError) return releaseFrom(i);
        // The org is down, out of allowance or our session is dead: the rest of the batch waits too.
        if (isOrgUnavailable(err)) {
          for (const item of items.slice(i)) await reschedule(item, err);
          return;
        }
        await reschedule(items[i], err);
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

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  }

  const timer = setInterval(kick, opts.pollMs ?? 5_000);
  timer.unref();
  kick();

  return {
    kick,
    async drain() {
      for (;;) {
        if (running) {
          await running;
          continue;
        }
        if (stopped) return;
        const due = await opts.store.due(CALL_OUTBOX_KIND, now(), 1);
        if (due.length === 0) return;
        kick();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopping.abort();
      if (running) await running;
    },
  };
}
