import type Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import type {
  ErasureRecord,
  ErasureStore,
  StoreErasureCounts,
  StoreErasureTargets,
  Suppression,
} from './types';
import { TASK_LEFT_ALONE } from './types';

/**
 * Erasure requests, the suppression list and the deletion of a person's rows (issue 23, migration 5),
 * both dialects side by side (docs/architecture.md, "The store: two dialects, one decision").
 *
 * What a person's rows are: the events and sessions of their cookies (and the sessionizer's pending
 * marks), every outbox item whose call carries one of their cookies or numbers (parked ones
 * included), the join ledger's rows of their cookies and call Tasks, and the bot filter's state
 * marks of their cookies. Outbox payloads are the JSON of a NormalizedCall (`JSON.stringify`, no
 * spaces), so `"visitorId":"<id>"` and `"callerNumber":"<E.164>"` find them exactly.
 */

/** Substrings of an outbox payload that make it one of the person's. */
export function outboxNeedles(t: StoreErasureTargets): string[] {
  return [...t.visitorIds.map((v) => `"visitorId":${JSON.stringify(v)}`), ...numberNeedles(t.callerNumbers)];
}

/** The visitor ids of outbox payloads (NormalizedCall JSON). */
function payloadVisitors(payloads: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of payloads) {
    try {
      const v = (JSON.parse(p) as { visitorId?: unknown }).visitorId;
      if (typeof v === 'string') out.push(v);
    } catch {
      /* not a call payload */
    }
  }
  return out;
}

const numberNeedles = (numbers: readonly string[]) =>
  numbers.map((n) => `"callerNumber":${JSON.stringify(n)}`);

/**
 * State rows that name the subject: the bot filter's marks of their cookies, and the Lead remembered
 * for each of their numbers (`caller-lead:<E.164>`, join/caller-leads.ts — it holds the number).
 */
const stateKeys = (t: StoreErasureTargets) => [
  ...t.visitorIds.map((v) => `tracking.automated.${v}`),
  ...t.callerNumbers.map((n) => `caller-lead:${n}`),
];

interface ErasureRow {
  id: string;
  requested_by: string;
  requested_at: number | string;
  subject_kind: string;
  subject_hash: string;
  step: string;
  plan: string | null;
  result: string;
  finished_at: number | string | null;
  error: string | null;
}

function fromRow(r: ErasureRow): ErasureRecord {
  return {
    id: r.id,
    requestedBy: r.requested_by,
    requestedAt: Number(r.requested_at),
    subjectKind: r.subject_kind as ErasureRecord['subjectKind'],
    subjectHash: r.subject_hash,
    step: r.step,
    plan: r.plan,
    result: r.result,
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    error: r.error,
  };
}

const UPSERT_COLUMNS = `id, requested_by, requested_at, subject_kind, subject_hash, step, plan, result, finished_at, error`;
const UPSERT_SET = `step = excluded.step, plan = excluded.plan, result = excluded.result,
  finished_at = excluded.finished_at, error = excluded.error`;

const values = (r: ErasureRecord) => [
  r.id,
  r.requestedBy,
  r.requestedAt,
  r.subjectKind,
  r.subjectHash,
  r.step,
  r.plan,
  r.result,
  r.finishedAt,
  r.error,
];

/* ------------------------------------------------------------------ SQLite */

/** The SQLite store's erasure tables; one IMMEDIATE transaction per erasure of rows. */
export class SqliteErasure implements ErasureStore {
  constructor(private readonly db: Database.Database) {}

  async saveErasure(r: ErasureRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO erasure_requests (${UPSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET}`,
      )
      .run(...values(r));
  }

  async erasure(id: string): Promise<ErasureRecord | null> {
    const row = this.db.prepare('SELECT * FROM erasure_requests WHERE id = ?').get(id) as
      ErasureRow | undefined;
    return row ? fromRow(row) : null;
  }

  async erasures(opts: { limit: number; unfinished?: boolean }): Promise<ErasureRecord[]> {
    const where = opts.unfinished ? "WHERE step <> 'done'" : '';
    const rows = this.db
      .prepare(`SELECT * FROM erasure_requests ${where} ORDER BY requested_at DESC, id LIMIT ?`)
      .all(opts.limit) as ErasureRow[];
    return rows.map(fromRow);
  }

  async suppress(entries: readonly Suppression[], now: number): Promise<number> {
    const insert = this.db.prepare(
      'INSERT INTO suppressions (hash, kind, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
    );
    return this.db
      .transaction(() => entries.reduce((n, e) => n + insert.run(e.hash, e.kind, e.reason, now).changes, 0))
      .immediate();
  }

  async suppressedHashes(): Promise<string[]> {
    return this.db.prepare('SELECT hash FROM suppressions').pluck().all() as string[];
  }

  async visitorsOf(q: { emails: readonly string[]; callerNumbers: readonly string[] }): Promise<string[]> {
    const byEmail = this.db
      .prepare(
        'SELECT DISTINCT visitor_id FROM events WHERE lower(email) IN (SELECT value FROM json_each(?))',
      )
      .pluck()
      .all(JSON.stringify(q.emails.map((e) => e.toLowerCase()))) as string[];
    const payloads = this.db
      .prepare(
        'SELECT payload FROM outbox WHERE EXISTS (SELECT 1 FROM json_each(?) n WHERE instr(outbox.payload, n.value) > 0)',
      )
      .pluck()
      .all(JSON.stringify(numberNeedles(q.callerNumbers))) as string[];
    return [...new Set([...byEmail, ...payloadVisitors(payloads)])];
  }

  private statements(t: StoreErasureTargets) {
    const v = JSON.stringify(t.visitorIds);
    const tasks = JSON.stringify(t.taskIds);
    const needles = JSON.stringify(outboxNeedles(t));
    const keys = JSON.stringify(stateKeys(t));
    const inV = `visitor_id IN (SELECT value FROM json_each(?))`;
    return [
      { kind: 'events', where: `FROM events WHERE ${inV}`, args: [v] },
      { kind: 'sessions', where: `FROM sessions WHERE ${inV}`, args: [v] },
      { kind: null, where: `FROM dirty_visitors WHERE ${inV}`, args: [v] },
      {
        kind: 'outboxItems',
        where: `FROM outbox WHERE EXISTS (SELECT 1 FROM json_each(?) n WHERE instr(outbox.payload, n.value) > 0)`,
        args: [needles],
      },
      {
        kind: 'ledgerRows',
        where: `FROM join_tasks WHERE ${inV} OR task_id IN (SELECT value FROM json_each(?))`,
        args: [v, tasks],
      },
      {
        kind: 'ledgerRows',
        where: `FROM join_visitor_tasks WHERE ${inV} OR task_id IN (SELECT value FROM json_each(?))`,
        args: [v, tasks],
      },
      { kind: 'ledgerRows', where: `FROM join_visitor_records WHERE ${inV}`, args: [v] },
      { kind: 'stateRows', where: `FROM state WHERE key IN (SELECT value FROM json_each(?))`, args: [keys] },
    ] as const;
  }

  async countStoreData(t: StoreErasureTargets): Promise<StoreErasureCounts> {
    const out = emptyCounts();
    for (const s of this.statements(t)) {
      if (!s.kind) continue;
      out[s.kind] += (this.db.prepare(`SELECT COUNT(*) AS n ${s.where}`).get(...s.args) as { n: number }).n;
    }
    return out;
  }

  async eraseStoreData(t: StoreErasureTargets, now: number): Promise<StoreErasureCounts> {
    const keep = this.db.prepare(
      `INSERT INTO join_tasks (task_id, visitor_id, in_hash, out_hash, updated_at) VALUES (?, NULL, ?, ?, ?)
       ON CONFLICT (task_id) DO UPDATE SET visitor_id = NULL, in_hash = excluded.in_hash, out_hash = excluded.out_hash,
         updated_at = excluded.updated_at`,
    );
    return this.db
      .transaction(() => {
        const out = emptyCounts();
        for (const s of this.statements(t)) {
          const n = this.db.prepare(`DELETE ${s.where}`).run(...s.args).changes;
          if (s.kind) out[s.kind] += n;
        }
        for (const k of t.keptTasks) keep.run(k.taskId, k.inHash, TASK_LEFT_ALONE, now);
        return out;
      })
      .immediate();
  }
}

/* -------------------------------------------------------------- PostgreSQL */

/** The PostgreSQL store's erasure tables; one transaction per erasure of rows. */
export class PostgresErasure implements ErasureStore {
  constructor(
    private readonly pool: Pool,
    private readonly tx: <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>,
  ) {}

  async saveErasure(r: ErasureRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO erasure_requests (${UPSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET ${UPSERT_SET}`,
      values(r),
    );
  }

  async erasure(id: string): Promise<ErasureRecord | null> {
    const { rows } = await this.pool.query<ErasureRow>('SELECT * FROM erasure_requests WHERE id = $1', [id]);
    return rows.length ? fromRow(rows[0]) : null;
  }

  async erasures(opts: { limit: number; unfinished?: boolean }): Promise<ErasureRecord[]> {
    const where = opts.unfinished ? "WHERE step <> 'done'" : '';
    const { rows } = await this.pool.query<ErasureRow>(
      `SELECT * FROM erasure_requests ${where} ORDER BY requested_at DESC, id LIMIT $1`,
      [opts.limit],
    );
    return rows.map(fromRow);
  }

  async suppress(entries: readonly Suppression[], now: number): Promise<number> {
    if (!entries.length) return 0;
    const { rowCount } = await this.pool.query(
      `INSERT INTO suppressions (hash, kind, reason, created_at)
       SELECT h, k, r, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(h, k, r)
       ON CONFLICT (hash) DO NOTHING`,
      [entries.map((e) => e.hash), entries.map((e) => e.kind), entries.map((e) => e.reason), now],
    );
    return rowCount ?? 0;
  }

  async suppressedHashes(): Promise<string[]> {
    const { rows } = await this.pool.query<{ hash: string }>('SELECT hash FROM suppressions');
    return rows.map((r) => r.hash);
  }

  async visitorsOf(q: { emails: readonly string[]; callerNumbers: readonly string[] }): Promise<string[]> {
    const byEmail = await this.pool.query<{ visitor_id: string }>(
      'SELECT DISTINCT visitor_id FROM events WHERE lower(email) = ANY($1::text[])',
      [q.emails.map((e) => e.toLowerCase())],
    );
    const payloads = await this.pool.query<{ payload: string }>(
      'SELECT payload FROM outbox WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) n WHERE strpos(outbox.payload, n) > 0)',
      [numberNeedles(q.callerNumbers)],
    );
    return [
      ...new Set([
        ...byEmail.rows.map((r) => r.visitor_id),
        ...payloadVisitors(payloads.rows.map((r) => r.payload)),
      ]),
    ];
  }

  private statements(t: StoreErasureTargets) {
    const v = [...t.visitorIds];
    const inV = 'visitor_id = ANY($1::text[])';
    return [
      { kind: 'events', where: `FROM events WHERE ${inV}`, args: [v] },
      { kind: 'sessions', where: `FROM sessions WHERE ${inV}`, args: [v] },
      { kind: null, where: `FROM pending_events WHERE ${inV}`, args: [v] },
      {
        kind: 'outboxItems',
        where:
          'FROM outbox WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) n WHERE strpos(outbox.payload, n) > 0)',
        args: [outboxNeedles(t)],
      },
      {
        kind: 'ledgerRows',
        where: `FROM join_tasks WHERE ${inV} OR task_id = ANY($2::text[])`,
        args: [v, [...t.taskIds]],
      },
      {
        kind: 'ledgerRows',
        where: `FROM join_visitor_tasks WHERE ${inV} OR task_id = ANY($2::text[])`,
        args: [v, [...t.taskIds]],
      },
      { kind: 'ledgerRows', where: `FROM join_visitor_records WHERE ${inV}`, args: [v] },
      { kind: 'stateRows', where: 'FROM state WHERE key = ANY($1::text[])', args: [stateKeys(t)] },
    ] as const;
  }

  async countStoreData(t: StoreErasureTargets): Promise<StoreErasureCounts> {
    const out = emptyCounts();
    for (const s of this.statements(t)) {
      if (!s.kind) continue;
      const { rows } = await this.pool.query<{ n: string }>(`SELECT COUNT(*) AS n ${s.where}`, [...s.args]);
      out[s.kind] += Number(rows[0].n);
    }
    return out;
  }

  async eraseStoreData(t: StoreErasureTargets, now: number): Promise<StoreErasureCounts> {
    return this.tx(async (c) => {
      const out = emptyCounts();
      for (const s of this.statements(t)) {
        const { rowCount } = await c.query(`DELETE ${s.where}`, [...s.args]);
        if (s.kind) out[s.kind] += rowCount ?? 0;
      }
      if (t.keptTasks.length)
        await c.query(
          `INSERT INTO join_tasks (task_id, visitor_id, in_hash, out_hash, updated_at)
           SELECT id, NULL, h, $4, $3 FROM unnest($1::text[], $2::text[]) AS x(id, h)
           ON CONFLICT (task_id) DO UPDATE SET visitor_id = NULL, in_hash = excluded.in_hash, out_hash = excluded.out_hash,
             updated_at = excluded.updated_at`,
          [t.keptTasks.map((k) => k.taskId), t.keptTasks.map((k) => k.inHash), now, TASK_LEFT_ALONE],
        );
      return out;
    });
  }
}

function emptyCounts(): StoreErasureCounts {
  return { events: 0, sessions: 0, outboxItems: 0, ledgerRows: 0, stateRows: 0 };
}
