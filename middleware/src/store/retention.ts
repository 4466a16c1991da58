import { DAY_MS } from '../domain/time';
import type { Logger } from '../log';
import { retentionDeleted } from '../metrics';
import type { EventRetention, JoinLedgerStore, LedgerPruneResult, PruneResult, StoreLocks } from './types';

/**
 * Retention (EVENT_RETENTION_DAYS): in the background, sessions whose last activity is older than
 * the lookback lose their events (Store.pruneExpired). Visitors with records in Salesforce (the
 * join ledger) keep a sealed summary of each such session, so re-planning them — a Task edited
 * later, a new call — yields the same First Touch and web sessions and deletes nothing in the org;
 * every other expired session goes.
 *
 * The join ledger is pruned in the same pass (Store.pruneJoinLedger): a visitor's ledger goes as a
 * whole once nothing in it changed for the retention period and the store holds no session or
 * event of that visitor — the same condition under which its sessions would have gone. Visitors
 * with sessions keep both: the sealed sessions and the ledger stay together, so a re-plan never
 * deletes their records as dropped out of the plan. Task entries without a BizibleId go once not
 * updated for the retention period. If such a Task is edited later, the join processes it as new
 * (one Task update written again).
 *
 * Work runs in batches, each its own short transaction under the join's lock (a run never sees a
 * visitor half-pruned), yielding to requests in between.
 */
export interface RetentionOptions {
  store: StoreLocks & EventRetention & Pick<JoinLedgerStore, 'pruneJoinLedger'>;
  days: number;
  /** Store lock held per batch (the join's), so pruning and join runs never interleave. */
  lock: string;
  logger: Logger;
  /** Between passes (default hourly); the first pass runs a minute after start. */
  intervalMs?: number;
  firstPassMs?: number;
  /** Sessions per transaction. */
  batchSize?: number;
  now?: () => number;
}

const DEFAULT_INTERVAL_MS = 60 * 60_000;
const DEFAULT_FIRST_PASS_MS = 60_000;
/** Sessions per transaction: ~8 ms for 100 sessions of 10 events on SQLite (docs/operations.md). */
const DEFAULT_BATCH = 100;

export type RetentionTotals = Omit<PruneResult, 'more'> & {
  /** Join ledger: visitors and Task entries removed. */
  ledgerVisitorsDeleted: number;
  ledgerTasksDeleted: number;
};

export interface Retention {
  /** One full pass now (or the one running): every expired session, batch after batch. */
  pass(): Promise<RetentionTotals>;
  stop(): Promise<void>;
}

export function startRetention(opts: RetentionOptions): Retention {
  const now = opts.now ?? Date.now;
  const stopping = new AbortController();
  let running: Promise<RetentionTotals> | null = null;

  const runPass = async (): Promise<RetentionTotals> => {
    const before = now() - opts.days * DAY_MS;
    const limit = opts.batchSize ?? DEFAULT_BATCH;
    const totals: RetentionTotals = {
      eventsDeleted: 0,
      sessionsDeleted: 0,
      sessionsSealed: 0,
      ledgerVisitorsDeleted: 0,
      ledgerTasksDeleted: 0,
    };
    /** Batches of `step` under the join's lock until one says there is no more (or did nothing). */
    const batches = async <R extends { more: boolean }>(step: () => Promise<R>, add: (r: R) => number) => {
      for (;;) {
        if (stopping.signal.aborted) break;
        const r = await opts.store.withLock(opts.lock, step, stopping.signal);
        const done = add(r);
        // A full batch whose every visitor was busy elsewhere made no progress: wait for the next pass.
        if (!r.more || done === 0) break;
        await new Promise((resolve) => setImmediate(resolve)); // let requests in between batches
      }
    };
    await batches(
      () => opts.store.pruneExpired({ before, limit }),
      (r: PruneResult) => {
        totals.eventsDeleted += r.eventsDeleted;
        totals.sessionsDeleted += r.sessionsDeleted;
        totals.sessionsSealed += r.sessionsSealed;
        retentionDeleted.inc({ kind: 'events' }, r.eventsDeleted);
        retentionDeleted.inc({ kind: 'sessions' }, r.sessionsDeleted);
        retentionDeleted.inc({ kind: 'sessions_sealed' }, r.sessionsSealed);
        return r.eventsDeleted + r.sessionsDeleted + r.sessionsSealed;
      },
    );
    // After the sessions: a visitor whose last sessions just went may now leave the ledger too.
    await batches(
      () => opts.store.pruneJoinLedger({ before, limit }),
      (r: LedgerPruneResult) => {
        totals.ledgerVisitorsDeleted += r.visitorsDeleted;
        totals.ledgerTasksDeleted += r.tasksDeleted;
        retentionDeleted.inc({ kind: 'ledger_tasks' }, r.tasksDeleted);
        return r.visitorsDeleted + r.tasksDeleted;
      },
    );
    if (Object.values(totals).some((n) => n > 0))
      opts.logger.info({ ...totals, days: opts.days }, 'retention pass deleted expired events');
    return totals;
  };

  const pass = (): Promise<RetentionTotals> => {
    running ??= runPass().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = () =>
    void pass().catch((err: unknown) => {
      if (!stopping.signal.aborted)
        opts.logger.warn({ err: (err as Error).message }, 'retention pass failed; retrying on the next one');
    });
  const first = setTimeout(tick, opts.firstPassMs ?? DEFAULT_FIRST_PASS_MS);
  const timer = setInterval(tick, opts.intervalMs ?? DEFAULT_INTERVAL_MS);
  first.unref();
  timer.unref();

  return {
    pass,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      stopping.abort();
      await running?.catch(() => undefined);
    },
  };
}
