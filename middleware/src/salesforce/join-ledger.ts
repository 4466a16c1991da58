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

export class JoinLedger {
  constructor(private readonly store: KeyValueState) {}

  getWatermark(): Promise<string | null> {
    return this.store.getState(WATERMARK_KEY);
  }
  setWatermark(iso: string): Promise<void> {
    return this.store.setState(WATERMARK_KEY, iso);
  }
  task(id: string): Promise<TaskLedger | null> {
    return readJson<TaskLedger>(this.store, `join.task.${id}`);
  }
  setTask(id: string, entry: TaskLedger): Promise<void> {
    return this.store.setState(`join.task.${id}`, JSON.stringify(entry));
  }
  async visitor(bizibleId: string): Promise<VisitorLedger> {
    return (
      (await readJson<VisitorLedger>(this.store, `${VISITOR_KEY_PREFIX}${bizibleId}`)) ?? {
        tasks: [],
        records: {},
      }
    );
  }
  setVisitor(bizibleId: string, entry: VisitorLedger): Promise<void> {
    return this.store.setState(`${VISITOR_KEY_PREFIX}${bizibleId}`, JSON.stringify(entry));
  }
}
