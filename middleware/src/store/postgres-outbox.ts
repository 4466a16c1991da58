import type { Pool } from 'pg';
import { outboxFromRow, type OutboxRow } from './rows';
import type { CallOutbox, OutboxItem } from './types';
import type { WriteHealth } from './write-health';
import { PARKED_AT } from './outbox-parking';

/** The PostgreSQL store's outbox table (PostgresStore forwards its CallOutbox methods here). */
export class PostgresOutbox implements CallOutbox {
  constructor(
    private readonly pool: Pool,
    /** The store's: a failing enqueue fails /healthz like a failing append. */
    private readonly writeHealth: WriteHealth,
  ) {}

  /** Same contract as the SQLite store: a replaced payload gets a new id and is due now. */
  enqueue(kind: string, key: string, payload: string, now: number): Promise<OutboxItem> {
    return this.writeHealth.track(this.enqueueRow(kind, key, payload, now));
  }

  private async enqueueRow(kind: string, key: string, payload: string, now: number): Promise<OutboxItem> {
    const { rows } = await this.pool.query<OutboxRow>(
      `INSERT INTO outbox (kind, key, payload, attempts, next_attempt_at, last_error, created_at)
       VALUES ($1, $2, $3, 0, $4, NULL, $4)
       ON CONFLICT (kind, key) DO UPDATE SET
         id = nextval(pg_get_serial_sequence('outbox', 'id')),
         payload = EXCLUDED.payload,
         next_attempt_at = EXCLUDED.next_attempt_at
       RETURNING *`,
      [kind, key, payload, now],
    );
    return outboxFromRow(rows[0]);
  }

  async due(kind: string, now: number, limit: number): Promise<OutboxItem[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT * FROM outbox WHERE kind = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3',
      [kind, now, limit],
    );
    return rows.map(outboxFromRow);
  }

  /**
   * One statement: the due rows are locked as they are picked and rows another replica is
   * claiming are skipped, so two replicas never get the same item.
   * https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE
   */
  async claimDue(kind: string, now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      `UPDATE outbox SET next_attempt_at = $4 WHERE id IN (
         SELECT id FROM outbox WHERE kind = $1 AND next_attempt_at <= $2
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [kind, now, limit, now + leaseMs],
    );
    return rows.map(outboxFromRow).sort((a, b) => a.id - b.id);
  }

  async release(ids: readonly number[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query('UPDATE outbox SET next_attempt_at = $2 WHERE id = ANY($1::bigint[])', [
      [...ids],
      now,
    ]);
  }

  async complete(id: number): Promise<void> {
    await this.pool.query('DELETE FROM outbox WHERE id = $1', [id]);
  }

  async retryLater(id: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.pool.query(
      'UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1',
      [id, error, nextAttemptAt],
    );
  }

  async outboxDepth(kind?: string): Promise<number> {
    const { rows } =
      kind === undefined
        ? await this.pool.query<{ n: string }>(
            'SELECT COUNT(*) AS n FROM outbox WHERE next_attempt_at < $1',
            [PARKED_AT],
          )
        : await this.pool.query<{ n: string }>(
            'SELECT COUNT(*) AS n FROM outbox WHERE kind = $1 AND next_attempt_at < $2',
            [kind, PARKED_AT],
          );
    return Number(rows[0].n);
  }

  async park(id: number, reason: string): Promise<void> {
    await this.pool.query(
      'UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1',
      [id, reason, PARKED_AT],
    );
  }

  async parked(kind: string, limit: number): Promise<OutboxItem[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT * FROM outbox WHERE kind = $1 AND next_attempt_at >= $2 ORDER BY id LIMIT $3',
      [kind, PARKED_AT, limit],
    );
    return rows.map(outboxFromRow);
  }

  async unpark(id: number, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE outbox SET attempts = 0, next_attempt_at = $2 WHERE id = $1 AND next_attempt_at >= $3',
      [id, now, PARKED_AT],
    );
    return (rowCount ?? 0) > 0;
  }

  async discardParked(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM outbox WHERE id = $1 AND next_attempt_at >= $2', [
      id,
      PARKED_AT,
    ]);
    return (rowCount ?? 0) > 0;
  }
}
