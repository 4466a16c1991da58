/** A lock within this process (SQLite: one serve per data dir), FIFO, abortable while waiting. */
export class LocalLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(name, tail);
    try {
      await abortable(before, signal);
      return await work();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}

/** Waits for `p`, or rejects with the signal's reason when it fires first. */
export function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(lockAborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(lockAborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export class LockAbortedError extends Error {
  constructor() {
    super('stopped while waiting for a lock');
    this.name = 'LockAbortedError';
  }
}
const lockAborted = () => new LockAbortedError();
