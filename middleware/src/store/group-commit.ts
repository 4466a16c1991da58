/**
 * Group commit: callers submit work one item at a time; items that queue up while a commit is
 * running (or within the same event-loop turn) are committed together by one `run` call, which
 * returns one result per item in order. Under load this turns many small transactions (each
 * with its own commit and round trips) into a few bigger ones; idle, an item waits one turn.
 * If a shared run fails, every item is retried alone, so only a faulty item's caller fails.
 */
export class GroupCommit<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxInFlight = 1,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Commits whatever is queued now (used before closing the store). */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight > 0) {
      if (this.pending.length > 0 && this.inFlight < this.maxInFlight) await this.flush();
      else await new Promise((r) => setImmediate(r));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.pending;
    this.pending = [];
    if (jobs.length === 0) return;
    this.inFlight++;
    try {
      const results = await this.run(jobs.map((j) => j.item));
      jobs.forEach((j, i) => j.resolve(results[i]));
    } catch (err) {
      if (jobs.length === 1) jobs[0].reject(err);
      else {
        for (const j of jobs) {
          try {
            j.resolve((await this.run([j.item]))[0]);
          } catch (e) {
            j.reject(e);
          }
        }
      }
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
