import type { Logger } from '../log';
import { silentLogger } from '../log';
import { salesforceErrors, salesforceRequests } from '../metrics';
import { API_VERSION, type OrgConnection } from './connection';

/**
 * The only place that makes Salesforce API calls (REST and Metadata SOAP). It pages queries,
 * writes through sObject Collections (200 per request, allOrNone=false, every item of the HTTP 200
 * answer checked), retries what is worth retrying with capped exponential backoff and jitter, and
 * counts every request it sends (that count is the API cost the summaries print).
 */

export const COLLECTION_SIZE = 200;

/** Whole-request failures that a later attempt can get past. */
const RETRYABLE_REQUEST = new Set([
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
]);
/** Per-record failures that a later attempt can get past (row lock contention). */
const RETRYABLE_RECORD = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

/**
 * jsforce retries GET/PUT/DELETE on 5xx by itself (up to 5 times, unseen by us); turn that off so
 * every attempt goes through our bounded, counted retry policy.
 */
const NO_JSFORCE_RETRY = { retry: { maxRetries: 0 } };

export type RequestKind = 'query' | 'collections' | 'metadata' | 'sobject';

export interface RecordError {
  statusCode: string;
  message: string;
  fields?: string[];
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

export interface GatewayOptions {
  logger?: Logger;
  /** Attempts per request / per record, first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
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

export function errorCode(err: unknown): string {
  const e = err as { errorCode?: unknown; code?: unknown; name?: unknown; cause?: { code?: unknown } };
  for (const c of [e?.errorCode, e?.cause?.code, e?.code]) if (typeof c === 'string' && c) return c;
  return typeof e?.name === 'string' && /^[A-Z_0-9]+$/.test(e.name) ? e.name : 'UNKNOWN';
}

function faultCode(code: string): string {
  // SOAP faults arrive as "sf:INVALID_SESSION_ID"
  return code.replace(/^[a-z]+:/, '');
}

export class Gateway {
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private counts: Record<RequestKind, number> = { query: 0, collections: 0, metadata: 0, sobject: 0 };
  private ops = new Map<string, number>();

  constructor(
    readonly org: OrgConnection,
    opts: GatewayOptions = {},
  ) {
    this.log = opts.logger ?? silentLogger;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 8_000;
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** API requests sent so far (every attempt counts, as it does against the org's limit). */
  requestCount(kind?: RequestKind): number {
    if (kind) return this.counts[kind];
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  private dataPath(rest: string): string {
    return `/services/data/v${API_VERSION}${rest}`;
  }

  /** Requests sent per operation ("query", "upsert Touchpoint__c", "upsertMetadata CustomField", …). */
  operations(): Record<string, number> {
    return Object.fromEntries(this.ops);
  }

  /** Sends one request with whole-request retries; session expiry is handled by the connection. */
  private async send<T>(kind: RequestKind, what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.counts[kind]++;
      this.ops.set(what, (this.ops.get(what) ?? 0) + 1);
      salesforceRequests.inc({ kind });
      try {
        return await fn();
      } catch (err) {
        const code = faultCode(errorCode(err));
        salesforceErrors.inc({ code });
        const message = err instanceof Error ? err.message : String(err);
        if (code === 'INVALID_SESSION_ID' || /^Unable to refresh session/.test(message)) {
          throw new SalesforceApiError('INVALID_SESSION_ID', this.sessionMessage(message));
        }
        if (code === 'REQUEST_LIMIT_EXCEEDED') {
          throw new SalesforceApiError(
            code,
            `Salesforce refused ${what}: the org's API request limit is used up (REQUEST_LIMIT_EXCEEDED). ` +
              'Nothing past this point was written; run again when the limit resets (see /limits).',
          );
        }
        if (!RETRYABLE_REQUEST.has(code) || attempt >= this.maxAttempts) {
          throw new SalesforceApiError(code, `${what} failed (${code}): ${message}`);
        }
        const delay = this.backoff(attempt);
        this.log.warn({ code, attempt, delayMs: delay, what }, 'salesforce request failed, retrying');
        await this.sleep(delay);
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

  private backoff(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  /** All rows of a SOQL query, following nextRecordsUrl page by page. */
  async query<T = SfRecord>(soql: string, onPage?: (rowsSoFar: number, total: number) => void): Promise<T[]> {
    const rows: T[] = [];
    let url: string | undefined = this.dataPath(`/query?q=${encodeURIComponent(soql)}`);
    while (url) {
      const pageUrl: string = url;
      const page: QueryPage<T> = await this.send('query', 'query', () =>
        this.org.conn.request<QueryPage<T>>({ method: 'GET', url: pageUrl }, NO_JSFORCE_RETRY),
      );
      for (const r of page.records) rows.push(r);
      onPage?.(rows.length, page.totalSize);
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    return rows;
  }

  /** Upserts by external id through sObject Collections, 200 records per request. */
  upsert(
    sobject: string,
    extIdField: string,
    records: readonly SfRecord[],
    onProgress?: (sent: number) => void,
  ): Promise<RecordResult[]> {
    const url = this.dataPath(`/composite/sobjects/${sobject}/${extIdField}`);
    const typed = records.map((r) => ({ ...r, attributes: { type: sobject } }));
    return this.writeCollections(`upsert ${sobject}`, 'PATCH', url, typed, onProgress);
  }

  /** Updates records by Id through sObject Collections (records carry attributes.type). */
  update(records: readonly SfRecord[], onProgress?: (sent: number) => void): Promise<RecordResult[]> {
    return this.writeCollections(
      'update',
      'PATCH',
      this.dataPath('/composite/sobjects'),
      records,
      onProgress,
    );
  }

  /** Deletes by Id (200 per request); a record that is already gone counts as deleted. */
  async remove(ids: readonly string[]): Promise<RecordResult[]> {
    const results: RecordResult[] = [];
    for (let start = 0; start < ids.length; start += COLLECTION_SIZE) {
      const chunk = ids.slice(start, start + COLLECTION_SIZE);
      const url = this.dataPath(
        `/composite/sobjects?allOrNone=false&ids=${chunk.map(encodeURIComponent).join(',')}`,
      );
      const items = await this.send('collections', 'delete', () =>
        this.org.conn.request<CollectionItem[]>({ method: 'DELETE', url }, NO_JSFORCE_RETRY),
      );
      chunk.forEach((id, i) => {
        const item = items[i];
        const errors = item?.errors ?? [];
        const gone = errors.every(
          (e) => e.statusCode === 'ENTITY_IS_DELETED' || e.statusCode === 'INVALID_CROSS_REFERENCE_KEY',
        );
        results.push({
          index: start + i,
          ok: Boolean(item?.success) || (errors.length > 0 && gone),
          id,
          created: false,
          errors,
          attempts: 1,
        });
      });
    }
    return results;
  }

  private async writeCollections(
    what: string,
    method: 'PATCH' | 'POST',
    url: string,
    records: readonly SfRecord[],
    onProgress?: (sent: number) => void,
  ): Promise<RecordResult[]> {
    const results: RecordResult[] = records.map((_, index) => ({
      index,
      ok: false,
      id: null,
      created: false,
      errors: [],
      attempts: 0,
    }));
    let pending = results.map((r) => r.index);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const retry: number[] = [];
      for (let start = 0; start < pending.length; start += COLLECTION_SIZE) {
        const chunk = pending.slice(start, start + COLLECTION_SIZE);
        const body = JSON.stringify({ allOrNone: false, records: chunk.map((i) => records[i]) });
        const items = await this.send('collections', what, () =>
          this.org.conn.request<CollectionItem[]>(
            { method, url, body, headers: { 'content-type': 'application/json' } },
            NO_JSFORCE_RETRY,
          ),
        );
        if (!Array.isArray(items) || items.length !== chunk.length) {
          throw new SalesforceApiError(
            'UNEXPECTED_RESPONSE',
            `${what}: expected ${chunk.length} results, got ${JSON.stringify(items).slice(0, 200)}`,
          );
        }
        chunk.forEach((index, i) => {
          const item = items[i];
          const r = results[index];
          r.attempts = attempt;
          r.id = item.id ?? r.id;
          r.created = Boolean(item.created) || r.created;
          r.ok = item.success;
          r.errors = item.success ? [] : (item.errors ?? []);
          if (!item.success) {
            for (const e of r.errors) salesforceErrors.inc({ code: e.statusCode });
            if (r.errors.length > 0 && r.errors.every((e) => RETRYABLE_RECORD.has(e.statusCode)))
              retry.push(index);
          }
        });
        if (attempt === 1) onProgress?.(chunk.length);
      }
      if (retry.length === 0 || attempt >= this.maxAttempts) break;
      const delay = this.backoff(attempt);
      this.log.warn(
        { what, records: retry.length, attempt, delayMs: delay },
        'records failed with a retryable error, retrying',
      );
      await this.sleep(delay);
      pending = retry;
    }
    return results;
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

  /** Metadata API upsertMetadata (10 components per call). */
  async upsertMetadata(
    type: string,
    components: readonly Record<string, unknown>[],
  ): Promise<
    {
      fullName: string;
      success: boolean;
      created: boolean;
      errors: { statusCode: string; message: string }[];
    }[]
  > {
    const out: {
      fullName: string;
      success: boolean;
      created: boolean;
      errors: { statusCode: string; message: string }[];
    }[] = [];
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
