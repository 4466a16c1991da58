import type { Logger } from '../log';

/**
 * At most this many distinct visitors' re-plans are held while the daily request budget defers
 * them (about 7 MB of visitor ids). Past it the held ids are dropped and one full re-plan (every
 * call Task, `join --full`'s run, writing only what changed) stands for all of them, so no re-plan
 * is lost and memory does not grow with traffic.
 */
export const MAX_DEFERRED_REPLANS = 50_000;

/** The part of a join trigger (watch.ts JoinTrigger) the hold looks at. */
export interface ReplanTrigger {
  taskIds?: readonly string[];
  visitorIds?: readonly string[];
  people?: readonly string[];
  full?: boolean;
}

/** What the hold lets through: the held visitors, or a full re-plan when they overflowed. */
export interface HeldReplans {
  visitorIds: string[];
  full: boolean;
}

/** Visitor re-plans held back while the daily budget defers them; let through when it no longer does. */
export function holdWhileDeferring(deferring: () => boolean, log: Logger, max = MAX_DEFERRED_REPLANS) {
  let held = new Set<string>();
  let overflowed = false;
  const hold = (visitorIds: readonly string[]): void => {
    const before = held.size;
    for (const v of visitorIds) {
      if (overflowed) return;
      held.add(v);
      if (held.size > max) {
        overflowed = true;
        held = new Set();
        log.warn(
          { max },
          'daily request budget: more deferred re-plans than kept; one full re-plan will run instead',
        );
      }
    }
    if (held.size > before)
      log.info({ visitors: held.size }, 'daily request budget: re-plans for late page views deferred');
  };
  const release = (): HeldReplans => {
    const out = { visitorIds: [...held], full: overflowed };
    held = new Set();
    overflowed = false;
    return out;
  };
  return {
    release,
    /** `what`, minus the visitor re-plans the budget holds back (kept for later). */
    withinBudget(what: ReplanTrigger): ReplanTrigger {
      if (deferring()) {
        hold(what.visitorIds ?? []);
        return { taskIds: what.taskIds, people: what.people };
      }
      const released = release();
      return {
        taskIds: what.taskIds,
        people: what.people,
        visitorIds: [...released.visitorIds, ...(what.visitorIds ?? [])],
        ...(released.full ? { full: true } : {}),
      };
    },
  };
}
