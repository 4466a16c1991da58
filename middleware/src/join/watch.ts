import { silentLogger, type Logger } from '../log';
import { AbortedError } from '../salesforce/port';
import type { TaskRecord } from '../domain';
import { runJoinOnce, type JoinDeps, type JoinSummary } from './runner';

/**
 * The join's scheduler (`join --watch`, serve): runs of runner.ts one at a time, triggered by
 * a timer, by webhooks (Task ids) and by tracking (visitors with new events), batched and within the
 * daily request budget.
 */

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
  /**
   * Tasks known whole (a create change event carries every field the join reads): planned without
   * a read. A trigger naming only these (and visitors) makes no watermark read: one composite write.
   */
  tasks?: readonly TaskRecord[];
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

export interface JoinWatchOptions {
  /** null: no periodic runs (see setIntervalMs). */
  intervalMs: number | null;
  /** How long triggerSoon() collects Tasks and visitors before one run. */
  batchDelayMs?: number;
  onSummary?: (s: JoinSummary) => void;
  onError?: (err: unknown) => void;
}

export function startJoinWatch(deps: JoinDeps, opts: JoinWatchOptions): JoinWatch {
  const log = deps.logger ?? silentLogger;
  const stopping = new AbortController();
  let running: Promise<JoinSummary> | null = null;
  let queued: Promise<JoinSummary> | null = null;
  /** Task ids and visitors named by triggers for the next run. */
  let nextIds = new Set<string>();
  let nextVisitors = new Set<string>();
  let nextTasks = new Map<string, TaskRecord>();
  /** The next run reads changed Tasks by the watermark (false: it only re-plans visitors). */
  let nextReads = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastTickRun = 0;
  const deferring = () => deps.gateway.budget().deferring;
  const held = holdWhileDeferring(deferring, log);

  const runNow = (): Promise<JoinSummary> => {
    const taskIds = [...nextIds];
    const visitorIds = [...nextVisitors];
    const tasks = [...nextTasks.values()].filter((t) => !nextIds.has(t.Id));
    const onlyVisitors = !nextReads && (visitorIds.length > 0 || tasks.length > 0);
    nextIds = new Set();
    nextVisitors = new Set();
    nextTasks = new Map();
    nextReads = false;
    // Visitors whose re-plan did not complete wait for the next run (their Tasks did not change,
    // so the watermark would not bring them back).
    const keep = (vs: readonly string[]) => {
      if (!stopped) for (const v of vs) nextVisitors.add(v);
    };
    running = runJoinOnce(deps, { signal: stopping.signal, taskIds, visitorIds, onlyVisitors, tasks }).then(
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
    const {
      taskIds = [],
      visitorIds = [],
      tasks = [],
    } = Array.isArray(what) ? { taskIds: what as readonly string[] } : (what as JoinTrigger);
    for (const id of taskIds) nextIds.add(id);
    for (const v of visitorIds) nextVisitors.add(v);
    for (const t of tasks) nextTasks.set(t.Id, t);
    if (taskIds.length || (!visitorIds.length && !tasks.length)) nextReads = true;
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
      if (!deferring()) for (const v of held.release()) nextVisitors.add(v);
      trigger()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  trigger()
    .catch(() => undefined)
    .finally(schedule);

  const soon = collectForDelay(opts.batchDelayMs ?? BATCH_DELAY_MS, (what) => {
    const next = held.withinBudget(what);
    if (!stopped && (next.taskIds?.length || next.visitorIds?.length)) trigger(next).catch(() => undefined);
  });
  const triggerSoon = (what: JoinTrigger) => {
    if (!stopped) soon(what);
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
      soon.cancel();
      stopping.abort();
      await queued?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}

/** Visitor re-plans held back while the daily budget defers them; let through when it no longer does. */
function holdWhileDeferring(deferring: () => boolean, log: Logger) {
  let deferredVisitors = new Set<string>();
  const release = (): string[] => {
    const visitors = [...deferredVisitors];
    deferredVisitors = new Set();
    return visitors;
  };
  return {
    release,
    /** `what`, minus the visitor re-plans the budget holds back (kept for later). */
    withinBudget(what: JoinTrigger): JoinTrigger {
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
      return { taskIds: what.taskIds, visitorIds: [...release(), ...(what.visitorIds ?? [])] };
    },
  };
}

/** triggerSoon(): Task ids and visitors collected for `delayMs`, then handed to `fire` together. */
function collectForDelay(delayMs: number, fire: (what: JoinTrigger) => void) {
  let soonTasks = new Set<string>();
  let soonVisitors = new Set<string>();
  let batchTimer: NodeJS.Timeout | null = null;
  const add = ({ taskIds = [], visitorIds = [] }: JoinTrigger): void => {
    if (!taskIds.length && !visitorIds.length) return;
    for (const id of taskIds) soonTasks.add(id);
    for (const v of visitorIds) soonVisitors.add(v);
    if (batchTimer) return; // not re-armed: a steady stream still gets a run every delay
    batchTimer = setTimeout(() => {
      batchTimer = null;
      const what = { taskIds: [...soonTasks], visitorIds: [...soonVisitors] };
      soonTasks = new Set();
      soonVisitors = new Set();
      fire(what);
    }, delayMs);
    batchTimer.unref?.();
  };
  return Object.assign(add, {
    cancel(): void {
      if (batchTimer) clearTimeout(batchTimer);
    },
  });
}
