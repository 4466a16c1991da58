import type {
  CallOutbox,
  ErasureRecord,
  ErasureStore,
  StoreErasureCounts,
  StoreErasureTargets,
  Suppression,
  JoinLedgerStore,
  LedgerCommit,
  LedgerPruneResult,
  OutboxItem,
  TaskLedger,
  VisitorLedger,
} from './types';

/**
 * A store's CallOutbox and JoinLedgerStore methods, answered by the classes that own those tables
 * in each database (sqlite-outbox.ts, postgres-outbox.ts; sqlite-join-ledger.ts, postgres-join-ledger.ts).
 */
export abstract class StoreForwarding implements CallOutbox, JoinLedgerStore, ErasureStore {
  protected abstract readonly outbox: CallOutbox;
  protected abstract readonly ledger: JoinLedgerStore;
  /** erasure.ts: erasure requests, suppressions, a person's rows. */
  protected abstract readonly erasureTables: ErasureStore;

  enqueue(...a: Parameters<CallOutbox['enqueue']>): Promise<OutboxItem> {
    return this.outbox.enqueue(...a);
  }
  due(...a: Parameters<CallOutbox['due']>): Promise<OutboxItem[]> {
    return this.outbox.due(...a);
  }
  claimDue(...a: Parameters<CallOutbox['claimDue']>): Promise<OutboxItem[]> {
    return this.outbox.claimDue(...a);
  }
  release(...a: Parameters<CallOutbox['release']>): Promise<void> {
    return this.outbox.release(...a);
  }
  complete(id: number): Promise<void> {
    return this.outbox.complete(id);
  }
  retryLater(...a: Parameters<CallOutbox['retryLater']>): Promise<void> {
    return this.outbox.retryLater(...a);
  }
  outboxDepth(kind?: string): Promise<number> {
    return this.outbox.outboxDepth(kind);
  }
  park(id: number, reason: string): Promise<void> {
    return this.outbox.park(id, reason);
  }
  parked(kind: string, limit: number): Promise<OutboxItem[]> {
    return this.outbox.parked(kind, limit);
  }
  unpark(id: number, now: number): Promise<boolean> {
    return this.outbox.unpark(id, now);
  }
  discardParked(id: number): Promise<boolean> {
    return this.outbox.discardParked(id);
  }

  joinWatermark(): Promise<string | null> {
    return this.ledger.joinWatermark();
  }
  joinTasks(ids: readonly string[]): Promise<Map<string, TaskLedger>> {
    return this.ledger.joinTasks(ids);
  }
  joinVisitors(ids: readonly string[]): Promise<Map<string, VisitorLedger>> {
    return this.ledger.joinVisitors(ids);
  }
  joinVisitorsNaming(whoIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.ledger.joinVisitorsNaming(whoIds);
  }
  commitJoinLedger(c: LedgerCommit): Promise<void> {
    return this.ledger.commitJoinLedger(c);
  }
  pruneJoinLedger(opts: { before: number; limit: number }): Promise<LedgerPruneResult> {
    return this.ledger.pruneJoinLedger(opts);
  }

  saveErasure(r: ErasureRecord): Promise<void> {
    return this.erasureTables.saveErasure(r);
  }
  erasure(id: string): Promise<ErasureRecord | null> {
    return this.erasureTables.erasure(id);
  }
  erasures(opts: { limit: number; unfinished?: boolean }): Promise<ErasureRecord[]> {
    return this.erasureTables.erasures(opts);
  }
  suppress(entries: readonly Suppression[], now: number): Promise<number> {
    return this.erasureTables.suppress(entries, now);
  }
  suppressedHashes(): Promise<string[]> {
    return this.erasureTables.suppressedHashes();
  }
  visitorsOf(q: { emails: readonly string[]; callerNumbers: readonly string[] }): Promise<string[]> {
    return this.erasureTables.visitorsOf(q);
  }
  countStoreData(t: StoreErasureTargets): Promise<StoreErasureCounts> {
    return this.erasureTables.countStoreData(t);
  }
  eraseStoreData(t: StoreErasureTargets, now: number): Promise<StoreErasureCounts> {
    return this.erasureTables.eraseStoreData(t, now);
  }
}
