import type { TrackedEvent, WebSession } from '../domain/types';

/** What appending a batch of events did (ingest is idempotent on eventId). */
export interface AppendResult {
  inserted: number;
  duplicates: number;
  /** Visitors that got new events (their sessions include them from the next read on). */
  visitorsTouched: string[];
}

/** A durable outbox item: work that must reach Salesforce and survives crashes (issue 6). */
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
 * The middleware's own store. One interface, two implementations (SQLite embedded default,
 * PostgreSQL by DATABASE_URL); one shared test suite runs against both.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Human description for start-up output: the SQLite path or the PostgreSQL host/db (no password). */
  readonly description: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;

  /**
   * Stores events (dedup by eventId) and marks their visitors for re-sessionizing (R4), which
   * runs in the background; every read below first sessionizes what it returns, so it always
   * includes every acknowledged event. close() sessionizes everything still pending.
   */
  appendEvents(events: TrackedEvent[]): Promise<AppendResult>;
  /** All sessions of the given visitors, each list ordered by startedAt. */
  sessionsForVisitors(visitorIds: readonly string[]): Promise<Map<string, WebSession[]>>;
  /** A visitor's sessions overlapping [from, to] (epoch ms), ordered by startedAt. */
  sessionsForVisitor(visitorId: string, from?: number, to?: number): Promise<WebSession[]>;
  countEvents(): Promise<number>;
  countSessions(): Promise<number>;

  /** Small key/value state (e.g. the join's SystemModstamp watermark). */
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;

  /** Durable outbox (issue 6). */
  enqueue(kind: string, key: string, payload: string, now: number): Promise<OutboxItem>;
  /** Items whose nextAttemptAt <= now, oldest first. */
  due(kind: string, now: number, limit: number): Promise<OutboxItem[]>;
  complete(id: number): Promise<void>;
  retryLater(id: number, error: string, nextAttemptAt: number): Promise<void>;
  outboxDepth(kind?: string): Promise<number>;
}
