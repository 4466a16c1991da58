import type { LedgerCommit, TaskLedger, VisitorLedger } from './types';

/**
 * The join ledger as earlier versions kept it: JSON in the key/value state. migrate() moves these
 * entries into the ledger tables once (migration 4) and deletes them, in one transaction; a store
 * that has none (new, or already moved) does nothing.
 */
export const LEGACY_WATERMARK_KEY = 'join.watermark';
export const LEGACY_TASK_PREFIX = 'join.task.';
export const LEGACY_VISITOR_PREFIX = 'join.visitor.';

/**
 * The state keys to move, as a key range (`join.` up to, not including, `join/`: '/' follows '.'),
 * so the primary key index finds them without a scan.
 */
export const LEGACY_RANGE = { from: 'join.', to: 'join/' } as const;

/** Updated-at of moved entries: the move itself, so none is pruned before a full retention period. */
export function legacyLedgerCommit(rows: readonly { key: string; value: string }[]): LedgerCommit {
  const tasks = new Map<string, TaskLedger>();
  const visitors = new Map<string, VisitorLedger>();
  let watermark: string | null = null;
  for (const { key, value } of rows) {
    if (key === LEGACY_WATERMARK_KEY) {
      watermark = value;
      continue;
    }
    const parsed = parse(value);
    if (!parsed) continue; // a damaged entry only costs a rewrite, as it did when it was read
    if (key.startsWith(LEGACY_TASK_PREFIX)) {
      const t = parsed as Partial<TaskLedger>;
      tasks.set(key.slice(LEGACY_TASK_PREFIX.length), {
        v: str(t.v),
        in: str(t.in),
        out: str(t.out),
      });
    } else if (key.startsWith(LEGACY_VISITOR_PREFIX)) {
      const v = parsed as Partial<VisitorLedger>;
      const records: VisitorLedger['records'] = {};
      for (const [k, r] of Object.entries(v.records ?? {}))
        if (r && typeof r.h === 'string') records[k] = { h: r.h, id: str(r.id) };
      visitors.set(key.slice(LEGACY_VISITOR_PREFIX.length), {
        tasks: [...new Set((Array.isArray(v.tasks) ? v.tasks : []).filter((x) => typeof x === 'string'))],
        records,
      });
    }
  }
  return { tasks, visitors, watermark };
}

function parse(raw: string): object | null {
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
