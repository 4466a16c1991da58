import { silentLogger } from '../log';
import { AbortedError } from '../salesforce/port';
import type { TaskRecord } from '../domain';
import { holdWhileDeferring } from './deferred-replans';
import { runJoinOnce, type JoinDeps, type JoinSummary } from './runner';
import {
  emptyOpportunityEvents,
  hasOpportunityEvents,
  mergeOpportunityEvents,
  type OpportunityEvents,
} from './opportunity-events';

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
  /**
   * Contacts and Leads whose touchpoints a batch of calls just wrote: their Opportunities are
   * re-planned (no request for people on no Opportunity, opportunity-state.ts).
   */
  people?: readonly string[];
  /** Ask the org for Opportunity changes in this run (the Opportunity timer). */
  pollOpportunities?: boolean;
  /** Change Data Capture events naming Opportunities to re-plan (no poll, no Task read). */
  opportunityEvents?: OpportunityEvents;
  /** Re-plan every call Task: stands for more deferred visitor re-plans than are kept (deferred-replans.ts). */
  full?: boolean;
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
  /** Whether runs keep Opportunity touchpoints current (JoinDeps.opportunities). */
  readonly keepsOpportunities: boolean;
  /**
   * Turns the Opportunity poll (opportunityIntervalMs) off while Change Data Capture reports every
   * entity it would ask about, and back on when it no longer does.
   */
  opportunityPolling(on: boolean): void;
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
  /**
   * How often a run asks the org for Opportunity changes (deps.opportunities set; null or unset: never).
   * Such a run reads no Tasks unless something else asked for it: one request when nothing changed.
   */
  opportunityIntervalMs?: number | null;
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
  const next = nextRun(!!deps.opportunities);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let lastTickRun = 0;
  const deferring = () => deps.gateway.budget().deferring;
  const held = holdWhileDeferring(deferring, log);

  const runNow = (): Promise<JoinSummary> => {
    const runOpts = next.take();
    const { visitorIds, people, pollOpportunities, full } = runOpts;
    // Visitors whose re-plan did not complete wait for the next run (their Tasks did not change,
    // so the watermark would not bring them back).
    const keep = (vs: readonly string[]) => {
      if (!stopped) next.add({ visitorIds: vs, reads: false });
    };
    running = runJoinOnce(deps, { ...runOpts, signal: stopping.signal }).then(
      (s) => {
        keep(s.visitorsToRetry);
        opts.onSummary?.(s);
        return s;
      },
      (err: unknown) => {
        keep(visitorIds);
        if (!stopped) next.add({ people, pollOpportunities, full, reads: false });
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
    const t: JoinTrigger = Array.isArray(what)
      ? { taskIds: what as readonly string[] }
      : (what as JoinTrigger);
    // A trigger naming only visitors, known Tasks, people or an Opportunity poll reads no Tasks by
    // the watermark.
    const only =
      t.visitorIds?.length ||
      t.tasks?.length ||
      t.people?.length ||
      t.pollOpportunities ||
      hasOpportunityEvents(t.opportunityEvents);
    next.add({ ...t, reads: !!t.taskIds?.length || !!t.full || !only });
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
      if (!deferring()) next.add({ ...held.release(), reads: false });
      trigger()
        .catch(() => undefined)
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  trigger()
    .catch(() => undefined)
    .finally(schedule);
  const oppPoll = opportunityTimer(deps.opportunities ? (opts.opportunityIntervalMs ?? null) : null, () => {
    if (!stopped) trigger({ pollOpportunities: true }).catch(() => undefined);
  });

  const soon = collectForDelay(opts.batchDelayMs ?? BATCH_DELAY_MS, (what) => {
    const next = held.withinBudget(what);
    if (!stopped && (next.taskIds?.length || next.visitorIds?.length || next.people?.length || next.full))
      trigger(next).catch(() => undefined);
  });
  const triggerSoon = (what: JoinTrigger) => {
    if (!stopped) soon(what);
  };

  return {
    trigger: (what) => (stopped ? Promise.reject(new Error('join watch stopped')) : trigger(what)),
    triggerSoon,
    visitorsChanged: (visitorIds) => triggerSoon({ visitorIds }),
    keepsOpportunities: !!deps.opportunities,
    opportunityPolling: (on) => oppPoll.set(on && !stopped),
    setIntervalMs(ms) {
      if (ms === intervalMs) return;
      intervalMs = ms;
      // schedule() replaces a tick waiting on the old interval (there is only ever one timer).
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      oppPoll.set(false);
      soon.cancel();
      stopping.abort();
      await queued?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}

/** triggerSoon(): Task ids and visitors collected for `delayMs`, then handed to `fire` together. */
function collectForDelay(delayMs: number, fire: (what: JoinTrigger) => void) {
  let soonTasks = new Set<string>();
  let soonVisitors = new Set<string>();
  let soonPeople = new Set<string>();
  let batchTimer: NodeJS.Timeout | null = null;
  const add = ({ taskIds = [], visitorIds = [], people = [] }: JoinTrigger): void => {
    if (!taskIds.length && !visitorIds.length && !people.length) return;
    for (const id of taskIds) soonTasks.add(id);
    for (const v of visitorIds) soonVisitors.add(v);
    for (const p of people) soonPeople.add(p);
    if (batchTimer) return; // not re-armed: a steady stream still gets a run every delay
    batchTimer = setTimeout(() => {
      batchTimer = null;
      const what = { taskIds: [...soonTasks], visitorIds: [...soonVisitors], people: [...soonPeople] };
      soonTasks = new Set();
      soonVisitors = new Set();
      soonPeople = new Set();
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

/** The Opportunity poll timer (unref'd, like the watch's own), on unless turned off; none without an interval. */
function opportunityTimer(intervalMs: number | null, tick: () => void) {
  let t: NodeJS.Timeout | null = null;
  const set = (on: boolean): void => {
    if (on && !t && intervalMs !== null) {
      t = setInterval(tick, intervalMs);
      t.unref?.();
    } else if (!on && t) {
      clearInterval(t);
      t = null;
    }
  };
  set(true);
  return { set };
}

/**
 * What triggers asked of the next run: Task ids, known Tasks, visitors and people, an Opportunity
 * poll, and whether it reads Tasks by the watermark (false: it only re-plans). `take()` hands it over.
 */
function nextRun(pollFirst: boolean) {
  let ids = new Set<string>();
  let visitors = new Set<string>();
  let tasks = new Map<string, TaskRecord>();
  let people = new Set<string>();
  let events = emptyOpportunityEvents();
  /** The first run asks for Opportunity changes: it catches up. */
  let poll = pollFirst;
  let reads = false;
  let full = false;
  return {
    add(t: JoinTrigger & { reads: boolean }): void {
      for (const id of t.taskIds ?? []) ids.add(id);
      for (const v of t.visitorIds ?? []) visitors.add(v);
      for (const task of t.tasks ?? []) tasks.set(task.Id, task);
      for (const p of t.people ?? []) people.add(p);
      if (t.opportunityEvents) events = mergeOpportunityEvents(events, t.opportunityEvents);
      if (t.pollOpportunities) poll = true;
      if (t.reads) reads = true;
      if (t.full) full = true;
    },
    take() {
      const known = [...tasks.values()].filter((t) => !ids.has(t.Id));
      const run = {
        taskIds: [...ids],
        visitorIds: [...visitors],
        tasks: known,
        people: [...people],
        pollOpportunities: poll,
        opportunityEvents: events,
        full,
        onlyVisitors:
          !reads &&
          !full &&
          (visitors.size > 0 || known.length > 0 || people.size > 0 || poll || hasOpportunityEvents(events)),
      };
      ids = new Set();
      visitors = new Set();
      tasks = new Map();
      people = new Set();
      events = emptyOpportunityEvents();
      poll = false;
      reads = false;
      full = false;
      return run;
    },
  };
}
