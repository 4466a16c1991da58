import { recordOfKey, type JoinDiff, type PendingDelete, type PendingUpsert } from './diff';
import type { TaskRecord } from '../domain';
import type { TaskLedger, VisitorLedger } from './ledger';
import { inputHash } from './task-fields';
import {
  describeErrors,
  type GraphNode,
  type GraphOutcome,
  type GraphRequest,
  type SfRecord,
} from '../salesforce/port';

/**
 * A batch of calls as Composite Graphs, pure: one graph per visitor (its Web Sessions, Touchpoints,
 * the Task fields of its calls — the call's own fields, WhoId and the join's status — and the
 * records that dropped out of its plan), one per call without a visitor. A graph is written whole or
 * not at all, so one bad record fails its visitor's calls only and the rest of the batch is written
 * ("Composite Graph", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_graph.htm).
 * Order inside a graph is the join's: sessions, touchpoints (they name sessions by key), Tasks (they
 * name touchpoints by key), then deletes. References are whole values only (`{ Touchpoint_Key__c }`),
 * never an `@{…}` inside a longer string.
 */

export interface GraphPart {
  graph: GraphRequest;
  /** null: a call without BizibleId. */
  visitor: string | null;
  upserts: { pending: PendingUpsert; referenceId: string }[];
  deletes: PendingDelete[];
  /** Tasks written by this graph, and the join hash of the update (null: call fields only). */
  tasks: { id: string; joinHash: string | null }[];
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

const withoutIdentity = ({ Id: _id, attributes: _a, ...rest }: SfRecord): SfRecord => rest;

/**
 * `callUpdates`: per batch Task, the call's fields to write (WhoId included; empty when the Task was
 * created with them). `taskVisitor`: every planned Task's visitor.
 */
export function callGraphs(
  diff: JoinDiff,
  callUpdates: ReadonlyMap<string, SfRecord>,
  taskVisitor: ReadonlyMap<string, string | null>,
): GraphPart[] {
  const parts = new Map<string, GraphPart>();
  const partOf = (visitor: string | null, taskId?: string): GraphPart => {
    const key = visitor !== null ? `v:${visitor}` : `t:${taskId}`;
    let part = parts.get(key);
    if (!part) {
      part = {
        graph: { graphId: `g${parts.size}`, nodes: [] },
        visitor,
        upserts: [],
        deletes: [],
        tasks: [],
      };
      parts.set(key, part);
    }
    return part;
  };
  const nodes = (p: GraphPart) => p.graph.nodes as GraphNode[];
  for (const p of [...diff.webSessions, ...diff.touchpoints]) {
    const part = partOf(p.visitor);
    const referenceId = `${recordOfKey(p.key).prefix.slice(0, 2)}${part.upserts.length}`;
    part.upserts.push({ pending: p, referenceId });
    nodes(part).push(upsertNode(p, referenceId));
  }
  const joinUpdates = new Map(diff.tasks.map((t) => [t.id, t]));
  for (const id of new Set([...joinUpdates.keys(), ...callUpdates.keys()])) {
    const join = joinUpdates.get(id);
    const body = { ...(callUpdates.get(id) ?? {}), ...(join ? withoutIdentity(join.rec) : {}) };
    if (Object.keys(body).length === 0) continue;
    const part = partOf(taskVisitor.get(id) ?? null, id);
    nodes(part).push({
      method: 'PATCH',
      path: `/sobjects/Task/${id}`,
      referenceId: `task${part.tasks.length}`,
      body,
    });
    part.tasks.push({ id, joinHash: join?.hash ?? null });
  }
  for (const d of diff.deletes) {
    // Entries written before Ids were kept: the join runner resolves and deletes those.
    if (!d.id) continue;
    const part = partOf(d.visitor);
    const { sobject } = recordOfKey(d.key);
    nodes(part).push({
      method: 'DELETE',
      path: `/sobjects/${sobject}/${d.id}`,
      referenceId: `del${part.deletes.length}`,
    });
    part.deletes.push(d);
  }
  return [...parts.values()];
}

/** What a written graph changes in its visitor's ledger: record hashes and Ids, deletes gone. */
function recordGraph(part: GraphPart, outcome: GraphOutcome, led: VisitorLedger): void {
  const idOf = new Map(outcome.nodes.map((n) => [n.referenceId, (n.body as { id?: unknown } | null)?.id]));
  for (const { pending, referenceId } of part.upserts) {
    const id = idOf.get(referenceId);
    led.records[pending.key] = { h: pending.hash, id: typeof id === 'string' ? id : null };
  }
  for (const d of part.deletes) delete led.records[d.key];
}

export interface GraphLedger {
  /** Visitors whose graphs were all written, with their new ledger. */
  visitors: Map<string, VisitorLedger>;
  tasks: Map<string, TaskLedger>;
  /** Task id → why its graph failed (the Task's call goes to the single-call path). */
  failedTasks: Map<string, string>;
}

/**
 * The ledger after the graphs, pure: a visitor (or lone Task) whose graph failed keeps its old
 * entries, so the next run plans it again; the others record what was written. `visitorLedgers`
 * and `taskLedgers` are what the plan was diffed against (not modified).
 */
export function ledgerAfterGraphs(input: {
  parts: readonly GraphPart[];
  outcomes: readonly GraphOutcome[];
  planTasks: readonly TaskRecord[];
  taskVisitor: ReadonlyMap<string, string | null>;
  visitorLedgers: ReadonlyMap<string, VisitorLedger>;
  taskLedgers: ReadonlyMap<string, TaskLedger | null>;
  fields: string[];
}): GraphLedger {
  const { parts, outcomes, planTasks, taskVisitor } = input;
  const out: GraphLedger = { visitors: new Map(), tasks: new Map(), failedTasks: new Map() };
  const outHash = new Map<string, string>();
  const written = new Map<string, VisitorLedger>(
    [...input.visitorLedgers].map(([v, led]) => [v, { tasks: [...led.tasks], records: { ...led.records } }]),
  );
  parts.forEach((part, k) => {
    const outcome = outcomes[k];
    if (!outcome.ok) {
      const reason = describeErrors(outcome);
      const inPart = (id: string) =>
        part.visitor !== null ? taskVisitor.get(id) === part.visitor : part.tasks.some((x) => x.id === id);
      for (const t of planTasks) if (inPart(t.Id)) out.failedTasks.set(t.Id, reason);
      return;
    }
    if (part.visitor !== null) recordGraph(part, outcome, written.get(part.visitor)!);
    for (const t of part.tasks) if (t.joinHash) outHash.set(t.id, t.joinHash);
  });
  for (const [v, led] of written) {
    const own = planTasks.filter((t) => taskVisitor.get(t.Id) === v);
    if (own.some((t) => out.failedTasks.has(t.Id))) continue;
    out.visitors.set(v, { ...led, tasks: own.map((t) => t.Id) });
  }
  for (const t of planTasks) {
    if (out.failedTasks.has(t.Id)) continue;
    out.tasks.set(t.Id, {
      v: taskVisitor.get(t.Id) ?? null,
      in: inputHash(t, input.fields),
      out: outHash.get(t.Id) ?? input.taskLedgers.get(t.Id)?.out ?? null,
    });
  }
  return out;
}
