import { bizibleIdOf, type ChannelRules, type JoinOptions, type TaskRecord } from '../domain';
import type { SalesforcePort, SfRecord } from '../salesforce/port';
import { applyWriteResults } from './commit';
import { diffPlan, withCallUpdates } from './diff';
import { graphWriter } from './graphs';
import { JoinLedger } from './ledger';
import { OpportunityState } from './opportunity-state';
import { withJoinLock } from './lock';
import { planVisitors } from './plan';
import type { JoinStore } from './runner';
import { inputHash, taskFields } from './task-fields';

/**
 * The join of a batch of calls (calls/batch-write.ts), under the join's lock like a join run: plan
 * the batch's Tasks and their visitors (the same engine and diff as `join`), write one Composite
 * Graph per visitor — its sessions, touchpoints and the Task fields (the call's, WhoId, the join
 * status) together (graphs.ts) — and commit the answers to the ledger as a join run does (commit.ts).
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
  /**
   * Contacts and Leads whose touchpoints were written: the join watch re-plans their Opportunities
   * (R13–R17) after the batch, so a batch itself costs the org no more requests.
   */
  people: string[];
}

export function joinCallBatch(deps: CallBatchJoin, input: CallBatchInput): Promise<CallBatchJoined> {
  const biz = deps.bizibleIdField;
  const fields = taskFields(biz);
  const planTasks = input.tasks.filter(
    (t) => input.batchTaskIds.has(t.Id) || input.visitors.has(bizibleIdOf(t, biz) ?? ''),
  );
  const planned = planTasks.map((t) => ({
    id: t.Id,
    visitor: bizibleIdOf(t, biz),
    inHash: inputHash(t, fields),
  }));
  const taskVisitor = new Map(planned.map((t) => [t.id, t.visitor]));
  const planVisitorIds = [...new Set(planned.flatMap((t) => (t.visitor ? [t.visitor] : [])))];
  return withJoinLock(
    deps.store,
    'call batch',
    async () => {
      const lockedAt = Date.now();
      const ledger = new JoinLedger(deps.store);
      const visitorLedgers = await ledger.visitors(planVisitorIds);
      const known = await ledger.tasks(planned.map((t) => t.id));
      const taskLedgers = new Map(planned.map((t) => [t.id, known.get(t.id) ?? null]));
      const plan = await planVisitors(deps.store, planTasks, planVisitorIds, {
        rules: deps.rules,
        bizibleIdField: biz,
        joinOptions: deps.joinOptions,
        conversions: await new OpportunityState(deps.store).conversions(),
      });
      const joinDiff = withCallUpdates(diffPlan(plan, visitorLedgers, taskLedgers), input.callUpdates);
      // Ledger entries older than Ids are left in the ledger for a join run, which looks them up.
      const diff = { ...joinDiff, deletes: joinDiff.deletes.filter((d) => d.id) };
      const writer = graphWriter(deps.sf, taskVisitor);
      const results = await writer.write(diff, { signal: deps.signal });
      const applied = applyWriteResults({ diff, results, visitorLedgers, taskLedgers, tasks: planned });
      await ledger.commit(applied.ledger);

      // A Task whose visitor (or itself) failed: its call goes to the single-call path.
      const failedTasks = new Map<string, string>();
      for (const t of planned) {
        const why = applied.reasons.get(t.visitor ?? t.id);
        if (why) failedTasks.set(t.id, why);
      }
      const people = new Set<string>();
      diff.touchpoints.forEach((t, i) => {
        if (!results.touchpoints[i]?.ok) return;
        for (const f of ['Contact__c', 'Lead__c'])
          if (typeof t.rec[f] === 'string') people.add(t.rec[f] as string);
      });
      return {
        people: [...people],
        graphs: writer.stats.graphs,
        graphsFailed: writer.stats.failed,
        durationMs: Date.now() - lockedAt,
        failedTasks,
      };
    },
    deps.signal,
  );
}
