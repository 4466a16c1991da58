import type { CallOutbox, OutboxItem } from './types';

/** A store's CallOutbox methods, answered by its outbox table's own class (sqlite-outbox.ts, postgres-outbox.ts). */
export abstract class OutboxForwarding implements CallOutbox {
  protected abstract readonly outbox: CallOutbox;

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
}
