/**
 * Bulk API 2.0 (/jobs/ingest and /jobs/query), as jsforce's `conn.bulk2` drives it. Jobs run
 * synchronously when the upload is closed, so the first status poll sees JobComplete. Jobs are
 * kept in memory only (a restart forgets them; the records they wrote persist).
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { parse } from 'csv-parse/sync';
import { SfError, duplicateExternalId, missingArgument, notFound } from './errors';
import type { OrgData } from './data';
import { isIdLookup, type ObjectDef } from './schema';
import { compileQuery, type Rec } from './soql';
import { toId18 } from './ids';

type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
const OPERATIONS: Operation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

const locatorOf = (offset: number): string =>
  Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
function offsetOfLocator(locator: string): number {
  const n = Number(Buffer.from(locator, 'base64').toString('utf8'));
  if (!Number.isInteger(n) || n < 0 || locatorOf(n) !== locator)
    throw new SfError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
  return n;
}
function positiveInt(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new SfError(
      400,
      'INVALIDJOB',
      `InvalidJob : ${name} must be a positive whole number: ${String(v)}`,
    );
  return n;
}

interface IngestJob extends Dialect {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName: string | null;
  state: 'Open' | 'UploadComplete' | 'JobComplete' | 'Failed' | 'Aborted';
  createdDate: number;
  systemModstamp: number;
  csv: string[];
  success: string[][];
  failed: string[][];
  header: string[];
  errorMessage: string | null;
  apiVersion: string;
}

interface QueryJob extends Dialect {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  createdDate: number;
  rows: string[][];
  header: string[];
  apiVersion: string;
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** CSV dialect of a job: Bulk API 2.0 "Create a Job" columnDelimiter and lineEnding values. */
const DELIMITERS: Record<string, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};
const LINE_ENDINGS: Record<string, string> = { LF: '\n', CRLF: '\r\n' };

interface Dialect {
  columnDelimiter: string;
  lineEnding: string;
}

function dialectOf(body: Record<string, unknown>): Dialect {
  const columnDelimiter = String(body.columnDelimiter ?? 'COMMA');
  const lineEnding = String(body.lineEnding ?? 'LF');
  if (!DELIMITERS[columnDelimiter])
    throw new SfError(
      400,
      'INVALIDJOB',
      `InvalidJob : Invalid columnDelimiter ${columnDelimiter} (one of ${Object.keys(DELIMITERS).join(', ')})`,
    );
  if (!LINE_ENDINGS[lineEnding])
    throw new SfError(400, 'INVALIDJOB', `InvalidJob : Invalid lineEnding ${lineEnding} (LF or CRLF)`);
  return { columnDelimiter, lineEnding };
}

const csvLines = (rows: string[][], d: Dialect = { columnDelimiter: 'COMMA', lineEnding: 'LF' }) => {
  const eol = LINE_ENDINGS[d.lineEnding];
  return rows.map((r) => r.map(quote).join(DELIMITERS[d.columnDelimiter])).join(eol) + eol;
};
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export class Bulk2Api {
  private ingest = new Map<string, IngestJob>();
  private queries = new Map<string, QueryJob>();
  private seq = 0;

  constructor(
    private data: OrgData,
    private lockRow: () => boolean,
  ) {}

  private newId(prefix: string): string {
    this.seq++;
    const id15 = `${prefix}${crypto.randomBytes(3).toString('hex').toUpperCase()}${String(this.seq).padStart(6, '0')}`;
    return toId18(id15)!;
  }

  handle(req: Request, res: Response, parts: string[], version: string): void {
    const [kind, id, sub] = parts;
    if (kind === 'ingest') return this.handleIngest(req, res, id, sub, version);
    if (kind === 'query') return this.handleQuery(req, res, id, sub, version);
    throw notFound();
  }

  // --- ingest -----------------------------------------------------------------------------------

  private info(job: IngestJob) {
    return {
      ...this.jobInfo(job, 'V2Ingest', job.state, job.systemModstamp),
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      numberRecordsProcessed: job.success.length + job.failed.length,
      numberRecordsFailed: job.failed.length,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  /** JobInfo fields common to ingest and query jobs. */
  private jobInfo(
    job: IngestJob | QueryJob,
    jobType: 'V2Ingest' | 'V2Query',
    state: IngestJob['state'],
    systemModstamp: number,
  ) {
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: this.data.adminUserId,
      createdDate: iso(job.createdDate),
      systemModstamp: iso(systemModstamp),
      state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      jobType,
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      retries: 0,
      totalProcessingTime: 0,
    };
  }

  private handleIngest(
    req: Request,
    res: Response,
    id: string | undefined,
    sub: string | undefined,
    version: string,
  ): void {
    const method = req.method.toUpperCase();
    if (!id) {
      if (method === 'GET') {
        res.json({
          done: true,
          records: [...this.ingest.values()].map((j) => this.info(j)),
          nextRecordsUrl: null,
        });
        return;
      }
      if (method !== 'POST')
        throw new SfError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${method}' not allowed. Allowed are GET,POST`,
        );
      const body = (req.body ?? {}) as Record<string, unknown>;
      const def = this.data.object(String(body.object ?? ''));
      if (!def)
        throw new SfError(404, 'NOT_FOUND', `sObject type '${String(body.object)}' is not supported.`);
      const operation = String(body.operation ?? '') as Operation;
      if (!OPERATIONS.includes(operation))
        throw new SfError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${operation}`);
      if (body.contentType && body.contentType !== 'CSV')
        throw new SfError(400, 'INVALIDJOB', 'InvalidJob : only CSV is supported');
      let ext: string | null = null;
      if (operation === 'upsert') {
        const f = def.fields.get(String(body.externalIdFieldName ?? '').toLowerCase());
        if (!f || !isIdLookup(f)) {
          throw new SfError(
            400,
            'INVALIDJOB',
            `InvalidJob : External ID was blank or not an External ID field for ${def.name}: ${String(body.externalIdFieldName ?? '')}`,
          );
        }
        ext = f.name;
      }
      const now = Date.now();
      const job: IngestJob = {
        id: this.newId('750'),
        object: def.name,
        operation,
        externalIdFieldName: ext,
        state: 'Open',
        createdDate: now,
        systemModstamp: now,
        csv: [],
        success: [],
        failed: [],
        header: [],
        errorMessage: null,
        apiVersion: version,
        ...dialectOf(body),
      };
      this.ingest.set(job.id, job);
      res.json(this.info(job));
      return;
    }
    const job = jobById(this.ingest, id);
    if (sub === 'batches') {
      if (method !== 'PUT')
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are PUT`);
      if (job.state !== 'Open')
        throw new SfError(
          409,
          'INVALIDJOBSTATE',
          `Job's current state is ${job.state}: data can only be uploaded to Open jobs`,
        );
      job.csv.push(String(req.body ?? ''));
      res.status(201).end();
      return;
    }
    if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
      res.type('text/csv');
      const originals = job.header;
      if (sub === 'successfulResults')
        res.send(csvLines([['sf__Id', 'sf__Created', ...originals], ...job.success], job));
      else if (sub === 'failedResults')
        res.send(csvLines([['sf__Id', 'sf__Error', ...originals], ...job.failed], job));
      else res.send(csvLines([originals], job));
      return;
    }
    if (sub) throw notFound();
    if (method === 'GET') {
      res.json(this.info(job));
    } else if (method === 'DELETE') {
      this.ingest.delete(job.id);
      res.status(204).end();
    } else if (method === 'PATCH') {
      const state = String((req.body as Record<string, unknown>)?.state ?? '');
      if (state === 'Aborted') job.state = 'Aborted';
      else if (state === 'UploadComplete' && job.state === 'Open') this.run(job);
      else
        throw new SfError(
          400,
          'INVALIDJOBSTATE',
          `Cannot change the state of a ${job.state} job to ${state}`,
        );
      job.systemModstamp = Date.now();
      res.json(this.info(job));
    } else {
      throw new SfError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`,
      );
    }
  }

  /** Process the uploaded CSV: each row on its own (Bulk jobs are never all-or-none). */
  private run(job: IngestJob): void {
    const def = this.data.object(job.object)!;
    let rows: string[][];
    try {
      rows = job.csv.flatMap((chunk, i) =>
        (
          parse(chunk, {
            relax_column_count: false,
            delimiter: DELIMITERS[job.columnDelimiter],
          }) as string[][]
        ).slice(i === 0 ? 0 : 1),
      );
    } catch (e) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Failed to parse CSV: ${(e as Error).message}`;
      return;
    }
    const [header = [], ...records] = rows;
    job.header = header;
    for (const col of header) {
      const base = col.split('.')[0];
      const known = col.includes('.')
        ? [...def.fields.values()].some((f) => f.relationshipName?.toLowerCase() === base.toLowerCase())
        : def.fields.has(col.toLowerCase());
      if (!known) {
        job.state = 'Failed';
        job.errorMessage = `InvalidBatch : Field name not found : ${col}`;
        return;
      }
    }
    const now = Date.now();
    this.data.transaction(() => {
      for (const row of records) {
        const input = this.rowToRecord(header, row);
        const sp = this.data.savepoint();
        try {
          if (this.lockRow())
            throw new SfError(
              400,
              'UNABLE_TO_LOCK_ROW',
              'unable to obtain exclusive access to this record or 1 records',
            );
          const out = this.apply(def, job, input, now);
          job.success.push([out.id, String(out.created), ...row]);
        } catch (e) {
          if (!(e instanceof SfError)) throw e;
          this.data.rollbackTo(sp);
          const id = typeof input.Id === 'string' ? input.Id : '';
          job.failed.push([id, `${e.errorCode}:${e.message}:${e.fields.join(',')} --`, ...row]);
        }
      }
    });
    job.state = 'JobComplete';
  }

  private rowToRecord(header: string[], row: string[]): Rec {
    const rec: Rec = {};
    header.forEach((col, i) => {
      const raw = row[i] ?? '';
      if (raw === '') return; // empty = leave unchanged
      const value = raw === '#N/A' ? null : raw;
      if (col.includes('.')) {
        const [rel, field] = col.split('.');
        rec[rel] = { [field]: value };
      } else {
        rec[col] = value;
      }
    });
    return rec;
  }

  private apply(def: ObjectDef, job: IngestJob, input: Rec, now: number): { id: string; created: boolean } {
    const idOf = () => {
      const id = toId18(String(input.Id ?? ''));
      const rec = id ? this.data.get(def, id) : undefined;
      if (!rec) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']);
      return rec;
    };
    switch (job.operation) {
      case 'insert':
        return this.data.save(def, input, undefined, now);
      case 'update': {
        const rec = idOf();
        const { Id: _id, ...rest } = input;
        return this.data.save(def, rest, rec, now);
      }
      case 'upsert': {
        const f = def.fields.get(job.externalIdFieldName!.toLowerCase())!;
        const key = Object.keys(input).find((k) => k.toLowerCase() === f.name.toLowerCase());
        const value = key ? input[key] : undefined;
        // Keyed on Id, a row without one is a new record ("To force Salesforce to create a new record, set the
        // name of the external ID field to 'Id' and the external ID to null": Mobile SDK guide, "Upsert").
        if (f.type === 'id' && (value === undefined || value === null || value === '')) {
          const { [key ?? 'Id']: _none, ...fields } = input;
          return this.data.save(def, fields, undefined, now);
        }
        if (value === undefined || value === null) throw missingArgument(f.name);
        const out = this.data.upsert(def, f, value, input, now);
        if ('multiple' in out) throw duplicateExternalId(f.name, value);
        return out;
      }
      default: {
        const rec = idOf();
        this.data.remove(def, rec, now);
        return { id: rec.Id as string, created: false };
      }
    }
  }

  // --- query ------------------------------------------------------------------------------------

  private handleQuery(
    req: Request,
    res: Response,
    id: string | undefined,
    sub: string | undefined,
    version: string,
  ): void {
    const method = req.method.toUpperCase();
    if (!id) {
      if (method !== 'POST')
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST`);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const operation = body.operation === 'queryAll' ? 'queryAll' : 'query';
      const soql = String(body.query ?? '');
      const q = compileQuery(soql, this.data, {
        apiVersion: version,
        now: Date.now(),
        includeDeleted: operation === 'queryAll',
        indexed: (_o, f) => this.data.isIndexed(f),
      });
      if (q.countOnly || q.aggregateCount)
        throw new SfError(400, 'API_ERROR', 'Aggregate queries are not supported by Bulk API 2.0');
      const projected = this.data.runQuery(q).map(q.project);
      const flat = projected.map((r) => flatten(r));
      const header = flat.length ? Object.keys(flat[0]) : [];
      const job: QueryJob = {
        id: this.newId('750'),
        operation,
        object: q.object.name,
        query: soql,
        createdDate: Date.now(),
        header,
        rows: flat.map((r) => header.map((h) => r[h] ?? '')),
        apiVersion: version,
        ...dialectOf(body),
      };
      this.queries.set(job.id, job);
      res.json(this.queryInfo(job));
      return;
    }
    const job = jobById(this.queries, id);
    if (sub === 'results') {
      // Bulk API 2.0 "Get Results for a Query Job": without maxRecords a set holds "as many rows as can be
      // listed" (up to the 1 GB size limit — every local result fits), with it at most maxRecords. The locator
      // is an opaque string (Salesforce's look like MTAwMDA, base64 of the offset); a foreign one is refused.
      const start = req.query.locator === undefined ? 0 : offsetOfLocator(String(req.query.locator));
      const max =
        req.query.maxRecords === undefined
          ? job.rows.length || 1
          : positiveInt(req.query.maxRecords, 'maxRecords');
      const page = job.rows.slice(start, start + max);
      const next = start + max < job.rows.length ? locatorOf(start + max) : 'null';
      res.setHeader('Sforce-Locator', next);
      res.setHeader('Sforce-NumberOfRecords', String(page.length));
      // Every set of results is a CSV of its own, header row included (Bulk API 2.0 "Get Results for a
      // Query Job": each response body starts with the column names).
      res.type('text/csv').send(job.header.length ? csvLines([job.header, ...page], job) : '');
      return;
    }
    if (sub) throw notFound();
    if (method === 'DELETE') {
      this.queries.delete(job.id);
      res.status(204).end();
      return;
    }
    res.json(this.queryInfo(job));
  }

  private queryInfo(job: QueryJob) {
    // Query jobs run when created: complete, never modified since.
    return {
      ...this.jobInfo(job, 'V2Query', 'JobComplete', job.createdDate),
      numberRecordsProcessed: job.rows.length,
    };
  }
}

function jobById<T>(jobs: Map<string, T>, id: string): T {
  const job = jobs.get(toId18(id) ?? id);
  if (!job) throw notFound();
  return job;
}

/** REST record → Bulk CSV columns: nested relationships become dotted names, nulls empty. */
function flatten(rec: Rec, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'attributes') continue;
    if (v && typeof v === 'object') flatten(v as Rec, `${prefix}${k}.`, out);
    else if (v === null || v === undefined) out[`${prefix}${k}`] = '';
    // Bulk CSV writes date-times in UTC with a Z.
    else
      out[`${prefix}${k}`] =
        typeof v === 'string' && /^\d{4}-\d\d-\d\dT.*\+0000$/.test(v) ? v.replace('+0000', 'Z') : String(v);
  }
  return out;
}
