import type Database from 'better-sqlite3';
import { outboxFromRow, type OutboxRow } from './rows';
import type { CallOutbox, OutboxItem } from './types';
import type { WriteHealth } from './write-health';
import { PARKED_AT } from './outbox-parking';

/** The SQLite store's outbox table (SqliteStore forwards its CallOutbox methods here). */
export class SqliteOutbox implements CallOutbox {
  private stmts: ReturnType<SqliteOutbox['prepare']> | null = null;

  constructor(
    private readonly db: Database.Database,
    /** The store's: a failing enqueue fails /healthz like a failing append. */
    private readonly writeHealth: WriteHealth,
  ) {}

  /** Prepared on first use (after migrate, when the table exists). */
  private statements() {
    return (this.stmts ??= this.prepare());
  }

  private prepare() {
    const dueRows = this.db.prepare(
      'SELECT * FROM outbox WHERE kind = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?',
    );
    const setNextAttempt = this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?');
    const claim = this.db.transaction(
      (kind: string, now: number, limit: number, until: number): OutboxRow[] => {
        const rows = dueRows.all(kind, now, limit) as OutboxRow[];
        for (const r of rows) setNextAttempt.run(until, r.id);
        return rows;
      },
    );
    return { dueRows, setNextAttempt, claim };
  }

  /**
   * Re-enqueueing a pending key replaces its payload under a NEW id (keeping createdAt and the
   * attempt history) and makes it due now: a worker still holding the old id then completes or
   * reschedules nothing, so the newer payload is never lost.
   */
  enqueue(kind: string, key: string, payload: string, now: number): Promise<OutboxItem> {
    return this.writeHealth.track(Promise.resolve().then(() => this.enqueueRow(kind, key, payload, now)));
  }

  private enqueueRow(kind: string, key: string, payload: string, now: number): OutboxItem {
    return this.db
      .transaction((): OutboxItem => {
        const old = this.db.prepare('SELECT * FROM outbox WHERE kind = ? AND key = ?').get(kind, key) as
          OutboxRow | undefined;
        if (old) this.db.prepare('DELETE FROM outbox WHERE id = ?').run(old.id);
        const row = this.db
          .prepare(
            `INSERT INTO outbox (kind, key, payload, attempts, next_attempt_at, last_error, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          )
          .get(
            kind,
            key,
            payload,
            old ? old.attempts : 0,
            now,
            old ? old.last_error : null,
            old ? old.created_at : now,
          ) as OutboxRow;
        return outboxFromRow(row);
      })
      .immediate();
  }

  async due(kind: string, now: number, limit: number): Promise<OutboxItem[]> {
    return (this.statements().dueRows.all(kind, now, limit) as OutboxRow[]).map(outboxFromRow);
  }

  async claimDue(kind: string, now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    return this.statements()
      .claim.immediate(kind, now, limit, now + leaseMs)
      .map(outboxFromRow);
  }

  async release(ids: readonly number[], now: number): Promise<void> {
    const st = this.statements();
    this.db.transaction(() => ids.forEach((id) => st.setNextAttempt.run(now, id)))();
  }

  async complete(id: number): Promise<void> {
    this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  }

  async retryLater(id: number, error: string, nextAttemptAt: number): Promise<void> {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(error, nextAttemptAt, id);
  }

  async outboxDepth(kind?: string): Promise<number> {
    const row = (
      kind === undefined
        ? this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE next_attempt_at < ?').get(PARKED_AT)
        : this.db
            .prepare('SELECT COUNT(*) AS n FROM outbox WHERE kind = ? AND next_attempt_at < ?')
            .get(kind, PARKED_AT)
    ) as { n: number };
    return row.n;
  }

  async park(id: number, reason: string): Promise<void> {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(reason, PARKED_AT, id);
  }

  async parked(kind: string, limit: number): Promise<OutboxItem[]> {
    return (
      this.db
        .prepare('SELECT * FROM outbox WHERE kind = ? AND next_attempt_at >= ? ORDER BY id LIMIT ?')
        .all(kind, PARKED_AT, limit) as OutboxRow[]
    ).map(outboxFromRow);
  }

  async unpark(id: number, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE outbox SET attempts = 0, next_attempt_at = ? WHERE id = ? AND next_attempt_at >= ?')
        .run(now, id, PARKED_AT).changes > 0
    );
  }

  async discardParked(id: number): Promise<boolean> {
    return (
      this.db.prepare('DELETE FROM outbox WHERE id = ? AND next_attempt_at >= ?').run(id, PARKED_AT).changes >
      0
    );
  }
}
