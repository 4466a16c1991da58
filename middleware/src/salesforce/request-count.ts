import type { BudgetStatus, RequestBudget } from './budget';
import {
  REQUEST_KINDS,
  type CallOptions,
  type CreateAndQuery,
  type CreateAndQueryResult,
  type Purpose,
  type RequestKind,
  type RequestTally,
  type SfRecord,
} from './port';

/** Org API requests sent, by purpose and kind: one instance per org, shared by its purpose views. */
export class RequestCounts {
  private readonly counts = new Map<string, number>();

  add(purpose: Purpose, kind: RequestKind, n = 1): void {
    const key = `${purpose}/${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  /** Requests of one purpose (of one kind, or all). */
  of(purpose: Purpose, kind?: RequestKind): number {
    return (kind ? [kind] : REQUEST_KINDS).reduce((n, k) => n + (this.counts.get(`${purpose}/${k}`) ?? 0), 0);
  }

  tally(): RequestTally[] {
    return [...this.counts].map(([key, count]) => {
      const [purpose, kind] = key.split('/') as [Purpose, RequestKind];
      return { purpose, kind, count };
    });
  }
}

/** What every purpose view of one org shares. */
export interface Accounts {
  counts: RequestCounts;
  budget: RequestBudget;
}

/**
 * What every SalesforcePort implementation shares: the accounting, and `queries`, which is a
 * createAndQuery without creates.
 */
export abstract class CountedPort {
  protected constructor(
    readonly purpose: Purpose,
    protected readonly accounts: Accounts,
  ) {}

  /** Requests sent under this purpose (every attempt counts, as it does against the org's limit). */
  requestCount(kind?: RequestKind): number {
    return this.accounts.counts.of(this.purpose, kind);
  }

  tally(): RequestTally[] {
    return this.accounts.counts.tally();
  }

  budget(): BudgetStatus {
    return this.accounts.budget.status();
  }

  abstract createAndQuery<T = SfRecord>(
    req: CreateAndQuery,
    opts?: CallOptions,
  ): Promise<CreateAndQueryResult<T>>;

  async queries<T = SfRecord>(soqls: readonly string[], opts: CallOptions = {}): Promise<T[][]> {
    return (await this.createAndQuery<T>({ queries: soqls }, opts)).rows;
  }

  /** Counts requests about to be sent, against the budget too. */
  protected spend(kind: RequestKind, n = 1): void {
    this.accounts.counts.add(this.purpose, kind, n);
    this.accounts.budget.spend(n);
  }
}
