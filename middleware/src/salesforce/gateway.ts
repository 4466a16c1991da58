import type { Logger } from '../log';
import { silentLogger } from '../log';
import { salesforceErrors, salesforceRequests } from '../metrics';
import { backoffDelay, isNetworkErrorCode } from '../retry';
import { describeBudget, RequestBudget, type BudgetState } from './budget';
import { API_VERSION, type OrgConnection } from './connection';
import { classifyCode, errorCode, faultCode, isRetryableCode } from './error-class';
import {
  COLLECTION_SIZE,
  COMPOSITE_COLLECTIONS,
  createAndQuerySubrequests,
  graphChunks,
} from './composite-limits';
import { CountedPort, RequestCounts, type Accounts } from './request-count';
import {
  AbortedError,
  SalesforceApiError,
  type CallOptions,
  type CreateAndQuery,
  type CreateAndQueryResult,
  type GraphOutcome,
  type GraphRequest,
  type MetadataListing,
  type MetadataUpsertResult,
  type Purpose,
  type PurposeOptions,
  type RecordError,
  type RecordResult,
  type RequestKind,
  type SalesforcePort,
  type SfRecord,
  type WriteOp,
} from './port';

export { errorCode } from './error-class';

/**
 * The SalesforcePort over jsforce (port.ts): the only place that makes Salesforce API calls (REST
 * and Metadata SOAP). It pages queries, writes through Composite requests of sObject Collections
 * subrequests (200 records each, allOrNone=false, every item checked), retries what is worth
 * retrying with capped exponential backoff and jitter, counts every request it sends by kind and
 * purpose (the API cost the summaries print) and keeps the daily budget.
 */

export { COLLECTION_SIZE, COMPOSITE_COLLECTIONS } from './composite-limits';

/**
 * Attempts for a graph that failed on a row lock (UNABLE_TO_LOCK_ROW), even for a purpose whose
 * requests are tried once: only the locked graphs are sent again, in one request, which is far
 * cheaper than writing their calls one by one.
 */
export const GRAPH_LOCK_ATTEMPTS = 3;

/** Delete errors that mean the record is not there any more. */
const GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * jsforce retries GET/PUT/DELETE on 5xx by itself (up to 5 times, unseen by us); turn that off so
 * every attempt goes through our bounded, counted retry policy.
 */
export const NO_JSFORCE_RETRY = { retry: { maxRetries: 0 } };

export interface GatewayOptions {
  logger?: Logger;
  /** SF_DAILY_REQUEST_BUDGET (null: a share of the org's limit, budget.ts). */
  dailyRequestBudget?: number | null;
  /** The purpose of this gateway's own requests (others through `for()`); default 'join'. */
  purpose?: Purpose;
  now?: () => number;
  /** Attempts per request / per record, first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Backoff wait; the gateway cuts it short when the call's AbortSignal fires. */
  sleep?: (ms: number) => Promise<void>;
}

/** setTimeout that ends early (resolving) when `signal` fires, and leaves no timer behind. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

interface CollectionItem {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: RecordError[];
}

interface Subrequest {
  op: number;
  indexes: number[];
  request: { method: string; url: string; referenceId: string; body?: unknown };
}

interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** A REST path under our API version (`/query`, `/composite`, …). */
const dataPath = (rest: string): string => `/services/data/v${API_VERSION}${rest}`;

const sizeOf = (op: WriteOp): readonly unknown[] => (op.kind === 'delete' ? op.ids : op.records);

function describeOp(op: WriteOp): string {
  return op.kind === 'upsert' ? `upsert ${op.sobject}` : op.kind;
}

/** The sObject Collections subrequest for some records of one batch. */
function subrequest(op: WriteOp, opIndex: number, indexes: number[], n: number): Subrequest {
  const referenceId = `${op.kind}${opIndex}_${n}`;
  if (op.kind === 'delete') {
    const ids = indexes.map((i) => encodeURIComponent(op.ids[i])).join(',');
    return {
      op: opIndex,
      indexes,
      request: {
        method: 'DELETE',
        url: dataPath(`/composite/sobjects?allOrNone=false&ids=${ids}`),
        referenceId,
      },
    };
  }
  const records =
    op.kind === 'upsert'
      ? indexes.map((i) => ({ ...op.records[i], attributes: { type: op.sobject } }))
      : indexes.map((i) => op.records[i]);
  const url =
    op.kind === 'upsert'
      ? dataPath(`/composite/sobjects/${op.sobject}/${op.extIdField}`)
      : dataPath('/composite/sobjects');
  return {
    op: opIndex,
    indexes,
    request: { method: 'PATCH', url, referenceId, body: { allOrNone: false, records } },
  };
}

interface GraphAnswer {
  graphId: string;
  isSuccessful: boolean;
  graphResponse?: { compositeResponse?: CompositeSubresponse[] };
}

interface DuplicateResultBody {
  duplicateResult?: {
    matchResults?: { entityType?: string; matchRecords?: { record?: { Id?: unknown } }[] }[];
  };
}

/**
 * The records a blocking duplicate rule matched, Contacts first: a DUPLICATES_DETECTED error carries
 * the rule's DuplicateResult (matchResults[].matchRecords[].record) — "DuplicateResult", SOAP API
 * Developer Guide, https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_duplicateresult.htm.
 */
export function duplicateMatchIds(error: unknown): string[] {
  const results = (error as DuplicateResultBody | null)?.duplicateResult?.matchResults ?? [];
  const ordered = [...results].sort(
    (a, b) => Number(b.entityType === 'Contact') - Number(a.entityType === 'Contact'),
  );
  return ordered.flatMap((r) =>
    (r.matchRecords ?? []).flatMap((m) => (typeof m.record?.Id === 'string' ? [m.record.Id] : [])),
  );
}

/** Our view of one graph's answer: the failing node's errors, not the PROCESSING_HALTED of the others. */
export function graphOutcome(g: GraphRequest, answer: GraphAnswer | undefined): GraphOutcome {
  const nodes = (answer?.graphResponse?.compositeResponse ?? []).map((r) => ({
    referenceId: r.referenceId,
    status: r.httpStatusCode,
    body: r.body,
  }));
  if (!answer) {
    const errors = [{ statusCode: 'UNEXPECTED_RESPONSE', message: `no answer for graph ${g.graphId}` }];
    return { graphId: g.graphId, ok: false, nodes, errors };
  }
  if (answer.isSuccessful) return { graphId: g.graphId, ok: true, nodes, errors: [] };
  const errorsOf = (n: { body: unknown }) =>
    (Array.isArray(n.body) ? n.body : [n.body]).map((e) => {
      const matchIds = duplicateMatchIds(e);
      return {
        statusCode: String((e as { errorCode?: unknown })?.errorCode ?? 'UNKNOWN'),
        message: String((e as { message?: unknown })?.message ?? ''),
        ...(matchIds.length ? { matchIds } : {}),
      };
    });
  const failedNodes = nodes.filter((n) => n.status >= 400).map(errorsOf);
  const own = failedNodes.find((es) => es.some((e) => e.statusCode !== 'PROCESSING_HALTED'));
  const errors = own ?? failedNodes[0] ?? [{ statusCode: 'UNKNOWN', message: 'graph failed' }];
  for (const e of errors) salesforceErrors.inc({ code: e.statusCode });
  return { graphId: g.graphId, ok: false, nodes, errors };
}

/** A row lock on the record, or a retryable failure of its whole subrequest (e.g. a 503). */
const retryable = (r: RecordResult) =>
  !r.ok && r.errors.length > 0 && r.errors.every((e) => isRetryableCode(e.statusCode));

/** "Foreign key external ID: … not found": the record it refers to by external id is missing. */
const missingReference = (r: RecordResult) =>
  r.errors.length > 0 &&
  r.errors.every((e) => e.statusCode === 'INVALID_FIELD' && /foreign key external id/i.test(e.message));

/** What every purpose view of one org shares: the counts, the budget, the state last logged. */
interface Shared extends Accounts {
  ops: Map<string, number>;
  budgetState: BudgetState;
}

/** "Maximum number of IDs: 200" (emptyRecycleBin(), SOAP API Developer Guide). */
const EMPTY_RECYCLE_BIN_IDS = 200;

export class Gateway extends CountedPort implements SalesforcePort {
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: ((ms: number) => Promise<void>) | null;
  private readonly shared: Shared;

  constructor(
    readonly org: OrgConnection,
    private readonly opts: GatewayOptions = {},
    shared: Shared = {
      counts: new RequestCounts(),
      ops: new Map(),
      budget: new RequestBudget({ dailyRequests: opts.dailyRequestBudget ?? null, now: opts.now }),
      budgetState: 'ok',
    },
  ) {
    super(opts.purpose ?? 'join', shared);
    this.shared = shared;
    this.log = opts.logger ?? silentLogger;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 8_000;
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? null;
  }

  get instanceUrl(): string {
    return this.org.instanceUrl;
  }

  describe(): string {
    return this.org.describe();
  }

  for(purpose: Purpose, opts: PurposeOptions = {}): Gateway {
    return new Gateway(this.org, { ...this.opts, ...opts, purpose }, this.shared);
  }

  /** Requests sent per operation ("query", "upsert Touchpoint__c", "upsertMetadata CustomField", …). */
  operations(): Record<string, number> {
    return Object.fromEntries(this.shared.ops);
  }

  /** Logs when the budget's state changes (near the cap, over it, refused, back to normal). */
  private noteBudget(): void {
    const status = this.shared.budget.status();
    if (status.state === this.shared.budgetState) return;
    this.shared.budgetState = status.state;
    const line = `salesforce request budget: ${describeBudget(status)}`;
    if (status.state === 'ok') this.log.info({ budget: status }, line);
    else this.log.warn({ budget: status }, line);
  }

  /** Waits `ms` before a retry; returns early when the signal fires (the caller then stops). */
  private async pause(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.sleep) return abortableSleep(ms, signal);
    if (!signal) return this.sleep(ms);
    if (signal.aborted) return;
    let stop = () => {};
    const aborted = new Promise<void>((resolve) => {
      stop = () => resolve();
      signal.addEventListener('abort', stop, { once: true });
    });
    await Promise.race([this.sleep(ms), aborted]);
    signal.removeEventListener('abort', stop);
  }

  /**
   * Sends one request with whole-request retries; session expiry is handled by the connection.
   * The signal is checked before every attempt and cuts backoff waits short (shutdown).
   */
  private async send<T>(
    kind: RequestKind,
    what: string,
    fn: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const { ops, budget } = this.shared;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new AbortedError(what);
      this.spend(kind);
      ops.set(what, (ops.get(what) ?? 0) + 1);
      salesforceRequests.inc({ kind, purpose: this.purpose });
      try {
        const answer = await fn();
        // jsforce keeps the last REST response's Sforce-Limit-Info api-usage (budget.ts).
        budget.answered(this.org.conn.limitInfo?.apiUsage ?? null);
        this.noteBudget();
        return answer;
      } catch (err) {
        const code = faultCode(errorCode(err));
        salesforceErrors.inc({ code });
        const message = err instanceof Error ? err.message : String(err);
        const kindOf = classifyCode(code);
        if (kindOf === 'auth' || /^Unable to refresh session/.test(message)) {
          throw new SalesforceApiError('INVALID_SESSION_ID', this.sessionMessage(message));
        }
        if (kindOf === 'limit-exceeded') {
          budget.refused();
          this.noteBudget();
          throw new SalesforceApiError(
            code,
            `Salesforce refused ${what}: the org's API request limit is used up (REQUEST_LIMIT_EXCEEDED). ` +
              'Nothing past this point was written; run again when the limit resets (see /limits).',
          );
        }
        if (!isRetryableCode(code) || attempt >= this.maxAttempts) {
          if (isNetworkErrorCode(code)) throw this.unreachable(code, err, attempt);
          // A bare 404 without a Salesforce error body: the URL is not an org (a website, a typo).
          if (code === 'ERROR_HTTP_404')
            throw new SalesforceApiError(
              code,
              `${this.org.instanceUrl} does not answer the Salesforce REST API (${what}: HTTP 404). ` +
                "Check that SF_INSTANCE_URL (or --target-org) is the org's URL, such as https://yourcompany.my.salesforce.com.",
            );
          throw new SalesforceApiError(code, `${what} failed (${code}): ${message}`);
        }
        const delay = this.backoff(attempt);
        this.log.warn({ code, attempt, delayMs: delay, what }, 'salesforce request failed, retrying');
        await this.pause(delay, signal);
      }
    }
  }

  private sessionMessage(detail: string): string {
    if (this.org.auth === 'access-token') {
      return (
        'The Salesforce session in SF_ACCESS_TOKEN has expired or is invalid (INVALID_SESSION_ID). A bare access ' +
        'token cannot be refreshed: supply a fresh SF_ACCESS_TOKEN (for example from `sf org display`), or set ' +
        'SF_LOGIN_URL + SF_CLIENT_ID + SF_CLIENT_SECRET so the middleware can log in again by itself.'
      );
    }
    return `The Salesforce session expired and re-authenticating once did not help (${detail}); not retrying.`;
  }

  /**
   * One line for a user: which org, why, what to do. Not the request URL: a query's is hundreds of
   * URL-encoded characters and says nothing the user can act on.
   */
  private unreachable(code: string, err: unknown, attempts: number): SalesforceApiError {
    // undici puts the socket error in `cause`; node-fetch ends its message with "reason: …".
    const cause = (err as { cause?: { message?: unknown } })?.cause?.message;
    const said = /reason: (.+)$/.exec(err instanceof Error ? err.message : '')?.[1];
    const reason = typeof cause === 'string' && cause ? cause : (said ?? code);
    return new SalesforceApiError(
      code,
      `cannot reach the org at ${this.org.instanceUrl} (${reason}; ${attempts} attempt(s)). ` +
        'Check that the org is up and that SF_INSTANCE_URL (or --target-org) points to it, then run again.',
    );
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt - 1, this.baseDelayMs, this.maxDelayMs, this.random);
  }

  /** One request with a JSON body (POST/PATCH), through `send`'s retries and accounting. */
  private sendJson<T>(
    kind: RequestKind,
    what: string,
    method: 'POST' | 'PATCH',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.send(
      kind,
      what,
      () =>
        this.org.conn.request<T>(
          {
            method,
            url: dataPath(path),
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          },
          NO_JSFORCE_RETRY,
        ),
      signal,
    );
  }

  /** The rows of a first query page and of every page after it (2,000 rows a page). */
  private async allPages<T>(
    first: QueryPage<T>,
    rows: T[],
    signal?: AbortSignal,
    onPage?: (n: number, total: number) => void,
  ): Promise<T[]> {
    let page = first;
    for (;;) {
      for (const r of page.records) rows.push(r);
      onPage?.(rows.length, page.totalSize);
      if (page.done || !page.nextRecordsUrl) return rows;
      const url: string = page.nextRecordsUrl;
      page = await this.send(
        'query',
        'query',
        () => this.org.conn.request<QueryPage<T>>({ method: 'GET', url }, NO_JSFORCE_RETRY),
        signal,
      );
    }
  }

  /** All rows of a SOQL query, following nextRecordsUrl page by page. */
  async query<T = SfRecord>(
    soql: string,
    onPage?: (rowsSoFar: number, total: number) => void,
    opts: CallOptions = {},
  ): Promise<T[]> {
    const url = dataPath(`/query?q=${encodeURIComponent(soql)}`);
    const first: QueryPage<T> = await this.send(
      'query',
      'query',
      () => this.org.conn.request<QueryPage<T>>({ method: 'GET', url }, NO_JSFORCE_RETRY),
      opts.signal,
    );
    return this.allPages(first, [], opts.signal, onPage);
  }

  async createAndQuery<T = SfRecord>(
    req: CreateAndQuery,
    opts: CallOptions = {},
  ): Promise<CreateAndQueryResult<T>> {
    const creates = req.create ?? [];
    const createSubs = createAndQuerySubrequests(req) - req.queries.length;
    if (createSubs + req.queries.length === 0) return { created: [], rows: [] };
    const compositeRequest = [
      ...Array.from({ length: createSubs }, (_, i) => ({
        method: 'POST',
        url: dataPath('/composite/sobjects'),
        referenceId: `c${i}`,
        body: { allOrNone: false, records: creates.slice(i * COLLECTION_SIZE, (i + 1) * COLLECTION_SIZE) },
      })),
      ...req.queries.map((q, i) => ({
        method: 'GET',
        url: dataPath(`/${req.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(q)}`),
        referenceId: `q${i}`,
      })),
    ];
    const answer = await this.sendJson<{ compositeResponse?: CompositeSubresponse[] }>(
      'composite',
      creates.length ? 'composite: create, queries' : 'composite: queries',
      'POST',
      '/composite',
      { allOrNone: false, collateSubrequests: false, compositeRequest },
      opts.signal,
    );
    const byRef = new Map((answer?.compositeResponse ?? []).map((r) => [r.referenceId, r]));
    const failure = (res: CompositeSubresponse | undefined, what: string): SalesforceApiError => {
      const err = (Array.isArray(res?.body) ? res.body[0] : res?.body) as
        { errorCode?: string; message?: string } | undefined;
      const code = err?.errorCode ?? `ERROR_HTTP_${res?.httpStatusCode ?? 0}`;
      salesforceErrors.inc({ code });
      return new SalesforceApiError(code, `${what} failed (${code}): ${err?.message ?? ''}`);
    };
    const created: RecordResult[] = [];
    for (let i = 0; i < createSubs; i++) {
      const res = byRef.get(`c${i}`);
      const items = res?.body;
      if (!res || res.httpStatusCode >= 400 || !Array.isArray(items)) throw failure(res, 'create');
      for (const item of items as CollectionItem[]) {
        const errors = item.success ? [] : (item.errors ?? []);
        for (const e of errors) salesforceErrors.inc({ code: e.statusCode });
        created.push({
          index: created.length,
          ok: item.success,
          id: item.id ?? null,
          created: item.success,
          errors,
          attempts: 1,
        });
      }
    }
    const rows: T[][] = [];
    for (let i = 0; i < req.queries.length; i++) {
      const res = byRef.get(`q${i}`);
      if (!res || res.httpStatusCode >= 400) throw failure(res, 'query');
      const all = await this.allPages(res.body as QueryPage<T>, [], opts.signal);
      rows.push(all);
    }
    return { created, rows };
  }

  /**
   * Composite Graph requests of at most 75 graphs / 500 nodes. A graph whose failure is retryable
   * (a row lock) is sent again (GRAPH_LOCK_ATTEMPTS); the others keep their answer.
   */
  async graph(graphs: readonly GraphRequest[], opts: CallOptions = {}): Promise<GraphOutcome[]> {
    const outcomes = new Map<string, GraphOutcome>();
    let pending = [...graphs];
    for (let attempt = 1; pending.length > 0; attempt++) {
      for (const chunk of graphChunks(pending)) {
        const answer = await this.sendJson<{ graphs?: GraphAnswer[] }>(
          'graph',
          'composite graph',
          'POST',
          '/composite/graph',
          {
            graphs: chunk.map((g) => ({
              graphId: g.graphId,
              compositeRequest: g.nodes.map((n) => ({
                method: n.method,
                url: dataPath(n.path),
                referenceId: n.referenceId,
                ...(n.body === undefined ? {} : { body: n.body }),
              })),
            })),
          },
          opts.signal,
        );
        const byId = new Map((answer?.graphs ?? []).map((g) => [g.graphId, g]));
        for (const g of chunk) outcomes.set(g.graphId, graphOutcome(g, byId.get(g.graphId)));
      }
      const retry = pending.filter((g) => {
        const o = outcomes.get(g.graphId)!;
        return !o.ok && o.errors.length > 0 && o.errors.every((e) => isRetryableCode(e.statusCode));
      });
      if (
        retry.length === 0 ||
        attempt >= Math.max(this.maxAttempts, GRAPH_LOCK_ATTEMPTS) ||
        opts.signal?.aborted
      )
        break;
      const delay = this.backoff(attempt);
      this.log.warn(
        { graphs: retry.length, attempt, delayMs: delay },
        'graphs failed with a retryable error, retrying',
      );
      await this.pause(delay, opts.signal);
      if (opts.signal?.aborted) break;
      pending = retry;
    }
    return graphs.map((g) => outcomes.get(g.graphId)!);
  }

  /**
   * Writes several batches of records in order — e.g. sessions, then touchpoints that refer to
   * them by external id, then Tasks that refer to those — through the Composite resource: each
   * batch becomes sObject Collections subrequests of 200 records, up to 5 per composite request
   * (Salesforce's limit for collection/query subrequests), `allOrNone=false` and
   * `collateSubrequests=false` so they run in the given order. One composite counts as ONE API
   * request. Every item of every subrequest is checked; records that failed with a row lock are
   * retried, and so are records of a later batch whose external-id reference was not found while
   * an earlier batch is being retried (the record they refer to hit that row lock).
   *
   * When `opts.signal` fires, no further composite request is sent and retry waits end: records
   * not written come back failed (ABORTED, or their last retryable error), like any failure, so
   * the caller records only what was really written.
   */
  async write(
    ops: readonly WriteOp[],
    onProgress?: (sent: number) => void,
    opts: CallOptions = {},
  ): Promise<RecordResult[][]> {
    const signal = opts.signal;
    const results: RecordResult[][] = ops.map((op) =>
      sizeOf(op).map((_, index) => ({ index, ok: false, id: null, created: false, errors: [], attempts: 0 })),
    );
    let pending = ops.map((op) => sizeOf(op).map((_, i) => i));
    for (let attempt = 1; pending.some((p) => p.length > 0); attempt++) {
      const subs: Subrequest[] = [];
      pending.forEach((indexes, op) => {
        for (let start = 0; start < indexes.length; start += COLLECTION_SIZE)
          subs.push(subrequest(ops[op], op, indexes.slice(start, start + COLLECTION_SIZE), subs.length));
      });
      for (let start = 0; start < subs.length; start += COMPOSITE_COLLECTIONS) {
        try {
          await this.sendComposite(
            subs.slice(start, start + COMPOSITE_COLLECTIONS),
            ops,
            results,
            attempt,
            signal,
          );
        } catch (err) {
          if (!(err instanceof AbortedError)) throw err;
          // Everything of this attempt not answered yet stays unwritten.
          for (const sub of subs.slice(start))
            for (const i of sub.indexes)
              Object.assign(results[sub.op][i], {
                ok: false,
                errors: [{ statusCode: 'ABORTED', message: err.message }],
              });
          return results;
        }
        if (attempt === 1)
          for (const sub of subs.slice(start, start + COMPOSITE_COLLECTIONS))
            onProgress?.(sub.indexes.length);
      }
      // What to try again: row locks, and references to records that hit one in an earlier batch.
      const firstRetried = pending.findIndex((indexes, op) => indexes.some((i) => retryable(results[op][i])));
      const retry = pending.map((indexes, op) =>
        indexes.filter(
          (i) =>
            retryable(results[op][i]) ||
            (firstRetried >= 0 &&
              op > firstRetried &&
              !results[op][i].ok &&
              missingReference(results[op][i])),
        ),
      );
      const left = retry.reduce((n, r) => n + r.length, 0);
      if (left === 0 || attempt >= this.maxAttempts || signal?.aborted) break;
      const delay = this.backoff(attempt);
      this.log.warn(
        { records: left, attempt, delayMs: delay },
        'records failed with a retryable error, retrying',
      );
      await this.pause(delay, signal);
      // Stopped while waiting: the records keep their retryable error (not written).
      if (signal?.aborted) break;
      pending = retry;
    }
    return results;
  }

  private async sendComposite(
    subs: Subrequest[],
    ops: readonly WriteOp[],
    results: RecordResult[][],
    attempt: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const what = `composite: ${[...new Set(subs.map((s) => describeOp(ops[s.op])))].join(', ')}`;
    const answer = await this.sendJson<{ compositeResponse?: CompositeSubresponse[] }>(
      'composite',
      what,
      'POST',
      '/composite',
      { allOrNone: false, collateSubrequests: false, compositeRequest: subs.map((s) => s.request) },
      signal,
    );
    const byRef = new Map((answer?.compositeResponse ?? []).map((r) => [r.referenceId, r]));
    for (const sub of subs) {
      const res = byRef.get(sub.request.referenceId);
      const items = res?.body;
      if (res && res.httpStatusCode >= 400) {
        // The subrequest failed as a whole, like a collections request answering 4xx/5xx.
        const err = (Array.isArray(items) ? items[0] : items) as
          { errorCode?: string; message?: string } | undefined;
        const code = err?.errorCode ?? `ERROR_HTTP_${res.httpStatusCode}`;
        salesforceErrors.inc({ code });
        if (!isRetryableCode(code))
          throw new SalesforceApiError(
            code,
            `${describeOp(ops[sub.op])} failed (${code}): ${err?.message ?? ''}`,
          );
        for (const i of sub.indexes) {
          const r = results[sub.op][i];
          Object.assign(r, {
            attempts: attempt,
            ok: false,
            errors: [{ statusCode: code, message: err?.message ?? '' }],
          });
        }
        continue;
      }
      if (!Array.isArray(items) || items.length !== sub.indexes.length) {
        throw new SalesforceApiError(
          'UNEXPECTED_RESPONSE',
          `${describeOp(ops[sub.op])}: expected ${sub.indexes.length} results, got ${JSON.stringify(res ?? null).slice(0, 200)}`,
        );
      }
      sub.indexes.forEach((index, k) => {
        const item = items[k] as CollectionItem;
        const r = results[sub.op][index];
        const errors = item.success ? [] : (item.errors ?? []);
        r.attempts = attempt;
        r.id = item.id ?? r.id;
        r.created = Boolean(item.created) || r.created;
        // A record that is already gone counts as deleted.
        r.ok =
          item.success ||
          (ops[sub.op].kind === 'delete' && errors.length > 0 && errors.every((e) => GONE.has(e.statusCode)));
        r.errors = r.ok ? [] : errors;
        for (const e of r.errors) salesforceErrors.inc({ code: e.statusCode });
      });
    }
  }

  /** POST to the sObject Rows resource; Salesforce answers `{ id, success, errors }` (201). */
  async create(sobject: string, record: SfRecord, opts: CallOptions = {}): Promise<{ id: string }> {
    const res = await this.send(
      'sobject',
      `create ${sobject}`,
      () =>
        this.org.conn.request<{ id?: string }>(
          {
            method: 'POST',
            url: dataPath(`/sobjects/${sobject}`),
            body: JSON.stringify(record),
            headers: { 'content-type': 'application/json' },
          },
          NO_JSFORCE_RETRY,
        ),
      opts.signal,
    );
    if (!res?.id) throw new SalesforceApiError('UNEXPECTED_RESPONSE', `create ${sobject} returned no id`);
    return { id: res.id };
  }

  /**
   * PATCH …/sobjects/Obj/ExtIdField/value: creates (201) or updates (200, with a body since API
   * 46.0; older versions answer 204) the record with that external id ("Insert or Update (Upsert)
   * a Record Using an External ID", REST API Developer Guide:
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm).
   */
  async upsert(
    sobject: string,
    extIdField: string,
    extId: string,
    record: SfRecord,
    opts: CallOptions = {},
  ): Promise<{ id: string | null; created: boolean }> {
    const res = await this.send(
      'sobject',
      `upsert ${sobject}`,
      () =>
        this.org.conn.request<{ id?: string; created?: boolean } | ''>(
          {
            method: 'PATCH',
            url: dataPath(`/sobjects/${sobject}/${extIdField}/${encodeURIComponent(extId)}`),
            body: JSON.stringify(record),
            headers: { 'content-type': 'application/json' },
          },
          NO_JSFORCE_RETRY,
        ),
      opts.signal,
    );
    const body = res && typeof res === 'object' ? res : {};
    return { id: body.id ?? null, created: body.created === true };
  }

  /** SOAP emptyRecycleBin through jsforce's SOAP API, EMPTY_RECYCLE_BIN_IDS ids per call. */
  async emptyRecycleBin(ids: readonly string[], opts: CallOptions = {}): Promise<RecordResult[]> {
    const out: RecordResult[] = [];
    for (let start = 0; start < ids.length; start += EMPTY_RECYCLE_BIN_IDS) {
      const chunk = ids.slice(start, start + EMPTY_RECYCLE_BIN_IDS);
      const res = await this.send(
        'soap',
        'emptyRecycleBin',
        () => this.org.conn.soap.emptyRecycleBin([...chunk]),
        opts.signal,
      );
      const list = (Array.isArray(res) ? res : [res]) as unknown as Record<string, unknown>[];
      chunk.forEach((id, k) => {
        const r = list[k] ?? {};
        const raw = r.errors;
        const errs = (Array.isArray(raw) ? raw : raw ? [raw] : []) as {
          statusCode?: string;
          message?: string;
        }[];
        const ok = r.success === true || r.success === 'true';
        out.push({
          index: out.length,
          ok,
          id: typeof r.id === 'string' ? r.id : id,
          created: false,
          errors: ok
            ? []
            : errs.map((e) => ({
                statusCode: String(e.statusCode ?? 'UNKNOWN'),
                message: String(e.message ?? ''),
              })),
          attempts: 1,
        });
      });
    }
    return out;
  }

  async limits(opts: CallOptions = {}): Promise<Record<string, unknown>> {
    return this.send(
      'limits',
      'limits',
      () =>
        this.org.conn.request<Record<string, unknown>>(
          { method: 'GET', url: dataPath('/limits') },
          NO_JSFORCE_RETRY,
        ),
      opts.signal,
    );
  }

  /** Metadata API readMetadata (10 names per call, as the API allows). */
  async readMetadata<T = Record<string, unknown>>(
    type: string,
    fullNames: readonly string[],
  ): Promise<(T | null)[]> {
    const out: (T | null)[] = [];
    for (let start = 0; start < fullNames.length; start += 10) {
      const chunk = fullNames.slice(start, start + 10);
      const res = await this.send('metadata', `readMetadata ${type}`, () =>
        this.org.conn.metadata.read(type as never, [...chunk]),
      );
      const list = (Array.isArray(res) ? res : [res]) as unknown as (
        Record<string, unknown> | null | undefined
      )[];
      // Absent components come back without a fullName (or not at all): match by name.
      const byName = new Map<string, Record<string, unknown>>();
      for (const m of list) if (m && typeof m.fullName === 'string' && m.fullName) byName.set(m.fullName, m);
      for (const name of chunk) out.push((byName.get(name) as T | undefined) ?? null);
    }
    return out;
  }

  /** Metadata API listMetadata (3 queries per call, as the API allows). */
  async listMetadata(types: readonly string[]): Promise<MetadataListing[]> {
    const out: MetadataListing[] = [];
    for (let start = 0; start < types.length; start += 3) {
      const chunk = types.slice(start, start + 3);
      const res = await this.send('metadata', `listMetadata ${chunk.join(',')}`, () =>
        this.org.conn.metadata.list(chunk.map((type) => ({ type }))),
      );
      for (const p of (Array.isArray(res) ? res : res ? [res] : []) as unknown as Record<string, unknown>[])
        out.push({
          type: String(p.type ?? ''),
          fullName: String(p.fullName ?? ''),
          lastModifiedDate: String(p.lastModifiedDate ?? ''),
        });
    }
    return out;
  }

  /** Metadata API upsertMetadata (10 components per call). */
  async upsertMetadata(
    type: string,
    components: readonly Record<string, unknown>[],
  ): Promise<MetadataUpsertResult[]> {
    const out: MetadataUpsertResult[] = [];
    for (let start = 0; start < components.length; start += 10) {
      const chunk = components.slice(start, start + 10);
      const res = await this.send('metadata', `upsertMetadata ${type}`, () =>
        this.org.conn.metadata.upsert(type, chunk as never[]),
      );
      const list = (Array.isArray(res) ? res : [res]) as unknown as Record<string, unknown>[];
      for (const r of list) {
        const raw = r.errors;
        const errs = (Array.isArray(raw) ? raw : raw ? [raw] : []) as {
          statusCode?: string;
          message?: string;
        }[];
        out.push({
          fullName: String(r.fullName ?? ''),
          success: r.success === true || r.success === 'true',
          created: r.created === true || r.created === 'true',
          errors: errs.map((e) => ({
            statusCode: String(e.statusCode ?? 'UNKNOWN'),
            message: String(e.message ?? ''),
          })),
        });
      }
    }
    return out;
  }
}
