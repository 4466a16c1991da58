import { isRequestFault } from './write-fault';

/**
 * What the store's write probe (Store.probeWrite) knows beyond its own tiny write: a real write
 * that failed recently. A full disk or a size ceiling can still take a one-row update that fits
 * in an existing page while every append fails, so a failed append or enqueue counts against
 * health until one succeeds again or `rememberMs` passes — unless the failure was the request's own
 * (write-fault.ts: a value the database refused), which is that request's error, not the store's.
 */
export class WriteHealth {
  private failure: { at: number; err: unknown } | null = null;

  constructor(
    private readonly rememberMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wraps an append or enqueue: records its outcome, passes it on. */
  track<T>(write: Promise<T>): Promise<T> {
    return write.then(
      (v) => {
        this.failure = null;
        return v;
      },
      (err: unknown) => {
        if (!isRequestFault(err)) this.failure = { at: this.now(), err };
        throw err;
      },
    );
  }

  /** Throws the last append failure while it is recent. */
  assertNoRecentFailure(): void {
    if (this.failure && this.now() - this.failure.at < this.rememberMs) throw this.failure.err;
  }
}
