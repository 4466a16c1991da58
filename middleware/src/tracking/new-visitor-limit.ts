import type { TrackedEvent } from '../domain/types';

/**
 * COLLECT_NEW_VISITORS_PER_MINUTE: at most `limit` distinct visitor ids per client address per
 * minute on /collect (issue 24: one address adding 60,000 events a minute, each with a fresh visitor
 * id, slipped past the per-visitor daily cap). A real browser sends one visitor id; an office or a
 * carrier NAT sends a few dozen a minute; a script inventing ids sends thousands. Events of the ids
 * past the limit are refused (429, the field named), the rest of the request is stored.
 *
 * Fixed one-minute windows in this process's memory, like the per-address request limit; at most
 * `maxEntries` address/visitor pairs are held, past that the window starts over (memory stays bounded
 * under a flood from many addresses).
 */
export class NewVisitorLimit {
  private window = -1;
  private entries = 0;
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly limit: number,
    private readonly maxEntries = 500_000,
  ) {}

  /** Splits a batch: events of visitor ids this address may still send this minute, and the rest's indexes. */
  admit(address: string, events: readonly TrackedEvent[], now: number): { refused: Set<TrackedEvent> } {
    const refused = new Set<TrackedEvent>();
    if (this.limit <= 0) return { refused };
    const window = Math.floor(now / 60_000);
    if (window !== this.window || this.entries >= this.maxEntries) {
      this.window = window;
      this.entries = 0;
      this.seen.clear();
    }
    let ids = this.seen.get(address);
    if (!ids) this.seen.set(address, (ids = new Set()));
    for (const e of events) {
      if (ids.has(e.visitorId)) continue;
      if (ids.size >= this.limit) {
        refused.add(e);
        continue;
      }
      ids.add(e.visitorId);
      this.entries++;
    }
    return { refused };
  }
}
