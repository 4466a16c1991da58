import { Pool, type PoolClient } from 'pg';
import type { TrackedEvent, WebSession } from '../domain/types';
import { GroupCommit } from './group-commit';
import { eventIdsOf, groupByVisitor, resessionizeTail, restartBound } from './incremental';
import { postgresMigrations } from './migrations';
import { eventFromRow, outboxFromRow, sessionFromBody, type EventRow, type OutboxRow } from './rows';
import type { AppendResult, OutboxItem, Store } from './types';

/** Advisory-lock key space of this app (any constant; keeps our locks apart from others'). */
const LOCK_NAMESPACE = 0x43_54; // "CT"

/** `postgres://user:secret@host:5432/db` → `PostgreSQL host:5432/db` (never the password). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable DATABASE_URL)';
  }
}

/**
 * The PostgreSQL store (DATABASE_URL). Appends are grouped (group-commit.ts, up to 4 transactions
 * in flight); each transaction takes an advisory lock per visitor (in lock-key order, so
 * concurrent appends cannot deadlock) before re-sessionizing it.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly pool: Pool;
  private readonly appends = new GroupCommit<TrackedEvent[], AppendResult>((b) => this.appendBatches(b), 4);

  constructor(databaseUrl: string, poolSize = 10) {
    this.pool = new Pool({ connectionString: databaseUrl, max: poolSize });
    // An idle client's error (e.g. the server restarting) must not crash the process.
    this.pool.on('error', () => undefined);
    this.description = describeDatabaseUrl(databaseUrl);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // Serializes concurrent start-ups migrating the same database.
      await c.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => r.version));
      for (const m of postgresMigrations) {
        if (applied.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
    });
  }

  async close(): Promise<void> {
    await this.appends.drain();
    await this.pool.end();
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Appends of the same event-loop turn, or queued behind running ones, share a transaction. */
  appendEvents(events: TrackedEvent[]): Promise<AppendResult> {
    return this.appends.submit(events);
  }

  private async appendBatches(batches: TrackedEvent[][]): Promise<AppendResult[]> {
    const grouped = batches.map(groupByVisitor);
    const unique = new Map<string, TrackedEvent>();
    for (const g of grouped) {
      for (const list of g.values())
        for (const e of list) if (!unique.has(e.eventId)) unique.set(e.eventId, e);
    }
    if (unique.size === 0)
      return batches.map((b) => ({ inserted: 0, duplicates: b.length, visitorsTouched: [] }));
    return this.tx(async (c) => {
      const all = [...unique.values()];
      // One round trip; locks taken in lock-key order, the same in every transaction.
      await c.query(
        `SELECT pg_advisory_xact_lock($1, k) FROM (SELECT DISTINCT hashtext(v) AS k FROM unnest($2::text[]) AS v) s ORDER BY k`,
        [LOCK_NAMESPACE, [...new Set(all.map((e) => e.visitorId))]],
      );
      const { rows: ins } = await c.query<{ event_id: string }>(
        `INSERT INTO events (event_id, visitor_id, type, url, referrer, received_at, client_time, email)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [
          all.map((e) => e.eventId),
          all.map((e) => e.visitorId),
          all.map((e) => e.type),
          all.map((e) => e.url),
          all.map((e) => e.referrer ?? null),
          all.map((e) => e.receivedAt),
          all.map((e) => e.clientTime ?? null),
          all.map((e) => e.email ?? null),
        ],
      );
      // An inserted event counts for the first batch holding it; later holders see a duplicate.
      const unclaimed = new Set(ins.map((r) => r.event_id));
      const freshByVisitor = new Map<string, TrackedEvent[]>();
      const results = grouped.map((g, i): AppendResult => {
        let inserted = 0;
        const touched: string[] = [];
        for (const [v, list] of g) {
          const fresh = list.filter((e) => unclaimed.delete(e.eventId));
          if (fresh.length === 0) continue;
          inserted += fresh.length;
          touched.push(v);
          freshByVisitor.set(v, [...(freshByVisitor.get(v) ?? []), ...fresh]);
        }
        return { inserted, duplicates: batches[i].length - inserted, visitorsTouched: touched };
      });
      for (const [v, fresh] of freshByVisitor) {
        // The tail from the restart session on (see incremental.ts), in one round trip.
        const { rows: tailRows } = await c.query<{ body: string }>(
          `SELECT body FROM sessions WHERE visitor_id = $1 AND started_at >= COALESCE(
             (SELECT started_at FROM sessions WHERE visitor_id = $1 AND started_at < $2 ORDER BY started_at DESC LIMIT 1),
             $3)`,
          [v, restartBound(fresh), Number.MIN_SAFE_INTEGER],
        );
        const old = tailRows.map((r) => sessionFromBody(r.body));
        const ids = eventIdsOf(old);
        const { rows: stored } = ids.length
          ? await c.query<EventRow>('SELECT * FROM events WHERE event_id = ANY($1::text[])', [ids])
          : { rows: [] as EventRow[] };
        const next = resessionizeTail(stored.map(eventFromRow), fresh);
        if (old.length) {
          await c.query('DELETE FROM sessions WHERE session_key = ANY($1::text[])', [
            old.map((s) => s.sessionKey),
          ]);
        }
        if (next.length) {
          await c.query(
            `INSERT INTO sessions (session_key, visitor_id, started_at, last_activity_at, body)
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[])`,
            [
              next.map((s) => s.sessionKey),
              next.map((s) => s.visitorId),
              next.map((s) => s.startedAt),
              next.map((s) => s.lastActivityAt),
              next.map((s) => JSON.stringify(s)),
            ],
          );
        }
      }
      return results;
    });
  }

  async sessionsForVisitors(visitorIds: readonly string[]): Promise<Map<string, WebSession[]>> {
    const ids = [...new Set(visitorIds)];
    const out = new Map<string, WebSession[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const { rows } = await this.pool.query<{ visitor_id: string; body: string }>(
      'SELECT visitor_id, body FROM sessions WHERE visitor_id = ANY($1::text[]) ORDER BY started_at, session_key',
      [ids],
    );
    for (const r of rows) out.get(r.visitor_id)!.push(sessionFromBody(r.body));
    return out;
  }

  async sessionsForVisitor(visitorId: string, from?: number, to?: number): Promise<WebSession[]> {
    const { rows } = await this.pool.query<{ body: string }>(
      `SELECT body FROM sessions WHERE visitor_id = $1 AND last_activity_at >= $2 AND started_at <= $3
       ORDER BY started_at, session_key`,
      [visitorId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.map((r) => sessionFromBody(r.body));
  }

  async countEvents(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM events');
    return Number(rows[0].n);
  }

  async countSessions(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM sessions');
    return Number(rows[0].n);
  }

  async getState(key: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM state WHERE key = $1', [
      key,
    ]);
    return rows.length ? rows[0].value : null;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
      [key, value],
    );
  }

  /** Same contract as the SQLite store: a replaced payload gets a new id and is due now. */
  async enqueue(kind: string, key: string, payload: string, now: number): Promise<OutboxItem> {
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
        ? await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM outbox')
        : await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM outbox WHERE kind = $1', [kind]);
    return Number(rows[0].n);
  }
}
