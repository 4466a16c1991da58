/**
 * The daily request budget (issue 17): how many org API requests this middleware may spend in a
 * rolling 24 hours, and whether work that can wait should. Pure: fed with our own requests and the
 * org's usage from the `Sforce-Limit-Info: api-usage=N/M` header, which Salesforce returns with
 * every REST response ("Limit Info Header", REST API Developer Guide:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm);
 * jsforce parses that header into `Connection.limitInfo.apiUsage` on every response, and the gateway
 * hands it over after each request.
 *
 * Salesforce counts its allowance over a rolling 24 hours, so the budget does too (hourly buckets;
 * kept in memory: a restart starts the count again, erring on the side of the calls).
 */

/** Share of the org's daily allowance we take when SF_DAILY_REQUEST_BUDGET is not set. */
export const DEFAULT_BUDGET_SHARE = 0.1;
/** From this share of the budget on, work that can wait is deferred. */
export const NEAR_SHARE = 0.9;
const HOUR_MS = 3_600_000;

export type BudgetState = 'ok' | 'near' | 'exhausted' | 'limit-exceeded';

export interface BudgetStatus {
  state: BudgetState;
  /** Requests we sent in the last 24 hours. */
  spent: number;
  /** Our cap for 24 hours; null until the org's limit is known (no setting). */
  cap: number | null;
  /** Where the cap comes from. */
  capSource: 'SF_DAILY_REQUEST_BUDGET' | `${number}% of the org's daily limit` | 'org limit not known yet';
  /** The org's own count (all integrations) from the last Sforce-Limit-Info header. */
  org: { used: number; limit: number } | null;
  /** Deferrable work (re-plans for late page views, backfills, page refreshes) waits. */
  deferring: boolean;
}

export class RequestBudget {
  /** Requests per hour bucket, keyed by the hour's start. */
  private readonly hours = new Map<number, number>();
  private org: { used: number; limit: number } | null = null;
  private limitExceeded = false;

  constructor(private readonly opts: { dailyRequests?: number | null; now?: () => number } = {}) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** One request sent (every attempt counts against the org's allowance). */
  spend(n = 1): void {
    const hour = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    this.hours.set(hour, (this.hours.get(hour) ?? 0) + n);
    for (const h of this.hours.keys()) if (h <= hour - 24 * HOUR_MS) this.hours.delete(h);
  }

  /** The org answered: its usage header (if any), and no REQUEST_LIMIT_EXCEEDED any more. */
  answered(usage: { used: number; limit: number } | null): void {
    if (usage) this.org = usage;
    this.limitExceeded = false;
  }

  /** The org refused a request with REQUEST_LIMIT_EXCEEDED: writing stops until it answers again. */
  refused(): void {
    this.limitExceeded = true;
  }

  status(): BudgetStatus {
    const cutoff = Math.floor(this.now() / HOUR_MS) * HOUR_MS - 24 * HOUR_MS;
    let spent = 0;
    for (const [h, n] of this.hours) if (h > cutoff) spent += n;
    const set = this.opts.dailyRequests ?? null;
    const cap = set ?? (this.org ? Math.floor(this.org.limit * DEFAULT_BUDGET_SHARE) : null);
    const capSource =
      set !== null
        ? ('SF_DAILY_REQUEST_BUDGET' as const)
        : this.org
          ? (`${DEFAULT_BUDGET_SHARE * 100}% of the org's daily limit` as const)
          : ('org limit not known yet' as const);
    const orgFull = this.org !== null && this.org.used >= this.org.limit;
    const state: BudgetState = this.limitExceeded
      ? 'limit-exceeded'
      : cap !== null && spent >= cap
        ? 'exhausted'
        : orgFull || (cap !== null && spent >= cap * NEAR_SHARE)
          ? 'near'
          : 'ok';
    return { state, spent, cap, capSource, org: this.org, deferring: state !== 'ok' };
  }
}

/** One line for the banner and the logs. */
export function describeBudget(s: BudgetStatus): string {
  const cap = s.cap === null ? 'no cap yet' : `cap ${s.cap} (${s.capSource})`;
  const org = s.org ? `; org: ${s.org.used}/${s.org.limit} used by all integrations` : '';
  const defer = s.deferring
    ? '; deferring re-plans, backfills and page refreshes (calls still go through)'
    : '';
  return `${s.spent} requests in 24 h, ${cap}${org} — ${s.state}${defer}`;
}
