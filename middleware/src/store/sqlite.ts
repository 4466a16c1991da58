import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { TrackedEvent, WebSession } from '../domain/types';
import type { Logger } from '../log';
import { GroupCommit } from './group-commit';
import { StoreForwarding } from './store-forwarding';
import {
  eventIdsOf,
  extendTail,
  groupByVisitor,
  resessionizeTail,
  restartBound,
  sealedSummary,
} from './incremental';
import { sqliteMigrations } from './migrations';
import { openSqliteFile } from './sqlite-open';
import { eventFromRow, eventValues, sessionFromBody, type EventRow } from './rows';
import {
  BackgroundSessionizer,
  DEFAULT_SESSIONIZER_OPTIONS,
  type DeferredSessionizing,
  type SessionizerOptions,
} from './sessionizer';
import { SqliteJoinLedger } from './sqlite-join-ledger';
import { SqliteOutbox } from './sqlite-outbox';
import { SqliteErasure } from './erasure';
import { PROBE_KEY, type AppendResult, type PruneResult, type Store } from './types';
import { LocalLocks } from './locks';
import { SqliteLease } from './sqlite-lease';
import { WriteHealth } from './write-health';

export const SQLITE_FILE = 'call-touchpoints.sqlite';
/** How long one background transaction may run: requests wait while it does (p99). */
const STEP_BUDGET_MS = 8;

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous; appends are
 * grouped (group-commit.ts) into one IMMEDIATE transaction per event-loop turn (atomic, and
 * serialized against other processes by the busy timeout). Appends only insert events and mark
 * them pending; sessions are brought up to date in the background and before every read
 * (sessionizer.ts).
 */
type SqliteStatements = ReturnType<SqliteStore['prepareStatements']>;

export class SqliteStore extends StoreForwarding implements Store, DeferredSessionizing {
  readonly kind = 'sqlite' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private stmts: ReturnType<SqliteStore['prepare']> | null = null;
  private readonly appends = new GroupCommit<TrackedEvent[], AppendResult>(async (batches) => {
    const results = this.statements().append.immediate(batches);
    this.sessionizer.noteDirty(results.reduce((n, r) => n + r.visitorsTouched.length, 0));
    return results;
  });
  private readonly sessionizer: BackgroundSessionizer;
  private readonly batchSize: number;
  private readonly writeHealth = new WriteHealth();
  protected readonly outbox: SqliteOutbox;
  protected readonly ledger: SqliteJoinLedger;
  protected readonly erasureTables: SqliteErasure;
  private readonly locks = new LocalLocks();
  private readonly lease: SqliteLease;

  constructor(
    readonly file: string,
    opts: {
      sessionizer?: Partial<SessionizerOptions>;
      logger?: Logger;
      /** SQLITE_MAX_SIZE_MB: past it writes fail with SQLITE_FULL instead of filling the disk. */
      maxBytes?: number | null;
    } = {},
  ) {
    super();
    // WAL, busy timeout, and a quick_check so a damaged file stops start-up with what to do.
    this.db = openSqliteFile(file);
    this.outbox = new SqliteOutbox(this.db, this.writeHealth);
    this.ledger = new SqliteJoinLedger(this.db);
    this.erasureTables = new SqliteErasure(this.db);
    this.lease = new SqliteLease(this.db);
    if (opts.maxBytes) {
      // Per connection; https://www.sqlite.org/pragma.html#pragma_max_page_count
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxBytes / pageSize))}`);
    }
    this.description = `SQLite ${file}`;
    const sessionizerOpts = { ...DEFAULT_SESSIONIZER_OPTIONS, ...opts.sessionizer };
    this.batchSize = sessionizerOpts.batchSize;
    this.sessionizer = new BackgroundSessionizer(
      async (limit) => this.sessionizeDirty(limit),
      sessionizerOpts,
      (err) => opts.logger?.warn({ err }, 'background sessionization failed; will retry'),
    );
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of sqliteMigrations) {
      if (applied.has(m.version)) continue;
      this.db
        .transaction(() => {
          this.db.exec(m.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, Date.now());
        })
        .immediate();
    }
    // Earlier versions kept the join ledger in the key/value state: moved once, then gone.
    this.ledger.moveLegacyEntries();
    this.sessionizer.start();
  }

  /** Settles waiting appends, then sessionizes every dirty visitor, then closes the file. */
  async close(): Promise<void> {
    await this.appends.drain();
    await this.sessionizer.stop();
    if (!this.db.open) return;
    try {
      this.sessionizeAllDirty();
    } finally {
      this.db.close();
    }
  }

  /**
   * For tests: closes like a crash after the appends were acknowledged — pending events stay
   * unsessionized in the file, for the next opener's reads and background passes.
   */
  async closeWithoutSessionizing(): Promise<void> {
    await this.appends.drain();
    await this.sessionizer.stop();
    if (this.db.open) this.db.close();
  }

  sessionizePass(): Promise<void> {
    return this.sessionizer.pass();
  }

  async pendingVisitors(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM dirty_visitors').get() as { n: number }).n;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  private statements() {
    return (this.stmts ??= this.prepare());
  }

  /** Prepared once (after migrate, when the tables exist): preparing per call costs more than the insert. */
  private prepare() {
    const stmts = this.prepareStatements();
    return {
      ...stmts,
      append: this.appendTransaction(stmts),
      sessionize: this.sessionizeTransaction(stmts),
      prune: this.pruneTransaction(stmts),
    };
  }

  /** The single statements the transactions below and the store's methods run. */
  private prepareStatements() {
    const db = this.db;
    return {
      insertEvent: db.prepare(
        `INSERT OR IGNORE INTO events (event_id, visitor_id, type, url, referrer, received_at, client_time, email)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Keeps an existing mark: its from_rowid is older, so it covers the new events too.
      markDirty: db.prepare('INSERT OR IGNORE INTO dirty_visitors (visitor_id, from_rowid) VALUES (?, ?)'),
      dirtyVisitors: db.prepare('SELECT visitor_id FROM dirty_visitors LIMIT ?').pluck(),
      isDirty: db.prepare('SELECT 1 FROM dirty_visitors WHERE visitor_id = ?').pluck(),
      pendingEvents: db.prepare(
        `SELECT e.* FROM dirty_visitors d JOIN events e ON e.visitor_id = d.visitor_id AND e.rowid >= d.from_rowid
         WHERE d.visitor_id = ?`,
      ),
      clearDirty: db.prepare('DELETE FROM dirty_visitors WHERE visitor_id = ?'),
      // Sealed sessions (retention) are final: the tail never starts at or includes one.
      restart: db.prepare(
        'SELECT started_at FROM sessions WHERE visitor_id = ? AND started_at < ? AND sealed = 0 ORDER BY started_at DESC LIMIT 1',
      ),
      tail: db.prepare('SELECT body FROM sessions WHERE visitor_id = ? AND started_at >= ? AND sealed = 0'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE session_key = ?'),
      insertSession: db.prepare(
        'INSERT INTO sessions (session_key, visitor_id, started_at, last_activity_at, body) VALUES (?, ?, ?, ?, ?)',
      ),
      // One statement for any number of ids (a JSON array): an IN list per length would be
      // prepared again for every session size.
      eventsByIds: db.prepare('SELECT * FROM events WHERE event_id IN (SELECT value FROM json_each(?))'),
      deleteEventsByIds: db.prepare('DELETE FROM events WHERE event_id IN (SELECT value FROM json_each(?))'),
    };
  }

  /**
   * Several callers' batches in one transaction (group commit, see appendEvents): the events
   * and one dirty mark per visitor; no session work on the request path.
   */
  private appendTransaction(stmts: SqliteStatements) {
    return this.db.transaction((batches: TrackedEvent[][]): AppendResult[] =>
      batches.map((events): AppendResult => {
        let inserted = 0;
        const touched: string[] = [];
        for (const [visitorId, list] of groupByVisitor(events)) {
          let fresh = 0;
          for (const e of list) {
            const r = stmts.insertEvent.run(...eventValues(e));
            if (r.changes !== 1) continue;
            if (fresh++ === 0) stmts.markDirty.run(visitorId, r.lastInsertRowid);
          }
          if (fresh === 0) continue;
          inserted += fresh;
          touched.push(visitorId);
        }
        return { inserted, duplicates: events.length - inserted, visitorsTouched: touched };
      }),
    );
  }

  /**
   * Folds each dirty visitor's new events into its sessions (incremental.ts), clears the mark.
   * Stops after the visitor that passes `deadline` (performance.now()): a background step must
   * not hold the event loop long. Returns how many visitors it did.
   */
  private sessionizeTransaction(stmts: SqliteStatements) {
    return this.db.transaction((visitorIds: readonly string[], deadline = Infinity): number => {
      let done = 0;
      for (const visitorId of visitorIds) {
        if (done > 0 && performance.now() > deadline) break;
        done++;
        const fresh = (stmts.pendingEvents.all(visitorId) as EventRow[]).map(eventFromRow);
        stmts.clearDirty.run(visitorId);
        if (fresh.length === 0) continue;
        const from = stmts.restart.get(visitorId, restartBound(fresh)) as { started_at: number } | undefined;
        const tail = (
          stmts.tail.all(visitorId, from ? from.started_at : Number.MIN_SAFE_INTEGER) as { body: string }[]
        ).map((r) => sessionFromBody(r.body));
        const extended = extendTail(tail, fresh);
        const old = extended ? [extended.replaced] : tail;
        const next = extended?.next ?? resessionizeTail(this.tailEvents(tail), fresh);
        for (const s of old) stmts.deleteSession.run(s.sessionKey);
        for (const s of next) {
          stmts.insertSession.run(
            s.sessionKey,
            s.visitorId,
            s.startedAt,
            s.lastActivityAt,
            JSON.stringify(s),
          );
        }
      }
      return done;
    });
  }

  /** Retention: deletes expired sessions' events; seals the sessions the join still refers to. */
  private pruneTransaction(stmts: SqliteStatements) {
    const db = this.db;
    const expired = db.prepare(
      `SELECT s.session_key, s.body,
         (EXISTS (SELECT 1 FROM join_visitor_tasks j WHERE j.visitor_id = s.visitor_id)
          OR EXISTS (SELECT 1 FROM join_visitor_records j WHERE j.visitor_id = s.visitor_id)) AS keep
       FROM sessions s
       WHERE s.sealed = 0 AND s.last_activity_at < ?
         AND NOT EXISTS (SELECT 1 FROM dirty_visitors d WHERE d.visitor_id = s.visitor_id)
       ORDER BY s.last_activity_at LIMIT ?`,
    );
    const seal = db.prepare('UPDATE sessions SET sealed = 1, body = ? WHERE session_key = ?');
    return db.transaction((before: number, limit: number): PruneResult => {
      const rows = expired.all(before, limit) as {
        session_key: string;
        body: string;
        keep: number;
      }[];
      const out: PruneResult = {
        eventsDeleted: 0,
        sessionsDeleted: 0,
        sessionsSealed: 0,
        more: rows.length === limit,
      };
      for (const r of rows) {
        const session = sessionFromBody(r.body);
        out.eventsDeleted += stmts.deleteEventsByIds.run(JSON.stringify(session.eventIds)).changes;
        if (r.keep) {
          seal.run(JSON.stringify(sealedSummary(session)), r.session_key);
          out.sessionsSealed++;
        } else {
          stmts.deleteSession.run(r.session_key);
          out.sessionsDeleted++;
        }
      }
      return out;
    });
  }

  /** Appends of the same event-loop turn (concurrent /collect requests) share one transaction. */
  appendEvents(events: TrackedEvent[]): Promise<AppendResult> {
    return this.writeHealth.track(this.appends.submit(events));
  }

  async pruneExpired(opts: { before: number; limit: number }): Promise<PruneResult> {
    return this.statements().prune.immediate(opts.before, opts.limit);
  }

  async sizeBytes(): Promise<number> {
    let total = 0;
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
      try {
        total += fs.statSync(f).size;
      } catch {
        // no WAL or shared-memory file right now
      }
    }
    return total;
  }

  async probeWrite(): Promise<void> {
    this.writeHealth.assertNoRecentFailure();
    // Drop cached pages so the probe reads the file as it is now (a damaged page is noticed).
    this.db.pragma('shrink_memory');
    const token = `${process.pid}:${Date.now()}`;
    const back = this.db
      .transaction(() => {
        this.db
          .prepare(
            'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          )
          .run(PROBE_KEY, token);
        return this.db.prepare('SELECT value FROM state WHERE key = ?').pluck().get(PROBE_KEY);
      })
      .immediate();
    if (back !== token) throw new Error('the probe row read back differs from what was written');
  }

  /**
   * FIFO within this process, then a lease shared with the other processes on this file
   * (sqlite-lease.ts): a CLI `erase` or `join --once` takes turns with a running serve.
   */
  withLock<T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.locks.run(name, () => this.lease.run(name, work, signal), signal);
  }

  /** The stored events of the tail's sessions (the slow path: re-sessionized with the new ones). */
  private tailEvents(tail: readonly WebSession[]): TrackedEvent[] {
    if (tail.length === 0) return [];
    const rows = this.statements().eventsByIds.all(JSON.stringify(eventIdsOf(tail))) as EventRow[];
    return rows.map(eventFromRow);
  }

  /** One background step: up to `limit` dirty visitors, or STEP_BUDGET_MS, in one transaction. */
  private sessionizeDirty(limit: number): boolean {
    const st = this.statements();
    const visitors = st.dirtyVisitors.all(limit) as string[];
    if (visitors.length === 0) return false;
    const done = st.sessionize.immediate(visitors, performance.now() + STEP_BUDGET_MS);
    return done < visitors.length || visitors.length === limit;
  }

  /** Every visitor dirty at the start (countSessions, close), in transactions of `batchSize`. */
  private sessionizeAllDirty(): void {
    const st = this.statements();
    const dirty = st.dirtyVisitors.all(-1) as string[]; // LIMIT -1: all
    for (let i = 0; i < dirty.length; i += this.batchSize) {
      st.sessionize.immediate(dirty.slice(i, i + this.batchSize));
    }
  }

  /** Before a read: the asked-for visitors' pending events go into their sessions first. */
  private sessionizeIfDirty(visitorIds: Iterable<string>): void {
    const st = this.statements();
    const dirty = [...visitorIds].filter((v) => st.isDirty.get(v) !== undefined);
    if (dirty.length > 0) st.sessionize.immediate(dirty);
  }

  async sessionsForVisitors(visitorIds: readonly string[]): Promise<Map<string, WebSession[]>> {
    const ids = new Set(visitorIds);
    this.sessionizeIfDirty(ids);
    const out = new Map<string, WebSession[]>();
    const stmt = this.db.prepare(
      'SELECT body FROM sessions WHERE visitor_id = ? ORDER BY started_at, session_key',
    );
    for (const id of ids) {
      out.set(
        id,
        (stmt.all(id) as { body: string }[]).map((r) => sessionFromBody(r.body)),
      );
    }
    return out;
  }

  async sessionsForVisitor(visitorId: string, from?: number, to?: number): Promise<WebSession[]> {
    this.sessionizeIfDirty([visitorId]);
    const rows = this.db
      .prepare(
        `SELECT body FROM sessions WHERE visitor_id = ? AND last_activity_at >= ? AND started_at <= ?
         ORDER BY started_at, session_key`,
      )
      .all(visitorId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER) as { body: string }[];
    return rows.map((r) => sessionFromBody(r.body));
  }

  async countEvents(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  async countSessions(): Promise<number> {
    this.sessionizeAllDirty();
    return this.storedSessions();
  }

  async storedSessions(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
  }

  async getState(key: string): Promise<string | null> {
    const row = this.db.prepare('SELECT value FROM state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row ? row.value : null;
  }

  async setState(key: string, value: string): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
