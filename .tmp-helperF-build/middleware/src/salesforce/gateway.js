"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Gateway = exports.SalesforceApiError = exports.COLLECTION_SIZE = void 0;
exports.errorCode = errorCode;
const log_1 = require("../log");
const metrics_1 = require("../metrics");
const connection_1 = require("./connection");
/**
 * The only place that makes Salesforce API calls (REST and Metadata SOAP). It pages queries,
 * writes through sObject Collections (200 per request, allOrNone=false, every item of the HTTP 200
 * answer checked), retries what is worth retrying with capped exponential backoff and jitter, and
 * counts every request it sends (that count is the API cost the summaries print).
 */
exports.COLLECTION_SIZE = 200;
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
/** A Salesforce API error with its error code (INVALID_FIELD, MALFORMED_QUERY, …). */
class SalesforceApiError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'SalesforceApiError';
    }
}
exports.SalesforceApiError = SalesforceApiError;
function errorCode(err) {
    const e = err;
    for (const c of [e?.errorCode, e?.cause?.code, e?.code])
        if (typeof c === 'string' && c)
            return c;
    return typeof e?.name === 'string' && /^[A-Z_0-9]+$/.test(e.name) ? e.name : 'UNKNOWN';
}
function faultCode(code) {
    // SOAP faults arrive as "sf:INVALID_SESSION_ID"
    return code.replace(/^[a-z]+:/, '');
}
class Gateway {
    org;
    log;
    maxAttempts;
    baseDelayMs;
    maxDelayMs;
    random;
    sleep;
    counts = { query: 0, collections: 0, metadata: 0, sobject: 0 };
    ops = new Map();
    constructor(org, opts = {}) {
        this.org = org;
        this.log = opts.logger ?? log_1.silentLogger;
        this.maxAttempts = opts.maxAttempts ?? 6;
        this.baseDelayMs = opts.baseDelayMs ?? 250;
        this.maxDelayMs = opts.maxDelayMs ?? 8_000;
        this.random = opts.random ?? Math.random;
        this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    }
    /** API requests sent so far (every attempt counts, as it does against the org's limit). */
    requestCount(kind) {
        if (kind)
            return this.counts[kind];
        return Object.values(this.counts).reduce((a, b) => a + b, 0);
    }
    dataPath(rest) {
        return `/services/data/v${connection_1.API_VERSION}${rest}`;
    }
    /** Requests sent per operation ("query", "upsert Touchpoint__c", "upsertMetadata CustomField", …). */
    operations() {
        return Object.fromEntries(this.ops);
    }
    /** Sends one request with whole-request retries; session expiry is handled by the connection. */
    async send(kind, what, fn) {
        for (let attempt = 1;; attempt++) {
            this.counts[kind]++;
            this.ops.set(what, (this.ops.get(what) ?? 0) + 1);
            metrics_1.salesforceRequests.inc({ kind });
            try {
                return await fn();
            }
            catch (err) {
                const code = faultCode(errorCode(err));
                metrics_1.salesforceErrors.inc({ code });
                const message = err instanceof Error ? err.message : String(err);
                if (code === 'INVALID_SESSION_ID' || /^Unable to refresh session/.test(message)) {
                    throw new SalesforceApiError('INVALID_SESSION_ID', this.sessionMessage(message));
                }
                if (code === 'REQUEST_LIMIT_EXCEEDED') {
                    throw new SalesforceApiError(code, `Salesforce refused ${what}: the org's API request limit is used up (REQUEST_LIMIT_EXCEEDED). ` +
                        'Nothing past this point was written; run again when the limit resets (see /limits).');
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
    sessionMessage(detail) {
        if (this.org.auth === 'access-token') {
            return ('The Salesforce session in SF_ACCESS_TOKEN has expired or is invalid (INVALID_SESSION_ID). A bare access ' +
                'token cannot be refreshed: supply a fresh SF_ACCESS_TOKEN (for example from `sf org display`), or set ' +
                'SF_LOGIN_URL + SF_CLIENT_ID + SF_CLIENT_SECRET so the middleware can log in again by itself.');
        }
        return `The Salesforce session expired and re-authenticating once did not help (${detail}); not retrying.`;
    }
    backoff(attempt) {
        const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        return Math.round(cap / 2 + (this.random() * cap) / 2);
    }
    /** All rows of a SOQL query, following nextRecordsUrl page by page. */
    async query(soql, onPage) {
        const rows = [];
        let url = this.dataPath(`/query?q=${encodeURIComponent(soql)}`);
        while (url) {
            const pageUrl = url;
            const page = await this.send('query', 'query', () => this.org.conn.request({ method: 'GET', url: pageUrl }));
            for (const r of page.records)
                rows.push(r);
            onPage?.(rows.length, page.totalSize);
            url = page.done ? undefined : page.nextRecordsUrl;
        }
        return rows;
    }
    /** Upserts by external id through sObject Collections, 200 records per request. */
    upsert(sobject, extIdField, records, onProgress) {
        const url = this.dataPath(`/composite/sobjects/${sobject}/${extIdField}`);
        const typed = records.map((r) => ({ ...r, attributes: { type: sobject } }));
        return this.writeCollections(`upsert ${sobject}`, 'PATCH', url, typed, onProgress);
    }
    /** Updates records by Id through sObject Collections (records carry attributes.type). */
    update(records, onProgress) {
        return this.writeCollections('update', 'PATCH', this.dataPath('/composite/sobjects'), records, onProgress);
    }
    /** Deletes by Id (200 per request); a record that is already gone counts as deleted. */
    async remove(ids) {
        const results = [];
        for (let start = 0; start < ids.length; start += exports.COLLECTION_SIZE) {
            const chunk = ids.slice(start, start + exports.COLLECTION_SIZE);
            const url = this.dataPath(`/composite/sobjects?allOrNone=false&ids=${chunk.map(encodeURIComponent).join(',')}`);
            const items = await this.send('collections', 'delete', () => this.org.conn.request({ method: 'DELETE', url }));
            chunk.forEach((id, i) => {
                const item = items[i];
                const errors = item?.errors ?? [];
                const gone = errors.every((e) => e.statusCode === 'ENTITY_IS_DELETED' || e.statusCode === 'INVALID_CROSS_REFERENCE_KEY');
                results.push({ index: start + i, ok: Boolean(item?.success) || (errors.length > 0 && gone), id, created: false, errors, attempts: 1 });
            });
        }
        return results;
    }
    async writeCollections(what, method, url, records, onProgress) {
        const results = records.map((_, index) => ({
            index,
            ok: false,
            id: null,
            created: false,
            errors: [],
            attempts: 0,
        }));
        let pending = results.map((r) => r.index);
        for (let attempt = 1; pending.length > 0; attempt++) {
            const retry = [];
            for (let start = 0; start < pending.length; start += exports.COLLECTION_SIZE) {
                const chunk = pending.slice(start, start + exports.COLLECTION_SIZE);
                const body = JSON.stringify({ allOrNone: false, records: chunk.map((i) => records[i]) });
                const items = await this.send('collections', what, () => this.org.conn.request({
                    method,
                    url,
                    body,
                    headers: { 'content-type': 'application/json' },
                }));
                if (!Array.isArray(items) || items.length !== chunk.length) {
                    throw new SalesforceApiError('UNEXPECTED_RESPONSE', `${what}: expected ${chunk.length} results, got ${JSON.stringify(items).slice(0, 200)}`);
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
                        for (const e of r.errors)
                            metrics_1.salesforceErrors.inc({ code: e.statusCode });
                        if (r.errors.length > 0 && r.errors.every((e) => RETRYABLE_RECORD.has(e.statusCode)))
                            retry.push(index);
                    }
                });
                if (attempt === 1)
                    onProgress?.(chunk.length);
            }
            if (retry.length === 0 || attempt >= this.maxAttempts)
                break;
            const delay = this.backoff(attempt);
            this.log.warn({ what, records: retry.length, attempt, delayMs: delay }, 'records failed with a retryable error, retrying');
            await this.sleep(delay);
            pending = retry;
        }
        return results;
    }
    /** Metadata API readMetadata (10 names per call, as the API allows). */
    async readMetadata(type, fullNames) {
        const out = [];
        for (let start = 0; start < fullNames.length; start += 10) {
            const chunk = fullNames.slice(start, start + 10);
            const res = await this.send('metadata', `readMetadata ${type}`, () => this.org.conn.metadata.read(type, [...chunk]));
            const list = (Array.isArray(res) ? res : [res]);
            // Absent components come back without a fullName (or not at all): match by name.
            const byName = new Map();
            for (const m of list)
                if (m && typeof m.fullName === 'string' && m.fullName)
                    byName.set(m.fullName, m);
            for (const name of chunk)
                out.push(byName.get(name) ?? null);
        }
        return out;
    }
    /** Metadata API upsertMetadata (10 components per call). */
    async upsertMetadata(type, components) {
        const out = [];
        for (let start = 0; start < components.length; start += 10) {
            const chunk = components.slice(start, start + 10);
            const res = await this.send('metadata', `upsertMetadata ${type}`, () => this.org.conn.metadata.upsert(type, chunk));
            const list = (Array.isArray(res) ? res : [res]);
            for (const r of list) {
                const raw = r.errors;
                const errs = (Array.isArray(raw) ? raw : raw ? [raw] : []);
                out.push({
                    fullName: String(r.fullName ?? ''),
                    success: r.success === true || r.success === 'true',
                    created: r.created === true || r.created === 'true',
                    errors: errs.map((e) => ({ statusCode: String(e.statusCode ?? 'UNKNOWN'), message: String(e.message ?? '') })),
                });
            }
        }
        return out;
    }
}
exports.Gateway = Gateway;
//# sourceMappingURL=gateway.js.map