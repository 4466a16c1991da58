/**
 * The REST slice under /services/data/vXX.X: versions, limits, describe, SOQL with paging, sObject
 * CRUD and upsert by external id, sObject Collections and Composite (composite.ts). Shapes and error codes follow the
 * Salesforce REST API (README.md, "What it speaks").
 */
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { SfError, duplicateExternalId, missingArgument, notFound } from './errors';
import type { OrgData } from './data';
import { isIdLookup, type FieldDef, type ObjectDef } from './schema';
import { compileQuery, type Rec } from './soql';
import { runCompositeTree } from './compositeTree';
import { formatOutput } from './values';
import { toId18 } from './ids';
import type { Bulk2Api } from './bulk2';
import { runComposite } from './composite';
import { runCompositeGraph } from './compositeGraph';
import { queryColumns } from './queryColumns';
import { limitsDocument } from './limits';
import { checkDuplicates, type DuplicateRule } from './duplicateRules';

export const MAX_COLLECTION = 200;
const DEFAULT_BATCH = 2000;
const CURSOR_TTL_MS = 15 * 60_000;
const MAX_CURSORS = 50;

export interface RestContext {
  data: OrgData;
  apiVersion: string;
  apiRequests: () => number;
  dailyLimit: number;
  bulk2: Bulk2Api;
  /** Fault injection for collection items (UNABLE_TO_LOCK_ROW). */
  lockRow: () => boolean;
  /** Duplicate rules configured for tests (duplicateRules.ts); none when absent. */
  duplicateRules?: () => DuplicateRule[];
}

interface Cursor {
  rows: Rec[];
  position: number;
  batch: number;
  totalSize: number;
  touched: number;
  version: string;
}

const rolledBack = () => ({
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
});

type Item = { id?: string | null; success: boolean; errors: unknown[]; created?: boolean };

export class RestApi {
  private cursors = new Map<string, Cursor>();

  constructor(private ctx: RestContext) {}

  /** Route one request below /services/data. `parts` are the path segments after "data". */
  handle(req: Request, res: Response, parts: string[]): void {
    const method = req.method.toUpperCase();
    if (parts.length === 0) {
      this.allow(method, ['GET']);
      res.json(this.versions());
      return;
    }
    const m = /^v(\d+\.\d)$/.exec(parts[0]);
    if (!m) throw notFound();
    const version = m[1];
    const [resource, ...rest] = parts.slice(1);
    const base = `/services/data/v${version}`;
    switch (resource) {
      case undefined:
        this.allow(method, ['GET']);
        // "Resources by Version" lists the user's identity URL too (REST API Developer Guide); jsforce's
        // identity() follows it when it has no OAuth id URL (access-token sessions).
        res.json({
          identity: res.locals.identity as string,
          sobjects: `${base}/sobjects`,
          query: `${base}/query`,
          queryAll: `${base}/queryAll`,
          limits: `${base}/limits`,
          composite: `${base}/composite`,
        });
        return;
      case 'limits':
        this.allow(method, ['GET']);
        res.json(this.limits());
        return;
      case 'query':
      case 'queryAll':
        this.allow(method, ['GET']);
        res.json(this.query(req, rest, version, resource === 'queryAll'));
        return;
      case 'sobjects':
        this.sobjects(req, res, rest, version);
        return;
      case 'jobs':
        this.ctx.bulk2.handle(req, res, rest, version);
        return;
      case 'composite':
        if (rest.length === 0) {
          this.allow(method, ['GET', 'POST']);
          if (method === 'GET') res.json({ sobjects: `${base}/composite/sobjects` });
          else res.json(runComposite(req.body, this.ctx.data, (r, s, p) => this.handle(r, s, p)));
          return;
        }
        if (rest[0] === 'graph' && rest.length === 1) {
          this.allow(method, ['POST']);
          res.json(
            runCompositeGraph(req.body, this.ctx.data, (r, s, p) => this.handle(r, s, p), this.ctx.lockRow),
          );
          return;
        }
        if (rest[0] === 'tree' && rest.length === 2) {
          this.allow(method, ['POST']);
          const out = runCompositeTree(req.body, rest[1], this.ctx.data, Date.now());
          res.status(out.status).json(out.body);
          return;
        }
        if (rest[0] !== 'sobjects') throw notFound();
        this.collections(req, res, rest.slice(1), version);
        return;
      case 'tooling':
        // `sf apex run test` posts to these (Tooling API, "runTestsAsynchronous" / "runTestsSynchronous").
        // The local org stores Apex but never compiles or runs it, so it answers as Salesforce does for a
        // feature an org lacks: the API fault code FUNCTIONALITY_NOT_ENABLED (SOAP API Developer Guide,
        // "ExceptionCode") with 403, "the request has been refused" (REST API Developer Guide, "Status Codes
        // and Error Responses"). The rest of the Tooling API does not exist here (404).
        if (rest[0] === 'runTestsAsynchronous' || rest[0] === 'runTestsSynchronous') {
          throw new SfError(
            403,
            'FUNCTIONALITY_NOT_ENABLED',
            'Apex test execution is not enabled for this organization: the local org stores Apex classes but ' +
              'never compiles or runs them. Run the Apex tests against a scratch org (npm run scratch-org:e2e).',
          );
        }
        throw notFound();
      default:
        throw notFound();
    }
  }

  /** The field an upsert URL names (…/sobjects/Obj/Field/value): it must be able to find a record. */
  private idLookupField(def: ObjectDef, name: string): FieldDef {
    const f = def.fields.get(name.toLowerCase());
    if (!f || !isIdLookup(f)) {
      throw new SfError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${name}`,
      );
    }
    return f;
  }

  private allow(method: string, allowed: string[]): void {
    if (!allowed.includes(method)) {
      throw new SfError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
      );
    }
  }

  private versions() {
    const latest = Number(this.ctx.apiVersion);
    const out = [];
    for (let v = 55; v <= Math.max(latest, 55); v++)
      out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
    return out;
  }

  private limits() {
    return limitsDocument(this.ctx.apiRequests(), this.ctx.dailyLimit);
  }

  private objectOr404(name: string): ObjectDef {
    const def = this.ctx.data.object(name);
    if (!def) throw notFound();
    return def;
  }

  // --- describe -------------------------------------------------------------------------------

  private urls(def: ObjectDef, version: string) {
    const b = `/services/data/v${version}/sobjects/${def.name}`;
    return { sobject: b, describe: `${b}/describe`, rowTemplate: `${b}/{ID}` };
  }

  private objectSummary(def: ObjectDef, version: string) {
    return {
      name: def.name,
      label: def.label,
      labelPlural: def.labelPlural,
      keyPrefix: def.keyPrefix,
      custom: def.custom,
      createable: def.writable !== false,
      updateable: def.writable !== false,
      deletable: def.writable !== false,
      queryable: true,
      searchable: true,
      retrieveable: true,
      layoutable: true,
      urls: this.urls(def, version),
    };
  }

  private describeField(f: FieldDef) {
    const soapType: Record<string, string> = {
      id: 'tns:ID',
      reference: 'tns:ID',
      datetime: 'xsd:dateTime',
      date: 'xsd:date',
      boolean: 'xsd:boolean',
      double: 'xsd:double',
      percent: 'xsd:double',
      currency: 'xsd:double',
      int: 'xsd:int',
    };
    return {
      name: f.name,
      label: f.label,
      type: f.type,
      soapType: soapType[f.type] ?? 'xsd:string',
      length: f.length,
      byteLength: f.length * 3,
      precision: f.precision,
      scale: f.scale,
      digits: f.type === 'int' ? f.precision : 0,
      custom: f.custom,
      externalId: f.externalId,
      unique: f.unique,
      caseSensitive: f.caseSensitive,
      idLookup: isIdLookup(f),
      nillable: f.nillable,
      createable: f.createable,
      updateable: f.updateable,
      defaultedOnCreate: f.defaultedOnCreate,
      calculated: f.calculated,
      autoNumber: f.autoNumber,
      nameField: f.name === 'Name',
      filterable: f.type !== 'textarea' && f.type !== 'address',
      sortable: f.type !== 'textarea' && f.type !== 'address',
      groupable: !['textarea', 'double', 'percent', 'currency', 'datetime', 'address'].includes(f.type),
      defaultValue: f.defaultValue ?? null,
      referenceTo: f.referenceTo,
      relationshipName: f.relationshipName,
      picklistValues: f.picklistValues,
      restrictedPicklist: f.restrictedPicklist,
    };
  }

  private describe(def: ObjectDef, version: string) {
    const children = this.ctx.data.allObjects().flatMap((o) =>
      [...o.fields.values()]
        .filter(
          (f) =>
            f.type === 'reference' &&
            f.referenceTo.includes(def.name) &&
            !['CreatedById', 'LastModifiedById'].includes(f.name),
        )
        .map((f) => ({
          childSObject: o.name,
          field: f.name,
          relationshipName: f.childRelationshipName,
          cascadeDelete: false,
        })),
    );
    return {
      ...this.objectSummary(def, version),
      fields: [...def.fields.values()].map((f) => this.describeField(f)),
      childRelationships: children,
      recordTypeInfos: [],
      urls: { ...this.urls(def, version), uiDetailTemplate: null },
    };
  }

  // --- query ----------------------------------------------------------------------------------

  private query(req: Request, rest: string[], version: string, includeDeleted: boolean) {
    if (rest.length === 1) return this.queryMore(rest[0], version);
    if (rest.length > 1) throw notFound();
    const soql = typeof req.query.q === 'string' ? req.query.q : '';
    if (!soql.trim()) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const data = this.ctx.data;
    const q = compileQuery(soql, data, {
      apiVersion: version,
      now: Date.now(),
      includeDeleted,
      indexed: (_o, f) => data.isIndexed(f),
    });
    if (req.query.columns === 'true') return queryColumns(q);
    const rows = data.runQuery(q);
    if (q.countOnly) return { totalSize: rows.length, done: true, records: [] };
    if (q.aggregateCount) {
      return {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'AggregateResult' }, expr0: rows.length }],
      };
    }
    const batch = this.batchSize(req);
    const projected = rows.map(q.project);
    if (projected.length <= batch) return { totalSize: projected.length, done: true, records: projected };
    this.expireCursors();
    const locator = `01g${crypto.randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}`;
    this.cursors.set(locator, {
      rows: projected,
      position: 0,
      batch,
      totalSize: projected.length,
      touched: Date.now(),
      version,
    });
    return this.page(locator);
  }

  private batchSize(req: Request): number {
    const header = String(req.headers['sforce-query-options'] ?? '');
    const m = /batchSize\s*=\s*(\d+)/i.exec(header);
    return m ? Math.min(DEFAULT_BATCH, Math.max(200, Number(m[1]))) : DEFAULT_BATCH;
  }

  private expireCursors(): void {
    const now = Date.now();
    for (const [k, c] of this.cursors) if (now - c.touched > CURSOR_TTL_MS) this.cursors.delete(k);
    while (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
  }

  private page(locator: string) {
    const c = this.cursors.get(locator)!;
    const records = c.rows.slice(c.position, c.position + c.batch);
    const next = c.position + c.batch;
    const done = next >= c.rows.length;
    if (done) this.cursors.delete(locator);
    return {
      totalSize: c.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${c.version}/query/${locator}-${next}` }),
      records,
    };
  }

  private queryMore(token: string, version: string) {
    const m = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(token);
    const c = m ? this.cursors.get(m[1]) : undefined;
    if (!m || !c || Number(m[2]) !== c.position + c.batch) {
      throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    c.position = Number(m[2]);
    c.touched = Date.now();
    c.version = version;
    return this.page(m[1]);
  }

  // --- sObject rows -----------------------------------------------------------------------------

  private render(def: ObjectDef, rec: Rec, version: string, fields?: string[]): Rec {
    const out: Rec = {
      attributes: {
        type: def.name,
        url: `/services/data/v${version}/sobjects/${def.name}/${rec.Id as string}`,
      },
    };
    const list = fields?.length
      ? fields.map((n) => {
          const f = def.fields.get(n.trim().toLowerCase());
          if (!f)
            throw new SfError(
              400,
              'INVALID_FIELD',
              `No such column '${n.trim()}' on sobject of type ${def.name}`,
            );
          return f;
        })
      : [...def.fields.values()];
    for (const f of list) out[f.name] = formatOutput(f, rec[f.name], rec);
    return out;
  }

  private body(req: Request): Rec {
    const b = req.body as unknown;
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    return b as Rec;
  }

  private sobjects(req: Request, res: Response, rest: string[], version: string): void {
    const method = req.method.toUpperCase();
    const data = this.ctx.data;
    const now = Date.now();
    if (rest.length === 0) {
      this.allow(method, ['GET']);
      res.json({
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: data.allObjects().map((d) => this.objectSummary(d, version)),
      });
      return;
    }
    const def = this.objectOr404(rest[0]);
    if (rest.length === 1) {
      this.allow(method, ['GET', 'POST']);
      if (method === 'GET') {
        res.json({ objectDescribe: this.objectSummary(def, version), recentItems: [] });
        return;
      }
      const input = this.body(req);
      this.checkDuplicates(def, input, version);
      const out = data.transaction(() => data.save(def, input, undefined, now));
      res.status(201).json({ id: out.id, success: true, errors: [] });
      return;
    }
    if (rest.length === 2 && rest[1] === 'describe') {
      this.allow(method, ['GET']);
      res.json(this.describe(def, version));
      return;
    }
    if (rest.length === 2) {
      this.allow(method, ['GET', 'PATCH', 'DELETE']);
      const id = toId18(rest[1]);
      const live = id ? data.get(def, id) : undefined;
      if (!live) {
        const gone = id ? data.byId(id) : undefined;
        if (gone && gone.def.name === def.name && gone.rec.IsDeleted)
          throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
        throw notFound();
      }
      if (method === 'GET') {
        const fields = typeof req.query.fields === 'string' ? req.query.fields.split(',') : undefined;
        res.json(this.render(def, live, version, fields));
      } else if (method === 'PATCH') {
        const input = this.body(req);
        data.transaction(() => data.save(def, input, live, now));
        res.status(204).end();
      } else {
        data.transaction(() => data.remove(def, live, now));
        res.status(204).end();
      }
      return;
    }
    if (rest.length === 3) {
      this.allow(method, ['GET', 'PATCH', 'DELETE']);
      const f = this.idLookupField(def, rest[1]);
      const value = rest[2]; // already URL-decoded by the router
      if (method === 'PATCH') {
        const input = this.body(req);
        const out = data.transaction(() => data.upsert(def, f, value, input, now));
        if ('multiple' in out) {
          res
            .status(300)
            .json(out.multiple.map((id) => `/services/data/v${version}/sobjects/${def.name}/${id}`));
          return;
        }
        res
          .status(out.created ? 201 : 200)
          .json({ id: out.id, success: true, errors: [], created: out.created });
        return;
      }
      const found = data.findBy(def, f, value);
      if (found.length === 0) throw notFound();
      if (found.length > 1) {
        res
          .status(300)
          .json(found.map((r) => `/services/data/v${version}/sobjects/${def.name}/${r.Id as string}`));
        return;
      }
      if (method === 'GET') res.json(this.render(def, found[0], version));
      else {
        data.transaction(() => data.remove(def, found[0], now));
        res.status(204).end();
      }
      return;
    }
    throw notFound();
  }

  // --- sObject Collections ---------------------------------------------------------------------

  private collections(req: Request, res: Response, rest: string[], version: string): void {
    const method = req.method.toUpperCase();
    const data = this.ctx.data;
    const now = Date.now();
    if (rest.length === 0) {
      this.allow(method, ['POST', 'PATCH', 'DELETE']);
      if (method === 'DELETE') {
        const ids = String(req.query.ids ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        this.checkSize(ids.length);
        const allOrNone = String(req.query.allOrNone ?? 'false').toLowerCase() === 'true';
        res.json(
          this.runItems(
            ids,
            allOrNone,
            (raw) => {
              const id = toId18(raw);
              if (!id) throw new SfError(400, 'MALFORMED_ID', `malformed id ${raw}`);
              const hit = data.byId(id);
              if (!hit) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
              if (hit.rec.IsDeleted) throw new SfError(400, 'ENTITY_IS_DELETED', 'entity is deleted');
              data.remove(hit.def, hit.rec, now);
              return { id, success: true, errors: [] };
            },
            (raw) => ({ id: toId18(raw) ?? raw }),
          ),
        );
        return;
      }
      const { records, allOrNone } = this.collectionBody(req);
      const defs = records.map((r) => this.typeOf(r));
      records.forEach((r, i) => data.checkBody(defs[i], this.withoutKeys(r, ['id'])));
      if (method === 'POST') {
        res.json(
          this.runItems(records, allOrNone, (r, i) => {
            this.checkDuplicates(defs[i], r, version);
            const out = data.save(defs[i], r, undefined, now);
            return { id: out.id, success: true, errors: [] };
          }),
        );
      } else {
        res.json(
          this.runItems(
            records,
            allOrNone,
            (r, i) => {
              const rawId = (r.id ?? r.Id) as string | undefined;
              if (!rawId)
                throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
              const id = toId18(String(rawId));
              const existing = id ? data.get(defs[i], id) : undefined;
              if (!existing) {
                const gone = id ? data.byId(id) : undefined;
                if (gone?.rec.IsDeleted) throw new SfError(400, 'ENTITY_IS_DELETED', 'entity is deleted');
                throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
              }
              data.save(defs[i], this.withoutKeys(r, ['id']), existing, now);
              return { id: existing.Id as string, success: true, errors: [] };
            },
            (r) => ({ id: toId18(String(r.id ?? r.Id ?? '')) ?? ((r.id ?? r.Id ?? null) as string | null) }),
          ),
        );
      }
      return;
    }
    const def = this.objectOr404(rest[0]);
    if (rest.length === 1) {
      // Retrieve: GET ?ids=&fields= or POST {ids, fields}.
      this.allow(method, ['GET', 'POST']);
      const src = method === 'GET' ? req.query : this.body(req);
      const list = (v: unknown) =>
        (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
      const ids = list(src.ids);
      const fields = list(src.fields);
      if (!fields.length) throw new SfError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
      if (ids.length > 2000)
        throw new SfError(
          400,
          'EXCEEDED_ID_LIMIT',
          'record limit reached. cannot submit more than 2000 records into this call',
        );
      res.json(
        ids.map((raw) => {
          const rec = toId18(raw) ? data.get(def, raw) : undefined;
          return rec ? this.render(def, rec, version, fields) : null;
        }),
      );
      return;
    }
    if (rest.length === 2) {
      this.allow(method, ['PATCH']);
      const f = this.idLookupField(def, rest[1]);
      const { records, allOrNone } = this.collectionBody(req);
      records.forEach((r) => {
        const t = this.typeOf(r);
        if (t.name !== def.name)
          throw new SfError(400, 'INVALID_TYPE', `sObject type ${t.name} does not match ${def.name}`);
        data.checkBody(def, r);
      });
      // The same external id twice in one request fails both items, as the API does.
      const key = (r: Rec) => {
        const v = String(this.valueFor(r, f.name) ?? '');
        return f.caseSensitive ? v : v.toLowerCase();
      };
      const counts = new Map<string, number>();
      for (const r of records) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
      res.json(
        this.runItems(
          records,
          allOrNone,
          (r) => {
            const value = this.valueFor(r, f.name);
            if (value === undefined || value === null || value === '') throw missingArgument(f.name);
            if ((counts.get(key(r)) ?? 0) > 1) throw duplicateExternalId(f.name, value);
            const out = this.ctx.data.upsert(def, f, value, r, now);
            if ('multiple' in out) throw duplicateExternalId(f.name, value, out.multiple);
            return { id: out.id, success: true, errors: [], created: out.created };
          },
          // A failed item that would have inserted answers created: true, as Salesforce does (jsforce's e2e
          // suite asserts it for an allOrNone upsert: every item `created: true`, the bad one MALFORMED_ID).
          (r) => {
            const value = this.valueFor(r, f.name);
            const fresh = value !== undefined && value !== null && value !== '';
            return { created: fresh && this.ctx.data.findBy(def, f, value).length === 0 };
          },
        ),
      );
      return;
    }
    throw notFound();
  }

  private valueFor(r: Rec, name: string): unknown {
    const k = Object.keys(r).find((key) => key.toLowerCase() === name.toLowerCase());
    return k ? r[k] : undefined;
  }

  private withoutKeys(r: Rec, keys: string[]): Rec {
    const out: Rec = {};
    for (const [k, v] of Object.entries(r)) if (!keys.includes(k)) out[k] = v;
    return out;
  }

  private checkSize(n: number): void {
    if (n > MAX_COLLECTION) {
      throw new SfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
      );
    }
  }

  private collectionBody(req: Request): { records: Rec[]; allOrNone: boolean } {
    const body = this.body(req);
    if (!Array.isArray(body.records))
      throw new SfError(400, 'JSON_PARSER_ERROR', 'records must be a JSON array');
    this.checkSize(body.records.length);
    return { records: body.records as Rec[], allOrNone: body.allOrNone === true };
  }

  private typeOf(r: Rec): ObjectDef {
    const type = (r?.attributes as { type?: string } | undefined)?.type;
    if (!type) throw new SfError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    const def = this.ctx.data.object(type);
    if (!def) throw new SfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    return def;
  }

  /**
   * Run items in order inside one transaction. Each failing item is undone on its own; with
   * allOrNone one failure undoes everything and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
   */
  /** A blocking duplicate rule answers DUPLICATES_DETECTED before the create (duplicateRules.ts). */
  private checkDuplicates(def: ObjectDef, input: Rec, version: string): void {
    checkDuplicates(this.ctx.duplicateRules?.() ?? [], this.ctx.data, def, input, version);
  }

  private runItems<T>(
    items: T[],
    allOrNone: boolean,
    fn: (item: T, i: number) => Item,
    failShape: (item: T) => Partial<Item> = () => ({}),
  ): Item[] {
    const data = this.ctx.data;
    try {
      return data.transaction(() => {
        const results: Item[] = [];
        let failed = false;
        items.forEach((item, i) => {
          const sp = data.savepoint();
          try {
            if (this.ctx.lockRow()) {
              throw new SfError(
                400,
                'UNABLE_TO_LOCK_ROW',
                'unable to obtain exclusive access to this record or 1 records',
              );
            }
            results.push(fn(item, i));
          } catch (e) {
            if (!(e instanceof SfError)) throw e;
            data.rollbackTo(sp);
            failed = true;
            results.push({ ...failShape(item), success: false, errors: [e.itemError()] });
          }
        });
        if (allOrNone && failed) {
          throw new RollBack(
            results.map((r, i) =>
              // A rolled-back upsert item keeps its own `created` (true for an insert), as Salesforce
              // answers; only success and errors say it was undone.
              r.success
                ? {
                    ...failShape(items[i]),
                    ...(r.created === undefined ? {} : { created: r.created }),
                    success: false,
                    errors: [rolledBack()],
                  }
                : r,
            ),
          );
        }
        return results;
      });
    } catch (e) {
      if (e instanceof RollBack) return e.results;
      throw e;
    }
  }
}

class RollBack extends Error {
  constructor(readonly results: Item[]) {
    super('rolled back');
  }
}
