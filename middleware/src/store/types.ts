import type { TrackedEvent, WebSession } from '../domain/types';

/** What appending a batch of events did (ingest is idempotent on eventId). */
export interface AppendResult {
  inserted: number;
  duplicates: number;
  /** Visitors that got new events (their sessions include them from the next read on). */
  visitorsTouched: string[];
}

/** The state row the health probe writes and reads back (Store.probeWrite). */
export const PROBE_KEY = 'health.probe';

/** What one retention batch did (pruneExpired). */
export interface PruneResult {
  /** Events deleted (their sessions were older than the cutoff). */
  eventsDeleted: number;
  /** Sessions deleted: their visitor has nothing in Salesforce. */
  sessionsDeleted: number;
  /** Sessions kept as a summary without their events: their visitor has records in Salesforce. */
  sessionsSealed: number;
  /** The batch was full: more may be due. */
  more: boolean;
}

/** A durable outbox item: work that must reach Salesforce and survives crashes. */
export interface OutboxItem {
  id: number;
  kind: string;
  /** Idempotency key (e.g. vendor + call id): enqueueing the same key again replaces the payload. */
  key: string;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

/**
 * Tracked events and the sessions made of them (tracking, the join, the demo site).
 * Events are stored (dedup by eventId) and their visitors marked for re-sessionizing (R4), which
 * runs in the background; every session read first sessionizes what it returns, so it always
 * includes every acknowledged event. close() sessionizes everything still pending.
 */
export interface EventStore {
  appendEvents(events: TrackedEvent[]): Promise<AppendResult>;
  /** All sessions of the given visitors, each list ordered by startedAt. */
  sessionsForVisitors(visitorIds: readonly string[]): Promise<Map<string, WebSession[]>>;
  /** A visitor's sessions overlapping [from, to] (epoch ms), ordered by startedAt. */
  sessionsForVisitor(visitorId: string, from?: number, to?: number): Promise<WebSession[]>;
  countEvents(): Promise<number>;
  /** Every session, pending events included: sessionizes every dirty visitor first (slow; CLI, tests). */
  countSessions(): Promise<number>;
  /**
   * Sessions stored right now, without sessionizing: one COUNT of the sessions table. Events still
   * pending are counted once the background sessionizer (within its interval) has folded them in.
   * What /metrics reports, so a scrape never does sessionizing work.
   */
  storedSessions(): Promise<number>;
}

/** Small key/value state (the join's ledger and watermark, the CDC replay id, automated visitors). */
export interface KeyValueState {
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
}

/** The durable outbox of calls to write to Salesforce (vendors/router.ts enqueues, outbox-worker.ts drains). */
export interface CallOutbox {
  /** Durable outbox: see OutboxItem. */
  enqueue(kind: string, key: string, payload: string, now: number): Promise<OutboxItem>;
  /** Items whose nextAttemptAt <= now, oldest first. */
  due(kind: string, now: number, limit: number): Promise<OutboxItem[]>;
  /**
   * Like due(), but claims the items: they are not due for anyone else for `leaseMs` (PostgreSQL:
   * `FOR UPDATE SKIP LOCKED`, so replicas never claim the same item). complete() or retryLater()
   * ends the claim; an item whose claimer died is due again once the lease ends.
   */
  claimDue(kind: string, now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  /** Ends claims without an attempt (a stopping worker): the items are due again at `now`. */
  release(ids: readonly number[], now: number): Promise<void>;
  complete(id: number): Promise<void>;
  retryLater(id: number, error: string, nextAttemptAt: number): Promise<void>;
  outboxDepth(kind?: string): Promise<number>;
}

/** Locks shared by every process on this store (the join and retention take the same one). */
export interface StoreLocks {
  /**
   * Runs `work` while holding the lock `name` for every process sharing this store (PostgreSQL:
   * a session advisory lock; SQLite: this process), waiting for it; rejects if `signal` fires first.
   */
  withLock<T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Retention (retention.ts). */
export interface EventRetention {
  /**
   * Up to `limit` sessions whose last activity is before `before` (epoch ms), of visitors with no
   * events pending, lose their events in one transaction. A session whose visitor has the state key
   * `${keepPrefix}${visitorId}` (the join ledger: records in Salesforce) stays as a sealed summary,
   * so re-planning that visitor gives the same plan; any other such session is deleted. Sealed
   * sessions are final: later events never re-sessionize them.
   */
  pruneExpired(opts: { before: number; keepPrefix: string; limit: number }): Promise<PruneResult>;
}

/** What /healthz and /metrics read: cheap, and never sessionizing. */
export interface StoreProbe extends Pick<EventStore, 'storedSessions'>, Pick<CallOutbox, 'outboxDepth'> {
  readonly kind: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  /** Bytes the store takes on disk (SQLite: the file, its WAL and shared memory; PostgreSQL: our tables). */
  sizeBytes(): Promise<number>;
  /**
   * Proves the store can write: writes a probe row and reads it back. Throws the store's own
   * error (SQLITE_FULL, SQLITE_CORRUPT, a connection error) when it cannot, or the error of an
   * append or enqueue that failed within the last minute with none succeeding since.
   */
  probeWrite(): Promise<void>;
}

/**
 * The middleware's own store: the composition of the interfaces above, which callers take one by
 * one (the narrowest they use). Two implementations (SQLite embedded default, PostgreSQL by
 * DATABASE_URL); one shared test suite runs against both.
 */
export interface Store extends EventStore, KeyValueState, CallOutbox, StoreLocks, EventRetention, StoreProbe {
  /** Human description for start-up output: the SQLite path or the PostgreSQL host/db (no password). */
  readonly description: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
