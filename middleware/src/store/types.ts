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

/** Small key/value state (the CDC replay id, automated visitors, the health probe). */
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
  /** Items waiting or leased (parked ones not counted: they wait for a person, not for time). */
  outboxDepth(kind?: string): Promise<number>;
  /**
   * Sets an item aside (outbox-parking.ts): it is never due again until unparked or re-enqueued (a
   * vendor's corrected delivery of the same call makes it due at once). `reason` is kept as lastError.
   */
  park(id: number, reason: string): Promise<void>;
  /** Parked items of `kind`, oldest first. */
  parked(kind: string, limit: number): Promise<OutboxItem[]>;
  /** Makes a parked item due at `now` with its attempts reset; false when no parked item has that id. */
  unpark(id: number, now: number): Promise<boolean>;
  /** Deletes a parked item; false when no parked item has that id. */
  discardParked(id: number): Promise<boolean>;
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
   * events pending, lose their events in one transaction. A session whose visitor is in the join
   * ledger (a Task or a record in `join_visitor_tasks` / `join_visitor_records`: records in
   * Salesforce) stays as a sealed summary, so re-planning that visitor gives the same plan; any
   * other such session is deleted. Sealed sessions are final: later events never re-sessionize them.
   */
  pruneExpired(opts: { before: number; limit: number }): Promise<PruneResult>;
}

/**
 * The join ledger's entry for one Task (`join_tasks`): what the join last did with it, so a re-run
 * writes nothing (R11) and the join's own Task updates (which bump SystemModstamp) do not make it loop.
 */
export interface TaskLedger {
  /** BizibleId the Task had when it was last processed (null: none). */
  v: string | null;
  /** Hash of the Task's input fields when it was last fully processed; null: process again. */
  in: string | null;
  /** Hash of the Task update last written; TASK_LEFT_ALONE: the join never plans this Task again. */
  out: string | null;
  /** R21: the WhoId the Task named when it was last planned (absent: none). */
  who?: string | null;
}

/**
 * TaskLedger.out of a Task the join must leave alone for good (R24, docs/join-rules.md): a call Task
 * an erasure cleared, or one a call from a suppressed number created (docs/privacy.md).
 */
export const TASK_LEFT_ALONE = 'left-alone';

/** The join ledger's entry for one visitor (BizibleId): `join_visitor_tasks` and `join_visitor_records`. */
export interface VisitorLedger {
  tasks: string[];
  /** `ws:<Session_Key__c>` / `tp:<Touchpoint_Key__c>` → last written hash and record Id. */
  records: Record<string, { h: string; id: string | null }>;
}

/** What one join run (or one batch of calls) records, in one transaction (JoinLedgerStore.commitJoinLedger). */
export interface LedgerCommit {
  /** Upserted: each Task's entry replaces the one stored. */
  tasks?: ReadonlyMap<string, TaskLedger>;
  /** Replaced whole: a visitor's Task list and records become exactly these (empty: none left). */
  visitors?: ReadonlyMap<string, VisitorLedger>;
  /** Moved only by runs that read by the watermark (null / absent: left as it is). */
  watermark?: string | null;
}

/** What one ledger-pruning batch did (JoinLedgerStore.pruneJoinLedger). */
export interface LedgerPruneResult {
  /** Visitors whose whole ledger (Task list, records, their Tasks' entries) was removed. */
  visitorsDeleted: number;
  /** Task entries removed (those of the visitors above, and old ones without a BizibleId). */
  tasksDeleted: number;
  /** The batch was full: more may be due. */
  more: boolean;
}

/**
 * The join's ledger in tables of its own (join/ledger.ts is its API for the join).
 * Reads take any number of ids (sent in chunks); a commit is one transaction.
 */
export interface JoinLedgerStore {
  /** SystemModstamp up to which every Task was fully processed (null: the join never ran). */
  joinWatermark(): Promise<string | null>;
  /** Entries of these Tasks; a Task never processed is absent from the map. */
  joinTasks(ids: readonly string[]): Promise<Map<string, TaskLedger>>;
  /** Entries of these visitors; a visitor with no Task and no record is absent from the map. */
  joinVisitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>>;
  /** R21: per WhoId given, the visitors with a Task in the ledger that named it (absent: none). */
  joinVisitorsNaming(whoIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Visitors first, then Tasks, then the watermark, in ONE transaction: a failure leaves none of it. */
  commitJoinLedger(c: LedgerCommit): Promise<void>;
  /**
   * Retention of the ledger, one batch of up to `limit` visitors in one transaction. A visitor's
   * ledger goes as a whole once nothing in it (its Tasks' entries, its records) changed since
   * `before` and the store holds no session or event of it; Task entries without a BizibleId go
   * once not updated since `before`. See docs/operations.md (Retention).
   */
  pruneJoinLedger(opts: { before: number; limit: number }): Promise<LedgerPruneResult>;
}

/** A person's erasure request (issue 23): the durable record of its progress and, once done, its audit entry. */
export interface ErasureRecord {
  id: string;
  /** Who asked: "cli:<operator>" or "api:<name>"; never the subject. */
  requestedBy: string;
  requestedAt: number;
  subjectKind: 'email' | 'phone' | 'cookie';
  /** Salted hash of the normalized subject (privacy/subject.ts): proof without the value. */
  subjectHash: string;
  /** The step done last (erasure/steps.ts); 'done' when finished. */
  step: string;
  /**
   * What to erase (cookies, record ids), JSON, while the request runs; null once done, so the
   * audit entry keeps no cookie value.
   */
  plan: string | null;
  /** Counts per kind, org request counts and recipients, JSON (no personal data). */
  result: string;
  finishedAt: number | null;
  /** The last failure, when a run stopped on one (the next run resumes). */
  error: string | null;
}

/** A suppressed cookie or phone number: only its salted hash is kept. */
export interface Suppression {
  hash: string;
  kind: 'cookie' | 'phone';
  /** 'erasure', 'gpc' (Sec-GPC: 1) or 'consent' (consent withdrawn). */
  reason: string;
}

/** What a person's erasure removes from the store (issue 23). */
export interface StoreErasureTargets {
  /** Cookies (BizibleIds) whose events, sessions, outbox items and ledger entries go. */
  visitorIds: readonly string[];
  /** E.164 numbers: outbox items (calls, parked ones included) that carry one go. */
  callerNumbers: readonly string[];
  /** Call Tasks whose ledger entries go. */
  taskIds: readonly string[];
  /**
   * Tasks kept in the org with our fields cleared: their ledger entry becomes this input hash
   * without a visitor, so the join reads them as already processed and does not write them again.
   */
  keptTasks: readonly { taskId: string; inHash: string }[];
}

export interface StoreErasureCounts {
  events: number;
  sessions: number;
  outboxItems: number;
  ledgerRows: number;
  /** Other state rows of the visitors (the bot filter's marks). */
  stateRows: number;
}

/** Erasure requests, the suppression list and the deletion of a person's rows (issue 23). */
export interface ErasureStore {
  saveErasure(r: ErasureRecord): Promise<void>;
  erasure(id: string): Promise<ErasureRecord | null>;
  /** Newest first; `unfinished` only those not done. */
  erasures(opts: { limit: number; unfinished?: boolean }): Promise<ErasureRecord[]>;
  /** Adds hashes (a hash already listed keeps its first reason); returns how many were new. */
  suppress(entries: readonly Suppression[], now: number): Promise<number>;
  /** Every suppressed hash (the list is small: one row per erased cookie or number). */
  suppressedHashes(): Promise<string[]>;
  /**
   * Cookies the store links to an email (form submits that carried it) or a caller number (calls in
   * the outbox, parked ones included).
   */
  visitorsOf(q: { emails: readonly string[]; callerNumbers: readonly string[] }): Promise<string[]>;
  /** Counts what eraseStoreData would delete (dry run), without deleting. */
  countStoreData(t: StoreErasureTargets): Promise<StoreErasureCounts>;
  /** Deletes the targets' rows in one transaction; running it again deletes nothing more. */
  eraseStoreData(t: StoreErasureTargets, now: number): Promise<StoreErasureCounts>;
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
export interface Store
  extends
    EventStore,
    KeyValueState,
    CallOutbox,
    StoreLocks,
    EventRetention,
    JoinLedgerStore,
    ErasureStore,
    StoreProbe {
  /** Human description for start-up output: the SQLite path or the PostgreSQL host/db (no password). */
  readonly description: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
