import { LockAbortedError } from '../store/locks';
import type { StoreLocks } from '../store/types';
import { AbortedError } from '../salesforce/port';

/**
 * The store lock every writer of the join's records holds — a join run, a batch of calls
 * (calls/batch-write.ts), retention — so replicas sharing one PostgreSQL take turns and no Task or
 * visitor is ever planned and written by two of them at once: the ledger stays whole.
 */
export const JOIN_LOCK = 'join';

/** `work` under JOIN_LOCK; a stop (the signal) while waiting for it is a stop, not a failure. */
export async function withJoinLock<T>(
  store: StoreLocks,
  what: string,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await store.withLock(JOIN_LOCK, work, signal);
  } catch (err) {
    if (err instanceof LockAbortedError) throw new AbortedError(what);
    throw err;
  }
}
