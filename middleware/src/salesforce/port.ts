import type { BudgetStatus } from './budget';

/**
 * The one door to Salesforce (issue 17): every module that reads or writes the org — the calls
 * pipeline, the join, deploy, the pages, /healthz, the CLI — gets a `SalesforcePort` injected and
 * nothing else. The Gateway (gateway.ts) is the implementation over jsforce; only the port's own
 * files (connection.ts, gateway.ts) and the local org import jsforce (test/salesforce/port-boundary.unit.test.ts).
 * InMemoryPort (test/salesforce/in-memory-port.ts) is the implementation without HTTP, for unit tests.
 *
 * What comes with every request: one retry policy (retry.ts backoff, error-class.ts decides what is
 * worth retrying), one error classification, one request count by kind × purpose (/metrics and the
 * run summaries) and the daily budget (budget.ts).
 */

/* The port's vocabulary: what requests take and answer, and its errors. */

/**
 * Thrown when a caller's AbortSignal fired (shutdown): no new request was started after it. A
 * request already in flight is allowed to finish, so what it wrote is known and recorded.
 */
export class AbortedError extends Error {
  readonly code = 'ABORTED';
  constructor(what: string) {
    super(`${what}: stopped before sending (shutting down)`);
    this.name = 'AbortedError';
  }
}

/** Per-call options: `signal` stops retries and backoff waits as soon as it fires. */
export interface CallOptions {
  signal?: AbortSignal;
}

export type RequestKind = 'query' | 'composite' | 'graph' | 'metadata' | 'sobject' | 'limits' | 'soap';

export interface RecordError {
  statusCode: string;
  message: string;
  fields?: string[];
  /**
   * DUPLICATES_DETECTED: the Ids of the records the blocking duplicate rule matched (its
   * duplicateResult's matchResults[].matchRecords[].record.Id), Contacts first.
   */
  matchIds?: string[];
}

export interface RecordResult {
  /** Position in the input array. */
  index: number;
  ok: boolean;
  id: string | null;
  created: boolean;
  errors: RecordError[];
  attempts: number;
}

/** A Salesforce API error with its error code (INVALID_FIELD, MALFORMED_QUERY, …). */
export class SalesforceApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }
}

export type SfRecord = { attributes?: { type: string; url?: string }; [field: string]: unknown };

/** One batch for `Gateway.write`; results come back per batch, in input order. */
export type WriteOp =
  /** Upsert by external id. */
  | { kind: 'upsert'; sobject: string; extIdField: string; records: readonly SfRecord[] }
  /** Update by Id; records carry `attributes.type`. */
  | { kind: 'update'; records: readonly SfRecord[] }
  /** Delete by Id; a record already gone counts as deleted. */
  | { kind: 'delete'; ids: readonly string[] };

export const REQUEST_KINDS: readonly RequestKind[] = [
  'query',
  'composite',
  'graph',
  'metadata',
  'sobject',
  'limits',
  'soap',
];

/** "CODE: message; CODE: message" — of a record's result or a failed graph. */
export function describeErrors(r: { errors: readonly RecordError[] }): string {
  return r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no detail';
}

/** What a request is for: the label of its count on /metrics and in summaries. */
export type Purpose = 'calls' | 'join' | 'pages' | 'health' | 'deploy' | 'erase';

export interface PurposeOptions {
  /** Attempts per request, first one included (1: the caller has its own retry, e.g. the outbox). */
  maxAttempts?: number;
}

export interface RequestTally {
  purpose: Purpose;
  kind: RequestKind;
  count: number;
}

export interface MetadataUpsertResult {
  fullName: string;
  success: boolean;
  created: boolean;
  errors: { statusCode: string; message: string }[];
}

/**
 * One node of a Composite Graph: an sObject resource under /services/data/vXX.X (`/sobjects/Task`,
 * `/sobjects/Task/@{task.id}`, `/sobjects/Touchpoint__c/Touchpoint_Key__c/<key>`); `@{ref.id}`
 * names the Id an earlier node of the same graph created or upserted.
 */
export interface GraphNode {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  referenceId: string;
  body?: SfRecord;
}

/** A graph is written whole or not at all; graphs of one request do not affect each other. */
export interface GraphRequest {
  graphId: string;
  nodes: readonly GraphNode[];
}

export interface GraphOutcome {
  graphId: string;
  ok: boolean;
  /** Per node, in order: HTTP status and body (`{ id, created }` for creates and upserts). */
  nodes: { referenceId: string; status: number; body: unknown }[];
  /** Why the graph failed: the errors of the node that failed. */
  errors: RecordError[];
}

/** Records to create (each with `attributes.type`), then queries, in ONE Composite request. */
export interface CreateAndQuery {
  create?: readonly SfRecord[];
  queries: readonly string[];
  /**
   * Run the queries as queryAll (`/queryAll`): deleted records still in the Recycle Bin come back
   * too, with IsDeleted = true (REST API Developer Guide, "QueryAll").
   */
  includeDeleted?: boolean;
}

export interface CreateAndQueryResult<T> {
  /** Per record to create, in order: its Id, or why it was not created (allOrNone=false). */
  created: RecordResult[];
  /** Per query, its rows; the queries run after the creates, so they see the new records. */
  rows: T[][];
}

export interface SalesforcePort {
  readonly purpose: Purpose;
  /** Where the org is, for start-up lines and links ("local org http://…", the instance URL). */
  readonly instanceUrl: string;
  describe(): string;
  /** The same org, counted under another purpose (shared counts, budget and session). */
  for(purpose: Purpose, opts?: PurposeOptions): SalesforcePort;

  /** All rows of a SOQL query, page by page. */
  query<T = SfRecord>(
    soql: string,
    onPage?: (rowsSoFar: number, total: number) => void,
    opts?: CallOptions,
  ): Promise<T[]>;
  /** Batches of upserts/updates/deletes in composite requests, every record checked (gateway.ts). */
  write(
    ops: readonly WriteOp[],
    onProgress?: (sent: number) => void,
    opts?: CallOptions,
  ): Promise<RecordResult[][]>;
  /**
   * Up to 5 SOQL queries in ONE Composite request (one API request), each answer's rows in order.
   * A query with more than one page of rows costs a further request per page.
   */
  queries<T = SfRecord>(soqls: readonly string[], opts?: CallOptions): Promise<T[][]>;
  /**
   * sObject Collections creates (200 records per subrequest) and then queries, in ONE Composite
   * request: at most 5 collection or query subrequests together.
   */
  createAndQuery<T = SfRecord>(req: CreateAndQuery, opts?: CallOptions): Promise<CreateAndQueryResult<T>>;
  /**
   * Composite Graph: up to 75 graphs / 500 nodes per API request (more are sent in further
   * requests). Each graph is one transaction; a failed graph comes back with `ok: false` and the
   * failing node's errors, the others are written.
   */
  graph(graphs: readonly GraphRequest[], opts?: CallOptions): Promise<GraphOutcome[]>;
  /** One record created (sObject Rows resource); a duplicate external id throws DUPLICATE_VALUE. */
  create(sobject: string, record: SfRecord, opts?: CallOptions): Promise<{ id: string }>;
  /** One record upserted by external id (the value is URL-encoded here). */
  upsert(
    sobject: string,
    extIdField: string,
    extId: string,
    record: SfRecord,
    opts?: CallOptions,
  ): Promise<{ id: string | null; created: boolean }>;
  /**
   * SOAP `emptyRecycleBin()`: hard-deletes records already in the Recycle Bin, at most 200 ids per
   * call (sent in as many calls as needed). One result per id, in order; an id no longer in the bin
   * fails alone (SOAP API Developer Guide, emptyRecycleBin()).
   */
  emptyRecycleBin(ids: readonly string[], opts?: CallOptions): Promise<RecordResult[]>;
  /** The org's /limits document: the cheapest authenticated request (health). */
  limits(opts?: CallOptions): Promise<Record<string, unknown>>;
  readMetadata<T = Record<string, unknown>>(
    type: string,
    fullNames: readonly string[],
  ): Promise<(T | null)[]>;
  upsertMetadata(
    type: string,
    components: readonly Record<string, unknown>[],
  ): Promise<MetadataUpsertResult[]>;
  /**
   * Metadata API listMetadata: every component of these types with its lastModifiedDate (up to 3 types
   * per call, as the API allows; one call per 3 types).
   */
  listMetadata(types: readonly string[]): Promise<MetadataListing[]>;

  /** Requests sent under this purpose (every attempt counts, as it does against the org's limit). */
  requestCount(kind?: RequestKind): number;
  /** Requests sent so far, by purpose and kind, for all purposes. */
  tally(): RequestTally[];
  /** The daily budget: spent, cap, the org's own usage, whether deferrable work waits. */
  budget(): BudgetStatus;
}

/** One row of listMetadata (FileProperties: fullName, type, lastModifiedDate). */
export interface MetadataListing {
  type: string;
  fullName: string;
  lastModifiedDate: string;
}

/** "join 12 (query 3, composite 9); calls 40 (…)" — for run summaries. */
export function describeTally(tally: readonly RequestTally[]): string {
  const by = new Map<Purpose, RequestTally[]>();
  for (const t of tally) if (t.count > 0) by.set(t.purpose, [...(by.get(t.purpose) ?? []), t]);
  if (by.size === 0) return 'none';
  return [...by]
    .map(([purpose, ts]) => {
      const total = ts.reduce((n, t) => n + t.count, 0);
      return `${purpose} ${total} (${ts.map((t) => `${t.kind} ${t.count}`).join(', ')})`;
    })
    .join('; ');
}
