import type Database from 'better-sqlite3';
import { LEGACY_RANGE, legacyLedgerCommit } from './join-ledger-legacy';
import {
  TASK_LEFT_ALONE,
  type JoinLedgerStore,
  type LedgerCommit,
  type LedgerPruneResult,
  type TaskLedger,
  type VisitorLedger,
} from './types';

/** Ids per read statement: one JSON array parameter each (json_each), so one prepared statement. */
const READ_CHUNK = 1000;

interface TaskRow {
  task_id: string;
  visitor_id: string | null;
  in_hash: string | null;
  out_hash: string | null;
  who_id: string | null;
}

type LedgerStatements = ReturnType<SqliteJoinLedger['prepareStatements']>;

/**
 * The SQLite store's join ledger tables (migration 4; SqliteStore forwards its JoinLedgerStore
 * methods here). A commit is one IMMEDIATE transaction of prepared statements: SQLite's way of
 * batching writes (one fsync for all of them).
 */
export class SqliteJoinLedger implements JoinLedgerStore {
  private stmts: ReturnType<SqliteJoinLedger['prepare']> | null = null;

  constructor(private readonly db: Database.Database) {}

  /** Prepared on first use: the tables exist only after migrate(). */
  private statements() {
    return (this.stmts ??= this.prepare());
  }

  private prepare() {
    const s = this.prepareStatements();
    const commit = this.commitTransaction(s);
    return {
      ...s,
      commit,
      moveLegacy: this.moveLegacyTransaction(s, commit),
      prune: this.pruneTransaction(s),
    };
  }

  private prepareStatements() {
    const db = this.db;
    return {
      watermark: db.prepare('SELECT value FROM join_watermark WHERE id = 1').pluck(),
      setWatermark: db.prepare(
        'INSERT INTO join_watermark (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value',
      ),
      tasks: db.prepare(
        'SELECT task_id, visitor_id, in_hash, out_hash, who_id FROM join_tasks WHERE task_id IN (SELECT value FROM json_each(?))',
      ),
      naming: db.prepare(
        `SELECT DISTINCT who_id, visitor_id FROM join_tasks
         WHERE who_id IN (SELECT value FROM json_each(?)) AND visitor_id IS NOT NULL ORDER BY who_id, visitor_id`,
      ),
      visitorTasks: db.prepare(
        `SELECT visitor_id, task_id FROM join_visitor_tasks WHERE visitor_id IN (SELECT value FROM json_each(?))
         ORDER BY visitor_id, position`,
      ),
      visitorRecords: db.prepare(
        `SELECT visitor_id, record_key, hash, sf_id FROM join_visitor_records
         WHERE visitor_id IN (SELECT value FROM json_each(?)) ORDER BY visitor_id, record_key`,
      ),
      upsertTask: db.prepare(
        `INSERT INTO join_tasks (task_id, visitor_id, in_hash, out_hash, who_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (task_id) DO UPDATE SET visitor_id = excluded.visitor_id, in_hash = excluded.in_hash,
           out_hash = excluded.out_hash, who_id = excluded.who_id, updated_at = excluded.updated_at`,
      ),
      clearVisitorTasks: db.prepare('DELETE FROM join_visitor_tasks WHERE visitor_id = ?'),
      clearVisitorRecords: db.prepare('DELETE FROM join_visitor_records WHERE visitor_id = ?'),
      insertVisitorTask: db.prepare(
        'INSERT INTO join_visitor_tasks (visitor_id, task_id, position) VALUES (?, ?, ?)',
      ),
      insertRecord: db.prepare(
        'INSERT INTO join_visitor_records (visitor_id, record_key, hash, sf_id, updated_at) VALUES (?, ?, ?, ?, ?)',
      ),
      legacyRows: db.prepare('SELECT key, value FROM state WHERE key >= ? AND key < ?'),
      deleteLegacy: db.prepare('DELETE FROM state WHERE key >= ? AND key < ?'),
      // A visitor's ledger expires as a whole (see JoinLedgerStore.pruneJoinLedger): candidates
      // come from the updated_at indexes, then every part of the visitor must be old and the
      // store must hold nothing of it.
      expiredVisitors: db.prepare(
        `SELECT c.v FROM (
           SELECT visitor_id AS v FROM join_tasks WHERE updated_at < @before AND visitor_id IS NOT NULL
           UNION SELECT visitor_id FROM join_visitor_records WHERE updated_at < @before
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.visitor_id = c.v)
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.visitor_id = c.v)
           AND NOT EXISTS (SELECT 1 FROM join_tasks t WHERE t.visitor_id = c.v AND t.updated_at >= @before)
           AND NOT EXISTS (SELECT 1 FROM join_visitor_tasks vt JOIN join_tasks t ON t.task_id = vt.task_id
                           WHERE vt.visitor_id = c.v AND t.updated_at >= @before)
           AND NOT EXISTS (SELECT 1 FROM join_visitor_records r WHERE r.visitor_id = c.v AND r.updated_at >= @before)
         LIMIT @limit`,
      ),
      deleteVisitorTaskEntries: db.prepare('DELETE FROM join_tasks WHERE visitor_id = ?'),
      // Old entries without a visitor go, but not R24's left-alone marks: they must outlive retention.
      deleteOrphanTasks: db.prepare(
        `DELETE FROM join_tasks WHERE task_id IN (
           SELECT task_id FROM join_tasks WHERE visitor_id IS NULL AND updated_at < ?
             AND out_hash IS NOT ? LIMIT ?)`,
      ),
    };
  }

  private commitTransaction(s: LedgerStatements) {
    return this.db.transaction((c: LedgerCommit, now: number) => {
      for (const [v, entry] of c.visitors ?? []) {
        s.clearVisitorTasks.run(v);
        s.clearVisitorRecords.run(v);
        [...new Set(entry.tasks)].forEach((id, i) => s.insertVisitorTask.run(v, id, i));
        for (const [key, r] of Object.entries(entry.records)) s.insertRecord.run(v, key, r.h, r.id, now);
      }
      for (const [id, t] of c.tasks ?? []) s.upsertTask.run(id, t.v, t.in, t.out, t.who ?? null, now);
      if (c.watermark) s.setWatermark.run(c.watermark);
    });
  }

  private moveLegacyTransaction(s: LedgerStatements, commit: (c: LedgerCommit, now: number) => void) {
    return this.db.transaction((now: number): number => {
      const rows = s.legacyRows.all(LEGACY_RANGE.from, LEGACY_RANGE.to) as { key: string; value: string }[];
      if (rows.length === 0) return 0;
      commit(legacyLedgerCommit(rows), now);
      s.deleteLegacy.run(LEGACY_RANGE.from, LEGACY_RANGE.to);
      return rows.length;
    });
  }

  private pruneTransaction(s: LedgerStatements) {
    return this.db.transaction((before: number, limit: number): LedgerPruneResult => {
      const visitors = s.expiredVisitors.pluck().all({ before, limit }) as string[];
      let tasksDeleted = 0;
      for (const v of visitors) {
        tasksDeleted += s.deleteVisitorTaskEntries.run(v).changes;
        s.clearVisitorTasks.run(v);
        s.clearVisitorRecords.run(v);
      }
      const orphans = s.deleteOrphanTasks.run(before, TASK_LEFT_ALONE, limit).changes;
      return {
        visitorsDeleted: visitors.length,
        tasksDeleted: tasksDeleted + orphans,
        more: visitors.length === limit || orphans === limit,
      };
    });
  }

  /** Moves `join.*` key/value entries into the tables (migrate(); one transaction). Returns how many. */
  moveLegacyEntries(now = Date.now()): number {
    return this.statements().moveLegacy.immediate(now);
  }

  async joinWatermark(): Promise<string | null> {
    return (this.statements().watermark.get() as string | undefined) ?? null;
  }

  async joinTasks(ids: readonly string[]): Promise<Map<string, TaskLedger>> {
    const out = new Map<string, TaskLedger>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += READ_CHUNK) {
      const rows = this.statements().tasks.all(JSON.stringify(unique.slice(i, i + READ_CHUNK))) as TaskRow[];
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

  async joinVisitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>> {
    const out = new Map<string, VisitorLedger>();
    const entry = (v: string) => {
      let e = out.get(v);
      if (!e) out.set(v, (e = { tasks: [], records: {} }));
      return e;
    };
    const unique = [...new Set(ids)];
    const st = this.statements();
    for (let i = 0; i < unique.length; i += READ_CHUNK) {
      const chunk = JSON.stringify(unique.slice(i, i + READ_CHUNK));
      for (const r of st.visitorTasks.all(chunk) as { visitor_id: string; task_id: string }[])
        entry(r.visitor_id).tasks.push(r.task_id);
      const records = st.visitorRecords.all(chunk) as {
        visitor_id: string;
        record_key: string;
        hash: string;
        sf_id: string | null;
      }[];
      for (const r of records) entry(r.visitor_id).records[r.record_key] = { h: r.hash, id: r.sf_id };
    }
    return out;
  }

  async joinVisitorsNaming(whoIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const unique = [...new Set(whoIds)];
    for (let i = 0; i < unique.length; i += READ_CHUNK) {
      const rows = this.statements().naming.all(JSON.stringify(unique.slice(i, i + READ_CHUNK))) as {
        who_id: string;
        visitor_id: string;
      }[];
      for (const r of rows) out.set(r.who_id, [...(out.get(r.who_id) ?? []), r.visitor_id]);
    }
    return out;
  }

  async commitJoinLedger(c: LedgerCommit): Promise<void> {
    this.statements().commit.immediate(c, Date.now());
  }

  async pruneJoinLedger(opts: { before: number; limit: number }): Promise<LedgerPruneResult> {
    return this.statements().prune.immediate(opts.before, opts.limit);
  }
}
