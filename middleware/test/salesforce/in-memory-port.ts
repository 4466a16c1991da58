import {
  MetadataService,
  OrgData,
  SfError,
  compileQuery,
  defaultForceAppDir,
  isIdLookup,
  readForceApp,
  resolveRefs,
  toId18,
  Unresolved,
  type SubrequestResult,
  type ObjectDef,
  type Rec,
} from '@call-touchpoints/local-org';
import { RequestBudget } from '../../src/salesforce/budget';
import {
  COLLECTION_SIZE,
  COMPOSITE_COLLECTIONS,
  createAndQuerySubrequests,
  GRAPH_NODES_PER_REQUEST,
  graphChunks,
} from '../../src/salesforce/composite-limits';
import { API_VERSION } from '../../src/salesforce/connection';
import {
  AbortedError,
  SalesforceApiError,
  type CallOptions,
  type CreateAndQuery,
  type CreateAndQueryResult,
  type GraphNode,
  type GraphOutcome,
  type GraphRequest,
  type MetadataListing,
  type MetadataUpsertResult,
  type Purpose,
  type PurposeOptions,
  type RecordResult,
  type RequestKind,
  type SalesforcePort,
  type SfRecord,
  type WriteOp,
} from '../../src/salesforce/port';
import { CountedPort, RequestCounts, type Accounts } from '../../src/salesforce/request-count';

/**
 * The SalesforcePort without HTTP (issue 17): the local org's records, SOQL engine and save rules
 * called in-process, for unit tests of what is built on the port (the join pipeline). Requests are
 * counted as the Gateway sends them: one per query, one per composite of up to 5 × 200 records.
 * No retries and no faults: the local org over HTTP with the Gateway stays the integration test.
 */
/** Keys the API does not take as field values. */
const NOT_FIELDS = new Set(['attributes', 'id']);

function fieldsOf(rec: SfRecord): Rec {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => !NOT_FIELDS.has(k.toLowerCase())));
}

function apiError(err: unknown): never {
  if (err instanceof SfError) throw new SalesforceApiError(err.errorCode, err.message);
  throw err;
}

export class InMemoryPort extends CountedPort implements SalesforcePort {
  readonly instanceUrl = 'memory:';

  private constructor(
    readonly data: OrgData,
    private readonly metadata: MetadataService,
    purpose: Purpose,
    accounts: Accounts,
  ) {
    super(purpose, accounts);
  }

  /** An empty org with this project's data model (force-app/) deployed, as the local org's preload. */
  static withDataModel(opts: { dailyRequestBudget?: number | null } = {}): InMemoryPort {
    const forceApp = readForceApp(defaultForceAppDir());
    const data = new OrgData(
      null,
      forceApp.customObjects.map((o) => String(o.fullName)),
    );
    const metadata = new MetadataService(data);
    for (const md of forceApp.customObjects) metadata.save('CustomObject', md, 'upsert');
    for (const md of forceApp.customFields) metadata.save('CustomField', md, 'upsert');
    return new InMemoryPort(data, metadata, 'join', {
      counts: new RequestCounts(),
      budget: new RequestBudget({ dailyRequests: opts.dailyRequestBudget ?? null }),
    });
  }

  close(): void {
    this.data.close();
  }

  describe(): string {
    return 'in-memory org';
  }

  for(purpose: Purpose, _opts?: PurposeOptions): InMemoryPort {
    return new InMemoryPort(this.data, this.metadata, purpose, this.accounts);
  }

  private count(kind: RequestKind, opts: CallOptions, n = 1): void {
    if (opts.signal?.aborted) throw new AbortedError(kind);
    this.spend(kind, n);
  }

  private object(name: string): ObjectDef {
    const def = this.data.object(name);
    if (!def) throw new SalesforceApiError('NOT_FOUND', `sObject type '${name}' is not supported`);
    return def;
  }

  async query<T = SfRecord>(
    soql: string,
    onPage?: (rowsSoFar: number, total: number) => void,
    opts: CallOptions = {},
  ): Promise<T[]> {
    this.count('query', opts);
    const rows = this.run<T>(soql);
    onPage?.(rows.length, rows.length);
    return rows;
  }

  private run<T>(soql: string, includeDeleted = false): T[] {
    try {
      const q = compileQuery(soql, this.data, {
        apiVersion: API_VERSION,
        now: Date.now(),
        includeDeleted,
        indexed: (_o, f) => this.data.isIndexed(f),
      });
      return this.data.runQuery(q).map(q.project) as T[];
    } catch (err) {
      return apiError(err);
    }
  }

  async createAndQuery<T = SfRecord>(
    req: CreateAndQuery,
    opts: CallOptions = {},
  ): Promise<CreateAndQueryResult<T>> {
    const creates = req.create ?? [];
    if (createAndQuerySubrequests(req) === 0) return { created: [], rows: [] };
    this.count('composite', opts);
    const now = Date.now();
    const created = creates.map((rec, index): RecordResult => {
      try {
        const def = this.object(rec.attributes?.type ?? '');
        const { id } = this.data.transaction(() => this.data.save(def, fieldsOf(rec), undefined, now));
        return { index, ok: true, id, created: true, errors: [], attempts: 1 };
      } catch (err) {
        if (!(err instanceof SfError)) throw err;
        return { index, ok: false, id: null, created: false, errors: [err.itemError()], attempts: 1 };
      }
    });
    return { created, rows: req.queries.map((q) => this.run<T>(q, req.includeDeleted)) };
  }

  /** Each graph in its own transaction, nodes run through the same save rules as `write`. */
  async graph(graphs: readonly GraphRequest[], opts: CallOptions = {}): Promise<GraphOutcome[]> {
    if (graphs.length === 0) return [];
    const chunks = graphChunks(graphs);
    this.count('graph', opts, chunks.length);
    // As the local org and Salesforce do: a request over 500 nodes is refused whole.
    const nodes = (c: readonly GraphRequest[]) => c.reduce((n, g) => n + g.nodes.length, 0);
    const over = chunks.find((c) => nodes(c) > GRAPH_NODES_PER_REQUEST);
    if (over)
      throw new SalesforceApiError(
        'LIMIT_EXCEEDED',
        `Limit Exceeded: at most ${GRAPH_NODES_PER_REQUEST} nodes per request, got ${nodes(over)}.`,
      );
    return graphs.map((g) => this.runGraph(g));
  }

  private runGraph(g: GraphRequest): GraphOutcome {
    const done = new Map<string, SubrequestResult>();
    const answers: GraphOutcome['nodes'] = [];
    try {
      this.data.transaction(() => {
        for (const node of g.nodes) {
          const path = resolveRefs(node.path, done) as string;
          const body = resolveRefs(node.body ?? {}, done) as SfRecord;
          const out = this.node(node, path, body);
          done.set(node.referenceId, {
            body: out,
            httpHeaders: {},
            httpStatusCode: 200,
            referenceId: node.referenceId,
          });
          answers.push({ referenceId: node.referenceId, status: 200, body: out });
        }
      });
      return { graphId: g.graphId, ok: true, nodes: answers, errors: [] };
    } catch (err) {
      if (err instanceof Unresolved)
        return {
          graphId: g.graphId,
          ok: false,
          nodes: [],
          errors: [{ statusCode: 'PROCESSING_HALTED', message: err.message }],
        };
      if (!(err instanceof SfError)) throw err;
      return { graphId: g.graphId, ok: false, nodes: [], errors: [err.itemError()] };
    }
  }

  /** One graph node: POST sobjects/X, PATCH|DELETE sobjects/X/id, PATCH sobjects/X/field/value. */
  private node(node: GraphNode, path: string, body: SfRecord): { id: string; created: boolean } {
    const [, , sobject, a, b] = path.split('/').map(decodeURIComponent);
    const def = this.object(sobject);
    const now = Date.now();
    if (node.method === 'POST' && a === undefined)
      return { ...this.data.save(def, fieldsOf(body), undefined, now), created: true };
    if (b !== undefined && node.method === 'PATCH') {
      const f = def.fields.get(a.toLowerCase());
      if (!f || !isIdLookup(f)) throw new SfError(404, 'NOT_FOUND', `no external id field ${a}`);
      const out = this.data.upsert(def, f, b, fieldsOf(body), now);
      if ('multiple' in out) throw new SfError(300, 'DUPLICATE_EXTERNAL_ID', `several ${sobject} match`);
      return { id: out.id, created: out.created };
    }
    const existing = this.data.get(def, a ?? '');
    if (!existing || b !== undefined)
      throw new SfError(404, 'NOT_FOUND', `The requested resource does not exist`);
    if (node.method === 'DELETE') this.data.remove(def, existing, now);
    else this.data.save(def, fieldsOf(body), existing, now);
    return { id: existing.Id as string, created: false };
  }

  async write(
    ops: readonly WriteOp[],
    onProgress?: (sent: number) => void,
    opts: CallOptions = {},
  ): Promise<RecordResult[][]> {
    const subrequests = ops.reduce(
      (n, op) => n + Math.ceil((op.kind === 'delete' ? op.ids : op.records).length / COLLECTION_SIZE),
      0,
    );
    if (subrequests > 0) this.count('composite', opts, Math.ceil(subrequests / COMPOSITE_COLLECTIONS));
    return ops.map((op) => {
      const results = this.applyAll(op);
      onProgress?.(results.length);
      return results;
    });
  }

  /** Every record of one batch, each on its own (allOrNone=false): a failure is that record's. */
  private applyAll(op: WriteOp): RecordResult[] {
    const now = Date.now();
    const items: readonly (SfRecord | string)[] = op.kind === 'delete' ? op.ids : op.records;
    return items.map((item, index) => {
      try {
        const { id, created } = this.data.transaction(() => this.apply(op, item, now));
        return { index, ok: true, id, created, errors: [], attempts: 1 };
      } catch (err) {
        if (!(err instanceof SfError)) throw err;
        return { index, ok: false, id: null, created: false, errors: [err.itemError()], attempts: 1 };
      }
    });
  }

  private apply(op: WriteOp, item: SfRecord | string, now: number): { id: string | null; created: boolean } {
    if (op.kind === 'delete') {
      const hit = this.data.byId(toId18(item as string) ?? '');
      // Already gone counts as deleted (the Gateway does the same with ENTITY_IS_DELETED).
      if (hit && !hit.rec.IsDeleted) this.data.remove(hit.def, hit.rec, now);
      return { id: item as string, created: false };
    }
    const rec = item as SfRecord;
    if (op.kind === 'upsert') {
      const def = this.object(op.sobject);
      const f = def.fields.get(op.extIdField.toLowerCase());
      if (!f || !isIdLookup(f)) throw new SfError(404, 'NOT_FOUND', `no external id field ${op.extIdField}`);
      const out = this.data.upsert(def, f, rec[f.name], fieldsOf(rec), now);
      if ('multiple' in out) throw new SfError(300, 'DUPLICATE_EXTERNAL_ID', `several ${op.sobject} match`);
      return { id: out.id, created: out.created };
    }
    const def = this.object(rec.attributes?.type ?? '');
    const existing = this.data.get(def, String(rec.Id ?? rec.id ?? ''));
    if (!existing) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    this.data.save(def, fieldsOf(rec), existing, now);
    return { id: existing.Id as string, created: false };
  }

  async create(sobject: string, record: SfRecord, opts: CallOptions = {}): Promise<{ id: string }> {
    this.count('sobject', opts);
    try {
      const def = this.object(sobject);
      const out = this.data.transaction(() => this.data.save(def, fieldsOf(record), undefined, Date.now()));
      return { id: out.id };
    } catch (err) {
      return apiError(err);
    }
  }

  async upsert(
    sobject: string,
    extIdField: string,
    extId: string,
    record: SfRecord,
    opts: CallOptions = {},
  ): Promise<{ id: string | null; created: boolean }> {
    this.count('sobject', opts);
    try {
      const [result] = this.applyAll({
        kind: 'upsert',
        sobject,
        extIdField,
        records: [{ ...record, [extIdField]: extId }],
      });
      if (!result.ok) throw new SfError(400, result.errors[0].statusCode, result.errors[0].message);
      return { id: result.id, created: result.created };
    } catch (err) {
      return apiError(err);
    }
  }

  /** Deletes here are immediate (no Recycle Bin): every id is already gone. */
  async emptyRecycleBin(ids: readonly string[], opts: CallOptions = {}): Promise<RecordResult[]> {
    if (ids.length) this.count('soap', opts, Math.ceil(ids.length / 200));
    return ids.map((id, index) => ({ index, ok: true, id, created: false, errors: [], attempts: 1 }));
  }

  async limits(opts: CallOptions = {}): Promise<Record<string, unknown>> {
    this.count('limits', opts);
    return {};
  }

  async readMetadata<T = Record<string, unknown>>(
    type: string,
    fullNames: readonly string[],
  ): Promise<(T | null)[]> {
    this.count('metadata', {}, Math.ceil(fullNames.length / 10));
    return fullNames.map((n) => (this.metadata.read(type, n) as T | null) ?? null);
  }

  async listMetadata(types: readonly string[]): Promise<MetadataListing[]> {
    this.count('metadata', {}, Math.ceil(types.length / 3));
    return types.flatMap((t) => this.metadata.list(t));
  }

  async upsertMetadata(
    type: string,
    components: readonly Record<string, unknown>[],
  ): Promise<MetadataUpsertResult[]> {
    this.count('metadata', {}, Math.ceil(components.length / 10));
    return components.map((md) => {
      const r = this.metadata.save(type, md, 'upsert');
      return {
        fullName: r.fullName,
        success: r.success,
        created: r.created === true,
        errors: r.errors ?? [],
      };
    });
  }
}
