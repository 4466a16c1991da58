import type { TrackedEvent } from '../domain/types';
import { DAY_MS } from '../domain/time';

/**
 * VISITOR_DAILY_EVENT_CAP: at most `cap` events per visitor per UTC day are kept; the rest are
 * dropped (the caller still answers 204: a tracking pixel must not error in the browser). A person
 * browsing makes a few dozen events a day; a script replaying one cookie id makes thousands — the
 * cap bounds what one visitor id can add to the store, the per-IP rate limit bounds the rest.
 *
 * Counted in memory, per process (a restart or another replica starts from zero): a count in the
 * store would cost a query per request. At most `maxVisitors` ids are counted per day; past that
 * the oldest first-seen ids are forgotten, so memory stays bounded under a flood of fresh ids.
 */
export class VisitorDailyCap {
  private day = -1;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly cap: number,
    private readonly maxVisitors = 200_000,
  ) {}

  /** Splits a batch into the events to store and how many went past their visitor's cap. */
  admit(events: readonly TrackedEvent[], now: number): { kept: TrackedEvent[]; dropped: number } {
    if (this.cap <= 0) return { kept: [...events], dropped: 0 };
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.counts.clear();
    }
    const kept: TrackedEvent[] = [];
    for (const e of events) {
      const n = this.counts.get(e.visitorId) ?? 0;
      if (n >= this.cap) continue;
      if (n === 0 && this.counts.size >= this.maxVisitors) {
        this.counts.delete(this.counts.keys().next().value as string);
      }
      this.counts.set(e.visitorId, n + 1);
      kept.push(e);
    }
    return { kept, dropped: events.length - kept.length };
  }
}
