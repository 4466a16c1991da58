import { createHash } from 'node:crypto';
import type { JoinLedgerStore, LedgerCommit, TaskLedger, VisitorLedger } from '../store/types';

/**
 * What the join last wrote, so a re-run writes nothing (R11) and the join's own Task updates
 * (which bump SystemModstamp) do not make it loop. Kept in the store's ledger tables
 * (JoinLedgerStore; store/migrations.ts version 4):
 *  - `join_watermark`: SystemModstamp up to which every Task was fully processed;
 *  - `join_tasks`: per Task, its visitor, a hash of the fields the join reads (`in`), of the
 *    update last written to it (`out`) and the WhoId it named (`who`, R21: finds a person's cookies);
 *  - `join_visitor_tasks` / `join_visitor_records`: per visitor (BizibleId), its Task ids and, per
 *    record key, the hash and Salesforce Id of the Web_Session__c / Touchpoint__c last written
 *    (the Id lets a record that dropped out of the plan be deleted).
 * Retention keeps the sessions of visitors in the ledger and prunes the ledger itself
 * (store/retention.ts).
 */

export type { LedgerCommit, TaskLedger, VisitorLedger } from '../store/types';

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

const emptyVisitor = (): VisitorLedger => ({ tasks: [], records: {} });

export class JoinLedger {
  constructor(private readonly store: JoinLedgerStore) {}

  getWatermark(): Promise<string | null> {
    return this.store.joinWatermark();
  }
  setWatermark(iso: string): Promise<void> {
    return this.store.commitJoinLedger({ watermark: iso });
  }
  /** The ledger entries of these Tasks; a Task never processed is absent from the map. */
  tasks(ids: readonly string[]): Promise<Map<string, TaskLedger>> {
    return this.store.joinTasks(ids);
  }
  async task(id: string): Promise<TaskLedger | null> {
    return (await this.tasks([id])).get(id) ?? null;
  }
  /** Every id is in the map: a visitor never written has an empty ledger. */
  async visitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>> {
    const found = await this.store.joinVisitors(ids);
    const out = new Map<string, VisitorLedger>();
    for (const v of new Set(ids)) out.set(v, found.get(v) ?? emptyVisitor());
    return out;
  }
  async visitor(bizibleId: string): Promise<VisitorLedger> {
    return (await this.visitors([bizibleId])).get(bizibleId)!;
  }
  /** R21: per WhoId, the visitors with a Task in the ledger that named it. */
  visitorsNaming(whoIds: readonly string[]): Promise<Map<string, string[]>> {
    return whoIds.length ? this.store.joinVisitorsNaming(whoIds) : Promise.resolve(new Map());
  }
  /** Visitors, Tasks and the watermark in one transaction: a failure leaves none of it. */
  commit(c: LedgerCommit): Promise<void> {
    return this.store.commitJoinLedger(c);
  }
}
