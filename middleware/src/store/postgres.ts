import { Pool, type PoolClient } from 'pg';
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
import { postgresMigrations } from './migrations';
import { eventFromRow, sessionFromBody, type EventRow } from './rows';
import {
  BackgroundSessionizer,
  DEFAULT_SESSIONIZER_OPTIONS,
  type DeferredSessionizing,
  type SessionizerOptions,
} from './sessionizer';
import { PostgresJoinLedger } from './postgres-join-ledger';
import { PostgresErasure } from './erasure';
import { PostgresOutbox } from './postgres-outbox';
import { PROBE_KEY, type AppendResult, type PruneResult, type Store } from './types';
import { abortable } from './locks';
import { WriteHealth } from './write-health';

/** Advisory-lock key space of this app (any constant; keeps our locks apart from others'). */
const LOCK_NAMESPACE = 0x43_54; // "CT"
/** Named locks (withLock) have their own key space: a name's hash never meets a visitor's. */
const NAMED_LOCK_NAMESPACE = LOCK_NAMESPACE + 1;
/** How often withLock asks again for a lock another process holds. */
const LOCK_RETRY_MS = 100;
/** Our tables, for the store-size metric. */
const TABLES = [
  'events',
  'sessions',
  'state',
  'outbox',
  'pending_events',
  'schema_migrations',
  'join_tasks',
  'join_visitor_tasks',
  'join_visitor_records',
  'join_watermark',
];

/** `postgres://user:secret@host:5432/db` → `PostgreSQL host:5432/db` (never the password). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable DATABASE_URL)';
  }
}

/** Locks the visitors (advisory, transaction-scoped) in lock-key order: waiters cannot deadlock. */
const LOCK_VISITORS = `SELECT pg_advisory_xact_lock($1, k)
  FROM (SELECT DISTINCT hashtext(v) AS k FROM unnest($2::text[]) AS v) s ORDER BY k`;
/** Background passes skip visitors another transaction is sessionizing (never wait). */
const TRY_LOCK_VISITORS = `SELECT v FROM unnest($2::text[]) AS v WHERE pg_try_advisory_xact_lock($1, hashtext(v))`;

/**
 * The PostgreSQL store (DATABASE_URL). Appends are grouped (group-commit.ts, up to 4 in flight)
 * and are one statement each: the events and their pending marks. Sessions are brought up to
 * date in the background and before every read (sessionizer.ts), under an advisory lock per
 * visitor, so sessionizers in several processes never work on the same visitor at once.
 */
export class PostgresStore extends StoreForwarding implements Store, DeferredSessionizing {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly pool: Pool;
  private readonly appends = new GroupCommit<TrackedEvent[], AppendResult>((b) => this.appendBatches(b), 4);
  private readonly sessionizer: BackgroundSessionizer;
  private readonly batchSize: number;
  private readonly writeHealth = new WriteHealth();
  protected readonly outbox: PostgresOutbox;
  protected readonly ledger: PostgresJoinLedger;
  protected readonly erasureTables: PostgresErasure;

  constructor(
    databaseUrl: string,
    opts: { poolSize?: number; sessionizer?: Partial<SessionizerOptions>; logger?: Logger } = {},
  ) {
    super();
    this.pool = new Pool({ connectionString: databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client's error (e.g. the server restarting) must not crash the process.
    this.pool.on('error', () => undefined);
    this.description = describeDatabaseUrl(databaseUrl);
    this.outbox = new PostgresOutbox(this.pool, this.writeHealth);
    this.ledger = new PostgresJoinLedger(this.pool, (fn) => this.tx(fn));
    this.erasureTables = new PostgresErasure(this.pool, (fn) => this.tx(fn));
    const sessionizerOpts = { ...DEFAULT_SESSIONIZER_OPTIONS, ...opts.sessionizer };
    this.batchSize = sessionizerOpts.batchSize;
    this.sessionizer = new BackgroundSessionizer(
      (limit) => this.sessionizeDirty(limit),
      sessionizerOpts,
      (err) => opts.logger?.warn({ err }, 'background sessionization failed; will retry'),
    );
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
      // Earlier versions kept the join ledger in the key/value state: moved once, then gone.
      await PostgresJoinLedger.moveLegacyEntries(c);
    });
    this.sessionizer.start();
  }

  /** Settles waiting appends, then sessionizes every dirty visitor, then closes the pool. */
  async close(): Promise<void> {
    await this.appends.drain();
    await this.sessionizer.stop();
    try {
      await this.sessionizeAllDirty();
    } finally {
      await this.pool.end();
    }
  }

  /** For tests: closes like a crash after the appends were acknowledged (pending work stays). */
  async closeWithoutSessionizing(): Promise<void> {
    await this.appends.drain();
    await this.sessionizer.stop();
    await this.pool.end();
  }

  sessionizePass(): Promise<void> {
    return this.sessionizer.pass();
  }

  async pendingVisitors(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT COUNT(DISTINCT visitor_id) AS n FROM pending_events',
    );
    return Number(rows[0].n);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Appends of the same event-loop turn, or queued behind running ones, share a statement. */
  appendEvents(events: TrackedEvent[]): Promise<AppendResult> {
    return this.writeHealth.track(this.appends.submit(events));
  }

  /**
   * One retention batch in one transaction. Visitors another transaction is sessionizing are
   * skipped (try-lock, as the background sessionizer does), so a tail being rebuilt is never
   * pruned under it; visitors with pending events wait until those are sessionized.
   */
  async pruneExpired(opts: { before: number; limit: number }): Promise<PruneResult> {
    return this.tx(async (c) => {
      const { rows } = await c.query<{
        session_key: string;
        visitor_id: string;
        body: string;
        keep: boolean;
      }>({
        name: 'ct_expired_sessions',
        text: `SELECT s.session_key, s.visitor_id, s.body,
                 (EXISTS (SELECT 1 FROM join_visitor_tasks j WHERE j.visitor_id = s.visitor_id)
                  OR EXISTS (SELECT 1 FROM join_visitor_records j WHERE j.visitor_id = s.visitor_id)) AS keep
               FROM sessions s
               WHERE NOT s.sealed AND s.last_activity_at < $1
                 AND NOT EXISTS (SELECT 1 FROM pending_events p WHERE p.visitor_id = s.visitor_id)
               ORDER BY s.last_activity_at LIMIT $2`,
        values: [opts.before, opts.limit],
      });
      const out: PruneResult = {
        eventsDeleted: 0,
        sessionsDeleted: 0,
        sessionsSealed: 0,
        more: rows.length === opts.limit,
      };
      if (rows.length === 0) return out;
      const { rows: lockedRows } = await c.query<{ v: string }>({
        name: 'ct_try_lock_visitors',
        text: TRY_LOCK_VISITORS,
        values: [LOCK_NAMESPACE, [...new Set(rows.map((r) => r.visitor_id))]],
      });
      const locked = new Set(lockedRows.map((r) => r.v));
      const mine = rows.filter((r) => locked.has(r.visitor_id));
      const sessions = mine.map((r) => ({ row: r, session: sessionFromBody(r.body) }));
      const eventIds = sessions.flatMap((x) => x.session.eventIds);
      if (eventIds.length) {
        const del = await c.query('DELETE FROM events WHERE event_id = ANY($1::text[])', [eventIds]);
        out.eventsDeleted = del.rowCount ?? 0;
      }
      const dropped = sessions.filter((x) => !x.row.keep).map((x) => x.row.session_key);
      if (dropped.length) {
        await c.query('DELETE FROM sessions WHERE session_key = ANY($1::text[])', [dropped]);
        out.sessionsDeleted = dropped.length;
      }
      const sealed = sessions.filter((x) => x.row.keep);
      if (sealed.length) {
        await c.query(
          `UPDATE sessions s SET sealed = TRUE, body = v.body
           FROM unnest($1::text[], $2::text[]) AS v(k, body) WHERE s.session_key = v.k`,
          [sealed.map((x) => x.row.session_key), sealed.map((x) => JSON.stringify(sealedSummary(x.session)))],
        );
        out.sessionsSealed = sealed.length;
      }
      return out;
    });
  }

  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string | null }>(
      `SELECT SUM(pg_total_relation_size(c.oid)) AS n FROM pg_class c
       JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1::text[])`,
      [TABLES],
    );
    return Number(rows[0].n ?? 0);
  }

  async probeWrite(): Promise<void> {
    this.writeHealth.assertNoRecentFailure();
    const token = `${process.pid}:${Date.now()}`;
    // One row for every replica: RETURNING gives back this statement's own write.
    const { rows } = await this.pool.query<{ value: string }>(
      `INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
       RETURNING value`,
      [PROBE_KEY, token],
    );
    if (rows[0]?.value !== token) throw new Error('the probe row read back differs from what was written');
  }

  /**
   * A session-level advisory lock on a connection held for the whole of `work`: it is released
   * when work ends, or by PostgreSQL when this process dies (its connection closes), so a killed
   * replica never leaves it held. https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
   */
  async withLock<T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const connecting = this.pool.connect();
    let c: PoolClient;
    try {
      c = await abortable(connecting, signal);
    } catch (err) {
      connecting.then((late) => late.release()).catch(() => undefined); // never leak the connection
      throw err;
    }
    let held = false;
    try {
      for (;;) {
        const { rows } = await c.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
          [NAMED_LOCK_NAMESPACE, name],
        );
        if (rows[0].ok) break;
        await abortable(new Promise((r) => setTimeout(r, LOCK_RETRY_MS)), signal);
      }
      held = true;
      return await work();
    } finally {
      if (held)
        await c
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [NAMED_LOCK_NAMESPACE, name])
          .catch(() => undefined);
      c.release();
    }
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
    const all = [...unique.values()];
    // One statement, so atomic without BEGIN/COMMIT: the new events and their pending marks.
    const { rows: ins } = await this.pool.query<{ event_id: string }>({
      name: 'ct_append_events',
      text: `WITH ins AS (
               INSERT INTO events (event_id, visitor_id, type, url, referrer, received_at, client_time, email)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
               ON CONFLICT (event_id) DO NOTHING RETURNING event_id, visitor_id
             ), pending AS (
               INSERT INTO pending_events (visitor_id, event_id) SELECT visitor_id, event_id FROM ins
             )
             SELECT event_id FROM ins`,
      values: [
        all.map((e) => e.eventId),
        all.map((e) => e.visitorId),
        all.map((e) => e.type),
        all.map((e) => e.url),
        all.map((e) => e.referrer ?? null),
        all.map((e) => e.receivedAt),
        all.map((e) => e.clientTime ?? null),
        all.map((e) => e.email ?? null),
      ],
    });
    // An inserted event counts for the first batch holding it; later holders see a duplicate.
    const unclaimed = new Set(ins.map((r) => r.event_id));
    const dirty = new Set<string>();
    const results = grouped.map((g, i): AppendResult => {
      let inserted = 0;
      const touched: string[] = [];
      for (const [v, list] of g) {
        const fresh = list.filter((e) => unclaimed.delete(e.eventId)).length;
        if (fresh === 0) continue;
        inserted += fresh;
        touched.push(v);
        dirty.add(v);
      }
      return { inserted, duplicates: batches[i].length - inserted, visitorsTouched: touched };
    });
    this.sessionizer.noteDirty(dirty.size);
    return results;
  }

  /**
   * Folds the visitors' pending events into their sessions (incremental.ts), a fixed number of
   * round trips for the whole batch. `wait`: block on visitors another transaction is working
   * on (reads: they must see the result) or skip them (background). Returns the visitors done.
   */
  private async sessionizeVisitors(c: PoolClient, visitorIds: string[], wait: boolean): Promise<number> {
    const locked = await this.lockVisitors(c, visitorIds, wait);
    if (locked.length === 0) return 0;
    const { rows: pendingRows } = await c.query<EventRow>({
      name: 'ct_pending_events',
      text: `SELECT e.* FROM pending_events p JOIN events e ON e.event_id = p.event_id
             WHERE p.visitor_id = ANY($1::text[])`,
      values: [locked],
    });
    const freshByVisitor = groupByVisitor(pendingRows.map(eventFromRow));
    if (freshByVisitor.size > 0) await this.resessionizeTails(c, freshByVisitor);
    // Only the marks read above: an append committed meanwhile stays pending for the next pass.
    await c.query({
      name: 'ct_clear_pending',
      text: 'DELETE FROM pending_events WHERE visitor_id = ANY($1::text[]) AND event_id = ANY($2::text[])',
      values: [locked, pendingRows.map((r) => r.event_id)],
    });
    return locked.length;
  }

  /** The visitors' advisory locks: waits for each (`wait`) or takes those free. Returns the locked. */
  private async lockVisitors(c: PoolClient, visitorIds: string[], wait: boolean): Promise<string[]> {
    if (wait) {
      await c.query({ name: 'ct_lock_visitors', text: LOCK_VISITORS, values: [LOCK_NAMESPACE, visitorIds] });
      return visitorIds;
    }
    const { rows } = await c.query<{ v: string }>({
      name: 'ct_try_lock_visitors',
      text: TRY_LOCK_VISITORS,
      values: [LOCK_NAMESPACE, visitorIds],
    });
    return rows.map((r) => r.v);
  }

  /** Replaces each visitor's session tail with the tail re-sessionized with its fresh events. */
  private async resessionizeTails(c: PoolClient, freshByVisitor: Map<string, TrackedEvent[]>): Promise<void> {
    const visitors = [...freshByVisitor.keys()];
    // Each visitor's tail: its sessions from the restart session on (incremental.ts).
    const { rows: tailRows } = await c.query<{ visitor_id: string; body: string }>({
      name: 'ct_session_tails',
      text: `SELECT s.visitor_id, s.body
             FROM unnest($1::text[], $2::bigint[]) AS b(v, bound)
             JOIN sessions s ON s.visitor_id = b.v AND NOT s.sealed AND s.started_at >= COALESCE(
               (SELECT r.started_at FROM sessions r WHERE r.visitor_id = b.v AND r.started_at < b.bound
                AND NOT r.sealed ORDER BY r.started_at DESC LIMIT 1), $3)`,
      values: [visitors, visitors.map((v) => restartBound(freshByVisitor.get(v)!)), Number.MIN_SAFE_INTEGER],
    });
    const oldByVisitor = new Map<string, WebSession[]>();
    for (const r of tailRows) {
      const list = oldByVisitor.get(r.visitor_id) ?? [];
      list.push(sessionFromBody(r.body));
      oldByVisitor.set(r.visitor_id, list);
    }
    const { old, next } = await this.nextSessions(c, visitors, oldByVisitor, freshByVisitor);
    if (old.length) {
      await c.query({
        name: 'ct_delete_sessions',
        text: 'DELETE FROM sessions WHERE session_key = ANY($1::text[])',
        values: [old.map((s) => s.sessionKey)],
      });
    }
    if (next.length) {
      await c.query({
        name: 'ct_insert_sessions',
        text: `INSERT INTO sessions (session_key, visitor_id, started_at, last_activity_at, body)
               SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[])`,
        values: [
          next.map((s) => s.sessionKey),
          next.map((s) => s.visitorId),
          next.map((s) => s.startedAt),
          next.map((s) => s.lastActivityAt),
          next.map((s) => JSON.stringify(s)),
        ],
      });
    }
  }

  /**
   * The visitors' new sessions and the stored ones they replace: the fast path where it applies
   * (extendTail), else the tail re-sessionized with its events, read back in one query.
   */
  private async nextSessions(
    c: PoolClient,
    visitors: readonly string[],
    oldByVisitor: ReadonlyMap<string, WebSession[]>,
    freshByVisitor: ReadonlyMap<string, TrackedEvent[]>,
  ): Promise<{ old: WebSession[]; next: WebSession[] }> {
    // Fast path per visitor (extendTail); only the others' tails are read back and re-sessionized.
    const old: WebSession[] = [];
    const next: WebSession[] = [];
    const slow: string[] = [];
    for (const v of visitors) {
      const tail = oldByVisitor.get(v) ?? [];
      const extended = extendTail(tail, freshByVisitor.get(v)!);
      if (extended) {
        old.push(extended.replaced);
        next.push(...extended.next);
      } else {
        old.push(...tail);
        slow.push(v);
      }
    }
    const ids = eventIdsOf(slow.flatMap((v) => oldByVisitor.get(v) ?? []));
    const { rows: stored } = ids.length
      ? await c.query<EventRow>({
          name: 'ct_events_by_ids',
          text: 'SELECT * FROM events WHERE event_id = ANY($1::text[])',
          values: [ids],
        })
      : { rows: [] as EventRow[] };
    const storedByVisitor = groupByVisitor(stored.map(eventFromRow));
    for (const v of slow)
      next.push(...resessionizeTail(storedByVisitor.get(v) ?? [], freshByVisitor.get(v)!));
    return { old, next };
  }

  /** One background step: up to `limit` dirty visitors (those not locked elsewhere), one transaction. */
  private async sessionizeDirty(limit: number): Promise<boolean> {
    const { rows } = await this.pool.query<{ visitor_id: string }>({
      name: 'ct_dirty_visitors',
      text: 'SELECT DISTINCT visitor_id FROM pending_events LIMIT $1',
      values: [limit],
    });
    if (rows.length === 0) return false;
    const done = await this.tx((c) =>
      this.sessionizeVisitors(
        c,
        rows.map((r) => r.visitor_id),
        false,
      ),
    );
    // Visitors locked by another sessionizer are theirs: stop when nothing here could be done.
    return rows.length === limit && done > 0;
  }

  /**
   * Every visitor dirty at the start, waiting for other sessionizers (countSessions, close).
   * Visitors made dirty meanwhile are left to the next pass: under load this still ends.
   */
  private async sessionizeAllDirty(): Promise<void> {
    const { rows } = await this.pool.query<{ visitor_id: string }>(
      'SELECT DISTINCT visitor_id FROM pending_events',
    );
    const dirty = rows.map((r) => r.visitor_id);
    for (let i = 0; i < dirty.length; i += this.batchSize) {
      await this.tx((c) => this.sessionizeVisitors(c, dirty.slice(i, i + this.batchSize), true));
    }
  }

  /** Before a read: the asked-for visitors' pending events go into their sessions first. */
  private async sessionizeIfDirty(visitorIds: string[]): Promise<void> {
    if (visitorIds.length === 0) return;
    const { rows } = await this.pool.query<{ visitor_id: string }>({
      name: 'ct_dirty_of',
      text: 'SELECT DISTINCT visitor_id FROM pending_events WHERE visitor_id = ANY($1::text[])',
      values: [visitorIds],
    });
    if (rows.length === 0) return;
    await this.tx((c) =>
      this.sessionizeVisitors(
        c,
        rows.map((r) => r.visitor_id),
        true,
      ),
    );
  }

  async sessionsForVisitors(visitorIds: readonly string[]): Promise<Map<string, WebSession[]>> {
    const ids = [...new Set(visitorIds)];
    const out = new Map<string, WebSession[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    await this.sessionizeIfDirty(ids);
    const { rows } = await this.pool.query<{ visitor_id: string; body: string }>(
      'SELECT visitor_id, body FROM sessions WHERE visitor_id = ANY($1::text[]) ORDER BY started_at, session_key',
      [ids],
    );
    for (const r of rows) out.get(r.visitor_id)!.push(sessionFromBody(r.body));
    return out;
  }

  async sessionsForVisitor(visitorId: string, from?: number, to?: number): Promise<WebSession[]> {
    await this.sessionizeIfDirty([visitorId]);
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
    await this.sessionizeAllDirty();
    return this.storedSessions();
  }

  async storedSessions(): Promise<number> {
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
}
