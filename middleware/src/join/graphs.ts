import { GRAPH_NODES_PER_REQUEST } from '../salesforce/composite-limits';
import type {
  GraphNode,
  GraphOutcome,
  GraphRequest,
  RecordError,
  RecordResult,
  SalesforcePort,
  SfRecord,
} from '../salesforce/port';
import { recordOfKey, type JoinDiff, type PendingUpsert } from './diff';
import type { JoinWriteResults, JoinWriter } from './write';

/**
 * The graph writer (a JoinWriter): a batch of calls' diff as Composite Graphs, one graph per visitor (its Web Sessions, Touchpoints,
 * the Task fields of its calls — the call's own fields, WhoId and the join's status — and the
 * records that dropped out of its plan), one per call without a visitor. A graph is written whole or
 * not at all, so one bad record fails its visitor's calls only and the rest of the batch is written
 * ("Composite Graph", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph.htm).
 * Order inside a graph is the join's: sessions, touchpoints (they name sessions by key), Tasks (they
 * name touchpoints by key), then deletes. References are whole values only (`{ Touchpoint_Key__c }`),
 * never an `@{…}` inside a longer string.
 */

/**
 * A Lead to create with its calls (R18, join/caller-leads.ts): a node at the head of the graph that
 * holds all its Tasks — their visitors' graphs become one, so every Task and touchpoint naming the
 * pending Id references the one Lead (`@{leadN.id}`) and one failure fails them together.
 */
export interface LeadToCreate {
  pendingId: string;
  taskIds: readonly string[];
  body: SfRecord;
}

/** What became of a Lead node: its Id, or the errors of its graph (with a duplicate rule's matches). */
export interface LeadOutcome {
  pendingId: string;
  id: string | null;
  errors: RecordError[];
  /** The Tasks whose graph held the Lead. */
  taskIds: string[];
}

/** One graph and the records of the diff it carries (their indexes in the diff's lists). */
interface GraphPart {
  graph: GraphRequest;
  /** pendingId → the Lead node's referenceId. */
  leads: Map<string, string>;
  taskIds: string[];
  /** Per list of the diff: index in the list → the node's referenceId. */
  webSessions: Map<number, string>;
  touchpoints: Map<number, string>;
  tasks: Map<number, string>;
  deletes: Map<number, string>;
}

function upsertNode(p: PendingUpsert, referenceId: string): GraphNode {
  const { sobject, extIdField, extId } = recordOfKey(p.key);
  // The external id is in the URL; Salesforce does not take it in the body of an upsert by it.
  const { [extIdField]: _inUrl, ...body } = p.rec;
  return {
    method: 'PATCH',
    path: `/sobjects/${sobject}/${extIdField}/${encodeURIComponent(extId)}`,
    referenceId,
    body,
  };
}

/** Graph keys joined by the Leads to create (each Lead's Tasks' keys become one): key → its group's key. */
function groupKeys(
  leads: readonly LeadToCreate[],
  keyOfTask: (id: string) => string,
): (key: string) => string {
  const parent = new Map<string, string>();
  const root = (k: string): string => {
    const p = parent.get(k);
    return p === undefined || p === k ? k : root(p);
  };
  for (const lead of leads) {
    const [first, ...rest] = lead.taskIds.map(keyOfTask);
    for (const k of rest) if (root(k) !== root(first)) parent.set(root(k), root(first));
  }
  return root;
}

/** Every value of a node's body that is a pending Lead Id → a reference to that Lead's node. */
function referenceLeads(part: GraphPart): void {
  if (!part.leads.size) return;
  for (const node of part.graph.nodes as GraphNode[]) {
    if (!node.body) continue;
    for (const [field, value] of Object.entries(node.body)) {
      const ref = typeof value === 'string' ? part.leads.get(value) : undefined;
      if (ref) node.body[field] = `@{${ref}.id}`;
    }
  }
}

/**
 * One graph per visitor, one per Task without one; the graphs of a Lead's Tasks are one graph
 * (LeadToCreate). `taskVisitor`: every planned Task's visitor.
 */
export function callGraphs(
  diff: JoinDiff,
  taskVisitor: ReadonlyMap<string, string | null>,
  leads: readonly LeadToCreate[] = [],
): GraphPart[] {
  const keyOfTask = (id: string) => {
    const visitor = taskVisitor.get(id) ?? null;
    return visitor !== null ? `v:${visitor}` : `t:${id}`;
  };
  const group = groupKeys(leads, keyOfTask);
  const parts = new Map<string, GraphPart>();
  const partOf = (key: string): GraphPart => {
    let part = parts.get(group(key));
    if (!part) {
      const graph = { graphId: `g${parts.size}`, nodes: [] };
      part = {
        graph,
        leads: new Map(),
        taskIds: [],
        webSessions: new Map(),
        touchpoints: new Map(),
        tasks: new Map(),
        deletes: new Map(),
      };
      parts.set(group(key), part);
    }
    return part;
  };
  leads.forEach((lead, k) => {
    const part = partOf(keyOfTask(lead.taskIds[0]));
    const referenceId = `lead${k}`;
    part.leads.set(lead.pendingId, referenceId);
    (part.graph.nodes as GraphNode[]).push({
      method: 'POST',
      path: '/sobjects/Lead',
      referenceId,
      body: lead.body,
    });
  });
  const add = (part: GraphPart, list: Map<number, string>, i: number, node: GraphNode) => {
    list.set(i, node.referenceId);
    (part.graph.nodes as GraphNode[]).push(node);
  };
  for (const kind of ['webSessions', 'touchpoints'] as const)
    diff[kind].forEach((p, i) => {
      const part = partOf(`v:${p.visitor}`);
      const ref = `${recordOfKey(p.key).prefix.slice(0, 2)}${part.webSessions.size + part.touchpoints.size}`;
      add(part, part[kind], i, upsertNode(p, ref));
    });
  diff.tasks.forEach((t, i) => {
    const part = partOf(keyOfTask(t.id));
    part.taskIds.push(t.id);
    const { Id: _id, attributes: _a, ...body } = t.rec;
    add(part, part.tasks, i, {
      method: 'PATCH',
      path: `/sobjects/Task/${t.id}`,
      referenceId: `task${part.tasks.size}`,
      body,
    });
  });
  diff.deletes.forEach((d, i) => {
    if (!d.id) throw new Error(`graph writer: delete of ${d.key} without an Id`);
    const part = partOf(`v:${d.visitor}`);
    add(part, part.deletes, i, {
      method: 'DELETE',
      path: `/sobjects/${recordOfKey(d.key).sobject}/${d.id}`,
      referenceId: `del${part.deletes.size}`,
    });
  });
  for (const part of parts.values()) referenceLeads(part);
  return [...parts.values()];
}

/** Per Lead node of `parts`: the Id the org gave it, or why its graph failed. */
export function leadOutcomes(parts: readonly GraphPart[], outcomes: readonly GraphOutcome[]): LeadOutcome[] {
  return parts.flatMap((part, k) =>
    [...part.leads].map(([pendingId, ref]) => {
      const o = outcomes[k];
      const body = o.ok
        ? (o.nodes.find((n) => n.referenceId === ref)?.body as { id?: unknown } | undefined)
        : undefined;
      return {
        pendingId,
        id: typeof body?.id === 'string' ? body.id : null,
        errors: o.ok ? [] : o.errors,
        taskIds: part.taskIds,
      };
    }),
  );
}

/** A graph too big for one request (500 nodes) is not sent: its records fail with this. */
const tooBig = (p: GraphPart): GraphOutcome => ({
  graphId: p.graph.graphId,
  ok: false,
  nodes: [],
  errors: [
    {
      statusCode: 'TOO_MANY_NODES',
      message: `${p.graph.nodes.length} records: more than one graph can hold`,
    },
  ],
});

/** The graphs' outcomes as the per-record answers every writer gives (a graph is all or nothing). */
export function graphResults(
  diff: JoinDiff,
  parts: readonly GraphPart[],
  outcomes: readonly GraphOutcome[],
): JoinWriteResults {
  const results: JoinWriteResults = {
    webSessions: [],
    touchpoints: [],
    tasks: [],
    deletes: diff.deletes.map(() => null),
  };
  parts.forEach((part, k) => {
    const outcome = outcomes[k];
    const body = new Map(
      outcome.nodes.map((n) => [n.referenceId, n.body as { id?: unknown; created?: unknown }]),
    );
    const result = (index: number, ref: string): RecordResult => {
      const b = outcome.ok ? body.get(ref) : undefined;
      return {
        index,
        ok: outcome.ok,
        id: typeof b?.id === 'string' ? b.id : null,
        created: b?.created === true,
        errors: outcome.ok ? [] : outcome.errors,
        attempts: 1,
      };
    };
    for (const kind of ['webSessions', 'touchpoints', 'tasks', 'deletes'] as const)
      for (const [i, ref] of part[kind]) results[kind][i] = result(i, ref);
  });
  return results;
}

/**
 * The batch of calls' writer: one Composite Graph per visitor (see above). Deletes need their Ids
 * (call-batch.ts leaves ledger entries older than Ids to a join run, which looks them up).
 */
export interface GraphWriter extends JoinWriter {
  /** Graphs of the last write, and how many of them failed (for the batch's log line). */
  readonly stats: { graphs: number; failed: number };
  /** What became of the Leads of the last write (LeadToCreate). */
  readonly leads: LeadOutcome[];
}

export function graphWriter(
  sf: SalesforcePort,
  taskVisitor: ReadonlyMap<string, string | null>,
  leads: readonly LeadToCreate[] = [],
): GraphWriter {
  const stats = { graphs: 0, failed: 0 };
  const leadList: LeadOutcome[] = [];
  return {
    stats,
    leads: leadList,
    async write(diff, opts = {}) {
      const parts = callGraphs(diff, taskVisitor, leads);
      // A visitor whose records alone exceed one graph request (500 nodes) is left to the
      // single-call path and the join runner, which writes in collections of 200.
      const fits = parts.filter((p) => p.graph.nodes.length <= GRAPH_NODES_PER_REQUEST);
      const sent = await sf.graph(
        fits.map((p) => p.graph),
        { signal: opts.signal },
      );
      const outcomes = parts.map((p) => sent[fits.indexOf(p)] ?? tooBig(p));
      stats.graphs = parts.length;
      stats.failed = outcomes.filter((o) => !o.ok).length;
      opts.tick?.(parts.reduce((n, p) => n + p.graph.nodes.length, 0));
      leadList.splice(0, leadList.length, ...leadOutcomes(parts, outcomes));
      return graphResults(diff, parts, outcomes);
    },
  };
}
