import type { Logger } from '../log';
import { subjectHash, type SubjectKind } from '../store/privacy-salt';
import type { ErasureStore, Suppression } from '../store/types';

/**
 * The suppression list (issue 23, docs/privacy.md): cookies and phone numbers that must not be
 * collected or joined again — erased ones, cookies whose browser sent Global Privacy Control, and
 * cookies whose visitor withdrew consent. Only salted hashes are kept (HMAC-SHA256 keyed by
 * PRIVACY_SALT), never the values; the same hash names an erasure's subject in its audit entry.
 *
 * The list is small (one row per erased cookie or number) and read on every /collect request and
 * webhook, so each process keeps it in memory and reloads it every `refreshMs`; a mark made in this
 * process counts at once, one made by another process (the CLI, a replica) within `refreshMs`.
 */

export { privacySalt, subjectHash, type SubjectKind } from '../store/privacy-salt';

/** Reload interval of the in-memory list. */
export const SUPPRESSION_REFRESH_MS = 5_000;

export class SuppressionList {
  private hashes = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Pick<ErasureStore, 'suppress' | 'suppressedHashes'>,
    readonly salt: string,
    private readonly logger?: Logger,
    private readonly refreshMs = SUPPRESSION_REFRESH_MS,
  ) {}

  /** Loads the list, then reloads it every refreshMs (the timer does not keep the process alive). */
  async start(): Promise<this> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err) =>
        this.logger?.warn(
          { err: (err as Error).message },
          'suppression list reload failed; kept the last one',
        ),
      );
    }, this.refreshMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refresh(): Promise<void> {
    const next = new Set(await this.store.suppressedHashes());
    for (const h of this.hashes) next.add(h); // marks of this process not yet read back
    this.hashes = next;
  }

  hash(kind: SubjectKind, value: string): string {
    return subjectHash(kind, value, this.salt);
  }

  has(kind: 'cookie' | 'phone', value: string | null | undefined): boolean {
    return !!value && this.hashes.size > 0 && this.hashes.has(this.hash(kind, value));
  }

  /** Adds values to the list (here at once, in the store for every process). */
  async mark(entries: readonly { kind: 'cookie' | 'phone'; value: string; reason: string }[]): Promise<void> {
    const rows: Suppression[] = entries.map((e) => ({
      hash: this.hash(e.kind, e.value),
      kind: e.kind,
      reason: e.reason,
    }));
    for (const r of rows) this.hashes.add(r.hash);
    if (rows.length) await this.store.suppress(rows, Date.now());
  }
}
