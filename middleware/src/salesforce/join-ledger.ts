import { createHash } from 'node:crypto';
import type { KeyValueState } from '../store/types';

/**
 * What the join last wrote, kept in the store's key/value state so a re-run writes nothing (R11)
 * and the join's own Task updates (which bump SystemModstamp) do not make it loop:
 *  - `join.watermark`: SystemModstamp up to which every Task was fully processed;
 *  - `join.task.<TaskId>`: the Task's visitor, a hash of the fields the join reads (`in`) and of
 *    the update last written to it (`out`);
 *  - `join.visitor.<BizibleId>`: the visitor's Task ids and, per record key, the hash and Salesforce
 *    Id of the Web_Session__c / Touchpoint__c last written (the Id lets a record that dropped out
 *    of the plan be deleted).
 */

export const WATERMARK_KEY = 'join.watermark';
/** `join.visitor.<BizibleId>`: retention keeps the sessions of visitors with such an entry. */
export const VISITOR_KEY_PREFIX = 'join.visitor.';

export interface TaskLedger {
  /** BizibleId the Task had when it was last processed (null: none). */
  v: string | null;
  /** Hash of the Task's input fields when it was last fully processed; null: process again. */
  in: string | null;
  /** Hash of the Task update last written. */
  out: string | null;
}

export interface VisitorLedger {
  tasks: string[];
  /** `ws:<Session_Key__c>` / `tp:<Touchpoint_Key__c>` → last written hash and record Id. */
  records: Record<string, { h: string; id: string | null }>;
}

/** Stable JSON (sorted keys) → short sha256: equal records hash equal whatever their key order. */
export function recordHash(value: unknown): string {
  const stable = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(stable);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
      );
    }
    return v === undefined ? null : v;
  };
  return createHash('sha256')
    .update(JSON.stringify(stable(value)))
    .digest('hex')
    .slice(0, 24);
}

async function readJson<T>(store: KeyValueState, key: string): Promise<T | null> {
  const raw = await store.getState(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null; // a damaged entry only costs a rewrite
  }
}

/** What one join run (or one batch of calls) records, in one step (`JoinLedger.commit`). */
export interface LedgerCommit {
  tasks?: ReadonlyMap<string, TaskLedger>;
  visitors?: ReadonlyMap<string, VisitorLedger>;
  /** Moved only by runs that read by the watermark. */
  watermark?: string | null;
}

const emptyVisitor = (): VisitorLedger => ({ tasks: [], records: {} });

export class JoinLedger {
  constructor(private readonly store: KeyValueState) {}

  getWatermark(): Promise<string | null> {
    return this.store.getState(WATERMARK_KEY);
  }
  setWatermark(iso: string): Promise<void> {
    return this.store.setState(WATERMARK_KEY, iso);
  }
  /** The ledger entries of these Tasks; a Task never processed is absent from the map. */
  async tasks(ids: readonly string[]): Promise<Map<string, TaskLedger>> {
    const out = new Map<string, TaskLedger>();
    for (const id of new Set(ids)) {
      const entry = await readJson<TaskLedger>(this.store, `join.task.${id}`);
      if (entry) out.set(id, entry);
    }
    return out;
  }
  async task(id: string): Promise<TaskLedger | null> {
    return (await this.tasks([id])).get(id) ?? null;
  }
  /** Every id is in the map: a visitor never written has an empty ledger. */
  async visitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>> {
    const out = new Map<string, VisitorLedger>();
    for (const v of new Set(ids))
      out.set(v, (await readJson<VisitorLedger>(this.store, `${VISITOR_KEY_PREFIX}${v}`)) ?? emptyVisitor());
    return out;
  }
  async visitor(bizibleId: string): Promise<VisitorLedger> {
    return (await this.visitors([bizibleId])).get(bizibleId)!;
  }
  async commit(c: LedgerCommit): Promise<void> {
    for (const [v, entry] of c.visitors ?? [])
      await this.store.setState(`${VISITOR_KEY_PREFIX}${v}`, JSON.stringify(entry));
    for (const [id, entry] of c.tasks ?? [])
      await this.store.setState(`join.task.${id}`, JSON.stringify(entry));
    if (c.watermark) await this.store.setState(WATERMARK_KEY, c.watermark);
  }
}
