/**
 * A small in-memory cache for page data read from the org: every org request counts against the
 * org's daily API limit, so repeated views of the same page within a few seconds share one read.
 * Concurrent misses share the same promise; a failed read is not kept. Bounded: the oldest entry
 * goes first.
 */
/** Bumped by clearPageCaches: a cache that saw an older value drops its entries on its next read. */
let generation = 0;

/**
 * Drops every page cache of this process at once (an erasure finished in it: no page may go on
 * showing what was erased). Other processes' caches expire by themselves within their TTL (20 s).
 */
export function clearPageCaches(): void {
  generation++;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();
  private seen = generation;

  constructor(
    private readonly options: { maxEntries: number; ttlMs: (value: T) => number; now?: () => number },
  ) {}

  get(key: string, load: () => Promise<T>, refresh = false): Promise<T> {
    if (this.seen !== generation) {
      this.entries.clear();
      this.seen = generation;
    }
    const now = (this.options.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && !refresh && hit.until > now) return hit.value;
    const value = load();
    const entry = { until: Number.POSITIVE_INFINITY, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    value.then(
      (v) => {
        entry.until = (this.options.now ?? Date.now)() + this.options.ttlMs(v);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }
}

/** A page's org read is tried this often (a viewer is waiting; the cache covers the next views). */
export const PAGE_ATTEMPTS = 3;

/**
 * `?refresh=1`: the viewer asks for a fresh read from the org instead of the cached one. Not while
 * the daily request budget defers work that can wait (salesforce/budget.ts): then the cache answers.
 */
export function refreshAsked(query: { refresh?: unknown }, deferring = false): boolean {
  return query.refresh === '1' && !deferring;
}
