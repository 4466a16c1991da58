import type { Pool, PoolClient } from 'pg';
import { LEGACY_RANGE, legacyLedgerCommit } from './join-ledger-legacy';
import {
  TASK_LEFT_ALONE,
  type JoinLedgerStore,
  type LedgerCommit,
  type LedgerPruneResult,
  type TaskLedger,
  type VisitorLedger,
} from './types';

/** Ids per read (one array parameter each). */
const READ_CHUNK = 1000;
/** Rows per write statement (arrays through unnest): bounds one statement's size. */
const WRITE_CHUNK = 5000;

type Run = <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The PostgreSQL store's join ledger tables (migration 4; PostgresStore forwards its
 * JoinLedgerStore methods here). Reads are `= ANY($1)` per 1,000 ids; a commit is one transaction
 * of set-based statements (`unnest` of arrays), a few round trips whatever its size.
 */
export class PostgresJoinLedger implements JoinLedgerStore {
  constructor(
    private readonly pool: Pool,
    /** The store's BEGIN … COMMIT (ROLLBACK on any error). */
    private readonly tx: Run,
  ) {}

  async joinWatermark(): Promise<string | null> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM join_watermark WHERE id = 1',
    );
    return rows[0]?.value ?? null;
  }

  async joinTasks(ids: readonly string[]): Promise<Map<string, TaskLedger>> {
    const out = new Map<string, TaskLedger>();
    for (const chunk of chunks([...new Set(ids)], READ_CHUNK)) {
      const { rows } = await this.pool.query<{
        task_id: string;
        visitor_id: string | null;
        in_hash: string | null;
        out_hash: string | null;
        who_id: string | null;
      }>({
        name: 'ct_join_tasks_who',
        text: 'SELECT task_id, visitor_id, in_hash, out_hash, who_id FROM join_tasks WHERE task_id = ANY($1::text[])',
        values: [chunk],
      });
      for (const r of rows)
        out.set(r.task_id, {
          v: r.visitor_id,
          in: r.in_hash,
          out: r.out_hash,
          ...(r.who_id ? { who: r.who_id } : {}),
        });
    }
    return out;
  }

  async joinVisitorsNaming(whoIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const chunk of chunks([...new Set(whoIds)], READ_CHUNK)) {
      const { rows } = await this.pool.query<{ who_id: string; visitor_id: string }>({
        name: 'ct_join_visitors_naming',
        text: `SELECT DISTINCT who_id, visitor_id FROM join_tasks
               WHERE who_id = ANY($1::text[]) AND visitor_id IS NOT NULL ORDER BY who_id, visitor_id`,
        values: [chunk],
      });
      for (const r of rows) out.set(r.who_id, [...(out.get(r.who_id) ?? []), r.visitor_id]);
    }
    return out;
  }

  async joinVisitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>> {
    const out = new Map<string, VisitorLedger>();
    const entry = (v: string) => {
      let e = out.get(v);
      if (!e) out.set(v, (e = { tasks: [], records: {} }));
      return e;
    };
    for (const chunk of chunks([...new Set(ids)], READ_CHUNK)) {
      const [tasks, records] = await Promise.all([
        this.pool.query<{ visitor_id: string; task_id: string }>({
          name: 'ct_join_visitor_tasks',
          text: `SELECT visitor_id, task_id FROM join_visitor_tasks WHERE visitor_id = ANY($1::text[])
                 ORDER BY visitor_id, position`,
          values: [chunk],
        }),
        this.pool.query<{ visitor_id: string; record_key: string; hash: string; sf_id: string | null }>({
          name: 'ct_join_visitor_records',
          text: `SELECT visitor_id, record_key, hash, sf_id FROM join_visitor_records
                 WHERE visitor_id = ANY($1::text[]) ORDER BY visitor_id, record_key`,
          values: [chunk],
        }),
      ]);
      for (const r of tasks.rows) entry(r.visitor_id).tasks.push(r.task_id);
      for (const r of records.rows) entry(r.visitor_id).records[r.record_key] = { h: r.hash, id: r.sf_id };
    }
    return out;
  }

  commitJoinLedger(c: LedgerCommit): Promise<void> {
    return this.tx((client) => commitWith(client, c, Date.now()));
  }

  /** Moves `join.*` key/value entries into the tables, on the migrating transaction's client. */
  static async moveLegacyEntries(c: PoolClient, now = Date.now()): Promise<number> {
    const { rows } = await c.query<{ key: string; value: string }>(
      'SELECT key, value FROM state WHERE key >= $1 AND key < $2',
      [LEGACY_RANGE.from, LEGACY_RANGE.to],
    );
    if (rows.length === 0) return 0;
    await commitWith(c, legacyLedgerCommit(rows), now);
    await c.query('DELETE FROM state WHERE key >= $1 AND key < $2', [LEGACY_RANGE.from, LEGACY_RANGE.to]);
    return rows.length;
  }

  /** See JoinLedgerStore.pruneJoinLedger; the same conditions as the SQLite store's. */
  pruneJoinLedger(opts: { before: number; limit: number }): Promise<LedgerPruneResult> {
    return this.tx(async (c) => {
      const { rows } = await c.query<{ v: string }>({
        name: 'ct_join_expired_visitors',
        text: `SELECT c.v FROM (
                 SELECT visitor_id AS v FROM join_tasks WHERE updated_at < $1 AND visitor_id IS NOT NULL
                 UNION SELECT visitor_id FROM join_visitor_records WHERE updated_at < $1
               ) c
               WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.visitor_id = c.v)
                 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.visitor_id = c.v)
                 AND NOT EXISTS (SELECT 1 FROM join_tasks t WHERE t.visitor_id = c.v AND t.updated_at >= $1)
                 AND NOT EXISTS (SELECT 1 FROM join_visitor_tasks vt JOIN join_tasks t ON t.task_id = vt.task_id
                                 WHERE vt.visitor_id = c.v AND t.updated_at >= $1)
                 AND NOT EXISTS (SELECT 1 FROM join_visitor_records r WHERE r.visitor_id = c.v AND r.updated_at >= $1)
               LIMIT $2`,
        values: [opts.before, opts.limit],
      });
      const visitors = rows.map((r) => r.v);
      let tasksDeleted = 0;
      if (visitors.length) {
        const del = await c.query('DELETE FROM join_tasks WHERE visitor_id = ANY($1::text[])', [visitors]);
        tasksDeleted = del.rowCount ?? 0;
        await c.query('DELETE FROM join_visitor_tasks WHERE visitor_id = ANY($1::text[])', [visitors]);
        await c.query('DELETE FROM join_visitor_records WHERE visitor_id = ANY($1::text[])', [visitors]);
      }
      const orphans =
        (
          await c.query(
            // R24's left-alone marks outlive retention (see the SQLite store).
            `DELETE FROM join_tasks WHERE task_id IN (
               SELECT task_id FROM join_tasks WHERE visitor_id IS NULL AND updated_at < $1
                 AND out_hash IS DISTINCT FROM $3 LIMIT $2)`,
            [opts.before, opts.limit, TASK_LEFT_ALONE],
          )
        ).rowCount ?? 0;
      return {
        visitorsDeleted: visitors.length,
        tasksDeleted: tasksDeleted + orphans,
        more: visitors.length === opts.limit || orphans === opts.limit,
      };
    });
  }
}

/** Visitors (replaced whole), then Tasks (upserted), then the watermark, on one transaction's client. */
async function commitWith(c: PoolClient, commit: LedgerCommit, now: number): Promise<void> {
  const visitors = [...(commit.visitors ?? [])];
  for (const chunk of chunks(visitors, WRITE_CHUNK)) {
    const ids = chunk.map(([v]) => v);
    await c.query('DELETE FROM join_visitor_tasks WHERE visitor_id = ANY($1::text[])', [ids]);
    await c.query('DELETE FROM join_visitor_records WHERE visitor_id = ANY($1::text[])', [ids]);
  }
  const taskRows = visitors.flatMap(([v, e]) => [...new Set(e.tasks)].map((id, i) => [v, id, i] as const));
  for (const chunk of chunks(taskRows, WRITE_CHUNK)) {
    await c.query(
      `INSERT INTO join_visitor_tasks (visitor_id, task_id, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
      [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2])],
    );
  }
  const recordRows = visitors.flatMap(([v, e]) =>
    Object.entries(e.records).map(([k, r]) => [v, k, r] as const),
  );
  for (const chunk of chunks(recordRows, WRITE_CHUNK)) {
    await c.query(
      `INSERT INTO join_visitor_records (visitor_id, record_key, hash, sf_id, updated_at)
       SELECT v, k, h, id, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(v, k, h, id)`,
      [
        chunk.map((r) => r[0]),
        chunk.map((r) => r[1]),
        chunk.map((r) => r[2].h),
        chunk.map((r) => r[2].id),
        now,
      ],
    );
  }
  for (const chunk of chunks([...(commit.tasks ?? [])], WRITE_CHUNK)) {
    await c.query(
      `INSERT INTO join_tasks (task_id, visitor_id, in_hash, out_hash, who_id, updated_at)
       SELECT t, v, i, o, w, $6
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(t, v, i, o, w)
       ON CONFLICT (task_id) DO UPDATE SET visitor_id = EXCLUDED.visitor_id, in_hash = EXCLUDED.in_hash,
         out_hash = EXCLUDED.out_hash, who_id = EXCLUDED.who_id, updated_at = EXCLUDED.updated_at`,
      [
        chunk.map(([id]) => id),
        chunk.map(([, t]) => t.v),
        chunk.map(([, t]) => t.in),
        chunk.map(([, t]) => t.out),
        chunk.map(([, t]) => t.who ?? null),
        now,
      ],
    );
  }
  if (commit.watermark)
    await c.query(
      'INSERT INTO join_watermark (id, value) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value',
      [commit.watermark],
    );
}
