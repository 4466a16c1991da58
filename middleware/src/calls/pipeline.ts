import { DEFAULT_BIZIBLE_ID_FIELD, type ChannelRules, type JoinOptions } from '../domain';
import type { Logger } from '../log';
import { backoffDelay } from '../retry';
import type { JoinStore } from '../join';
import type { JoinTrigger } from '../join';
import type { SalesforcePort } from '../salesforce/port';
import type { CallOutbox } from '../store/types';
import { outboxKey } from '../vendors/call-progress';
import { CALL_OUTBOX_KIND, type CallIntake } from '../vendors/normalized-call';
import { MAX_BATCH } from './batch-write';
import { DEFAULT_CALL_BATCH_WINDOW_MS } from './config';
import { processDue, type OutboxPassContext } from './outbox-pass';

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
  /** UNKNOWN_CALLER (default `leave`). */
  unknownCaller?: 'leave' | 'create-lead';
  /** R1 field name (Config.bizibleIdField). */
  bizibleIdField?: string;
  rules?: ChannelRules;
  joinOptions?: Partial<JoinOptions>;
  /** PRIVACY_SALT (unset: the store's salt): the join finds the suppressed visitors with it (R8). */
  privacySalt?: string | null;
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

export interface CallPipeline extends CallIntake {
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

export function startCallPipeline(opts: CallPipelineOptions): CallPipeline {
  const log = opts.logger.child({ area: 'calls' });
  const now = opts.now ?? Date.now;
  const windowMs = opts.windowMs ?? DEFAULT_CALL_BATCH_WINDOW_MS;

  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let windowTimer: NodeJS.Timeout | null = null;
  const stopping = new AbortController();
  const pass = passContext(opts, log, stopping.signal, () => stopped);

  async function loop(): Promise<void> {
    do {
      again = false;
      try {
        // A full batch means there may be more due right away.
        if (await processDue(pass)) again = true;
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
    /** The webhooks' door (vendors/router.ts): the call stored in the outbox, then written within the window. */
    async accept(call, receivedAtMs) {
      await opts.store.enqueue(CALL_OUTBOX_KIND, outboxKey(call), JSON.stringify(call), receivedAtMs);
      kick();
    },
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

/** What every pass of this pipeline needs (outbox-pass.ts), from its options. */
function passContext(
  opts: CallPipelineOptions,
  log: Logger,
  signal: AbortSignal,
  stopped: () => boolean,
): OutboxPassContext {
  const random = opts.random ?? Math.random;
  const baseMs = opts.backoff?.baseMs ?? 2_000;
  const maxMs = opts.backoff?.maxMs ?? 10 * 60_000;
  return {
    store: opts.store,
    sf: opts.salesforce.for('calls', { maxAttempts: 1 }),
    log,
    task: {
      bizibleIdField: opts.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD,
      ownerId: opts.ownerId ?? null,
      unknownCaller: opts.unknownCaller ?? 'leave',
    },
    rules: opts.rules,
    joinOptions: opts.joinOptions,
    privacySalt: opts.privacySalt,
    join: opts.join,
    batchSize: Math.min(opts.batchSize ?? MAX_BATCH, MAX_BATCH),
    leaseMs: opts.leaseMs ?? CLAIM_LEASE_MS,
    now: opts.now ?? Date.now,
    retryDelay: (attempts) => backoffDelay(attempts, baseMs, maxMs, random),
    signal,
    stopped,
    async written(taskId) {
      try {
        await opts.onTaskWritten?.(taskId);
      } catch (err) {
        log.warn({ taskId, err: (err as Error).message }, 'onTaskWritten failed');
      }
    },
  };
}
