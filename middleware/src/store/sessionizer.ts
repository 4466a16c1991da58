/**
 * Deferred sessionization (R4), the scheduling half; both stores supply the work.
 *
 * An append only stores its events and marks their visitors dirty, in the same transaction, so
 * a crash loses nothing (SQLite: `dirty_visitors`, one row per visitor with the rowid of its
 * first new event; PostgreSQL: `pending_events`, one row per new event; see migrations.ts).
 * Dirty visitors are folded into their sessions with the incremental logic of incremental.ts:
 * - in the background, by this class: a pass every `intervalMs`, or as soon as `dirtyThreshold`
 *   visitors became dirty, in transactions of up to `batchSize` visitors, yielding to the event
 *   loop between transactions;
 * - by every read, for the visitors it asks for, before it reads (so readers never see stale
 *   sessions), and by `close()`, for all of them.
 */
export interface SessionizerOptions {
  /** Milliseconds between background passes; 0 turns the timer off (tests drive passes by hand). */
  intervalMs: number;
  /** A pass starts early once this many visitors became dirty since the last one. */
  dirtyThreshold: number;
  /** Visitors per transaction. */
  batchSize: number;
}

export const DEFAULT_SESSIONIZER_OPTIONS: SessionizerOptions = {
  intervalMs: 200,
  dirtyThreshold: 500,
  batchSize: 100,
};

/** What both stores offer beyond the Store contract, for tests and operations. */
export interface DeferredSessionizing {
  /** Runs a background pass now (what the timer does). */
  sessionizePass(): Promise<void>;
  /** How many visitors have events not yet folded into their sessions. */
  pendingVisitors(): Promise<number>;
  /** For tests: closes like a crash after appends were acknowledged; pending work stays stored. */
  closeWithoutSessionizing(): Promise<void>;
}

/** `step(limit)` sessionizes up to `limit` dirty visitors; true when more may be left. */
export type SessionizeStep = (limit: number) => Promise<boolean>;

export class BackgroundSessionizer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private noted = 0;
  private stopped = false;

  constructor(
    private readonly step: SessionizeStep,
    private readonly opts: SessionizerOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer || this.stopped || this.opts.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.pass(), this.opts.intervalMs);
    this.timer.unref(); // never keeps a CLI process alive; close() flushes
    void this.pass(); // pending work left by a crash is picked up at once
  }

  /** Appends report how many visitors they made dirty; enough of them start a pass early. */
  noteDirty(visitors: number): void {
    this.noted += visitors;
    if (this.timer && !this.running && this.noted >= this.opts.dirtyThreshold) {
      setImmediate(() => void this.pass());
    }
  }

  /** One pass: transactions of up to `batchSize` visitors until no dirty visitor is left. */
  pass(): Promise<void> {
    if (this.running) return this.running;
    this.noted = 0;
    this.running = (async () => {
      try {
        while (!this.stopped && (await this.step(this.opts.batchSize))) {
          await new Promise((r) => setImmediate(r)); // let requests in between transactions
        }
      } catch (err) {
        this.onError(err); // the events stay pending: the next pass or read retries them
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for a running pass; the store then flushes (or, in a test, does not). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
