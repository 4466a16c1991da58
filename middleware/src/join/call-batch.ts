import { bizibleIdOf, type ChannelRules, type JoinOptions } from '../domain';
import { GRAPH_NODES_PER_REQUEST } from '../salesforce/composite-limits';
import type { GraphOutcome, SalesforcePort, SfRecord } from '../salesforce/port';
import { diffPlan } from './diff';
import { callGraphs, ledgerAfterGraphs } from './graphs';
import { JoinLedger } from './ledger';
import { withJoinLock } from './lock';
import { planVisitors } from './plan';
import type { JoinStore } from './runner';
import { taskFields } from './task-fields';
import type { TaskRecord } from '../domain';

/**
 * The join of a batch of calls (calls/batch-write.ts), under the join's lock like a join run: plan
 * the batch's Tasks and their visitors (the same engine and diff as `join`), write one Composite
 * Graph per visitor — its sessions, touchpoints and the Task fields (the call's, WhoId, the join
 * status) together — and record what was written in the ledger.
 */

export interface CallBatchJoin {
  sf: SalesforcePort;
  store: JoinStore;
  /** R1. */
  bizibleIdField: string;
  rules?: ChannelRules;
  joinOptions?: Partial<JoinOptions>;
  signal?: AbortSignal;
}

export interface CallBatchInput {
  /** The Tasks read with the batch: the batch's own and the other calls of its visitors. */
  tasks: readonly TaskRecord[];
  /** The batch's own Tasks (they are planned whatever their visitor). */
  batchTaskIds: ReadonlySet<string>;
  /** The batch's visitors: their other call Tasks are planned too (R9 positions). */
  visitors: ReadonlySet<string>;
  /** Per batch Task, the call's fields to write with the join's (empty: created with them). */
  callUpdates: ReadonlyMap<string, SfRecord>;
}

export interface CallBatchJoined {
  graphs: number;
  graphsFailed: number;
  /** Time the join lock was held. */
  durationMs: number;
  /** Task id → why its graph failed (its call goes to the single-call path). */
  failedTasks: Map<string, string>;
}

export function joinCallBatch(deps: CallBatchJoin, input: CallBatchInput): Promise<CallBatchJoined> {
  const biz = deps.bizibleIdField;
  const fields = taskFields(biz);
  const planTasks = input.tasks.filter(
    (t) => input.batchTaskIds.has(t.Id) || input.visitors.has(bizibleIdOf(t, biz) ?? ''),
  );
  const taskVisitor = new Map(planTasks.map((t) => [t.Id, bizibleIdOf(t, biz)]));
  const planVisitorIds = [...new Set([...taskVisitor.values()].filter((v): v is string => v !== null))];
  return withJoinLock(
    deps.store,
    'call batch',
    async () => {
      const lockedAt = Date.now();
      const ledger = new JoinLedger(deps.store);
      const visitorLedgers = await ledger.visitors(planVisitorIds);
      const known = await ledger.tasks(planTasks.map((t) => t.Id));
      const taskLedgers = new Map(planTasks.map((t) => [t.Id, known.get(t.Id) ?? null]));
      const plan = await planVisitors(deps.store, planTasks, planVisitorIds, {
        rules: deps.rules,
        bizibleIdField: biz,
        joinOptions: deps.joinOptions,
      });
      const parts = callGraphs(diffPlan(plan, visitorLedgers, taskLedgers), input.callUpdates, taskVisitor);
      // A visitor whose records alone exceed one graph request (500 nodes) is left to the
      // single-call path and the join runner, which writes in collections of 200.
      const fits = parts.filter((p) => p.graph.nodes.length <= GRAPH_NODES_PER_REQUEST);
      const sent = await deps.sf.graph(
        fits.map((p) => p.graph),
        { signal: deps.signal },
      );
      const outcomes = parts.map(
        (p): GraphOutcome =>
          sent[fits.indexOf(p)] ?? {
            graphId: p.graph.graphId,
            ok: false,
            nodes: [],
            errors: [
              {
                statusCode: 'TOO_MANY_NODES',
                message: `${p.graph.nodes.length} records: more than one graph can hold`,
              },
            ],
          },
      );
      const next = ledgerAfterGraphs({
        parts,
        outcomes,
        planTasks,
        taskVisitor,
        visitorLedgers,
        taskLedgers,
        fields,
      });
      await ledger.commit({ visitors: next.visitors, tasks: next.tasks });
      return {
        graphs: parts.length,
        graphsFailed: outcomes.filter((o) => !o.ok).length,
        durationMs: Date.now() - lockedAt,
        failedTasks: next.failedTasks,
      };
    },
    deps.signal,
  );
}
