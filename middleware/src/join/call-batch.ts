import {
  bizibleIdOf,
  type CallerOutcome,
  type ChannelRules,
  type JoinOptions,
  type TaskRecord,
} from '../domain';
import type { SalesforcePort, SfRecord } from '../salesforce/port';
import { soqlList, soqlName } from '../salesforce/soql';
import { decideCallers, settleCallers, type CreateOutcome } from './caller-leads';
import { applyWriteResults, plannedTask } from './commit';
import { diffPlan, withCallUpdates } from './diff';
import { graphWriter, type LeadOutcome } from './graphs';
import { leadsToCreate, resolveLeads, type PendingLead } from './lead-nodes';
import { JoinLedger, type TaskLedger } from './ledger';
import { TASK_LEFT_ALONE } from '../store/types';
import { withJoinLock } from './lock';
import { OpportunityState } from './opportunity-state';
import { personCookies, whoIdsOf } from './persons';
import { planVisitors } from './plan';
import { IN_CHUNK } from './read';
import type { JoinStore } from './runner';
import { inputHash, taskFields, taskSelectFields } from './task-fields';

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
  /** PRIVACY_SALT (unset: the store's salt): finds the visitors on the suppression list (R8, plan.ts). */
  privacySalt?: string | null;
}

export interface CallBatchInput {
  /** The Tasks read with the batch: the batch's own and the other calls of its visitors. */
  tasks: readonly TaskRecord[];
  /** The batch's own Tasks (they are planned whatever their visitor). */
  batchTaskIds: ReadonlySet<string>;
  /** The batch's visitors: their other call Tasks are planned too (R9 positions). */
  visitors: ReadonlySet<string>;
  /**
   * Visitors whose call Tasks are all in `tasks` (default `visitors`): the batch's and the other
   * cookies of their people the ledger knew before the read (R21, persons.ts).
   */
  readVisitors?: ReadonlySet<string>;
  /** Per batch Task, the call's fields to write with the join's (empty: created with them). */
  callUpdates: ReadonlyMap<string, SfRecord>;
  /**
   * UNKNOWN_CALLER=create-lead (R18, R19): the batch's Tasks from numbers no Lead or Contact had when
   * they were looked up (`lookedUpAt`); each is linked to the one Lead of its number, found or created.
   */
  unknownCallers?: readonly UnknownCallerTask[];
  lookedUpAt?: number;
  /**
   * Batch Tasks of calls from suppressed numbers (R24): not planned, nothing of the join written to
   * them, and their ledger entry says `left-alone` so no later run plans them either.
   */
  leftAlone?: ReadonlySet<string>;
  /** R20, R23: per Task the lookup linked, why its record was picked among several (null: one match). */
  callerOutcomes?: ReadonlyMap<string, CallerOutcome | null>;
}

export interface UnknownCallerTask {
  taskId: string;
  /** E.164. */
  number: string;
  /** The number as people read it (the new Lead's placeholder name). */
  displayNumber: string;
}

export interface CallBatchJoined {
  graphs: number;
  graphsFailed: number;
  /** Time the join lock was held. */
  durationMs: number;
  /** Task id → why its graph failed (its call goes to the single-call path). */
  failedTasks: Map<string, string>;
  /** Task id → the Lead or Contact found or created for its unknown caller (R18, R19). */
  callers: Map<string, { whoId: string; how: 'created' | 'matched' | 'remembered' }>;
  /**
   * Contacts and Leads whose touchpoints were written: the join watch re-plans their Opportunities
   * (R13–R17) after the batch, so a batch itself costs the org no more requests.
   */
  people: string[];
}

interface Pass {
  graphs: number;
  failed: number;
  failedTasks: Map<string, string>;
  leads: LeadOutcome[];
  people: string[];
}

/** Plan, diff, write and commit these Tasks once (the lock is held by the caller). */
async function writePass(
  deps: CallBatchJoin,
  input: CallBatchInput,
  callUpdates: ReadonlyMap<string, SfRecord>,
  pending: readonly PendingLead[],
  callers: ReadonlyMap<string, CallerOutcome | null>,
): Promise<Pass> {
  const biz = deps.bizibleIdField;
  const fields = taskFields(biz);
  const leftAlone = input.leftAlone ?? new Set<string>();
  const ledger = new JoinLedger(deps.store);
  const conversions = await new OpportunityState(deps.store).conversions();
  const planTasks = (await tasksToPlan(deps, input, ledger, conversions)).filter((t) => !leftAlone.has(t.Id));
  const taskVisitor = new Map(planTasks.map((t) => [t.Id, bizibleIdOf(t, biz)]));
  const planVisitorIds = [
    ...new Set(planTasks.flatMap((t) => (bizibleIdOf(t, biz) ? [bizibleIdOf(t, biz)!] : []))),
  ];
  const visitorLedgers = await ledger.visitors(planVisitorIds);
  const known = await ledger.tasks(planTasks.map((t) => t.Id));
  const taskLedgers = new Map(planTasks.map((t) => [t.Id, known.get(t.Id) ?? null]));
  const plan = await planVisitors(deps.store, planTasks, planVisitorIds, {
    rules: deps.rules,
    bizibleIdField: biz,
    joinOptions: deps.joinOptions,
    conversions,
    callers,
    privacySalt: deps.privacySalt,
  });
  const joinDiff = withCallUpdates(diffPlan(plan, visitorLedgers, taskLedgers), callUpdates);
  // Ledger entries older than Ids are left in the ledger for a join run, which looks them up.
  const written = { ...joinDiff, deletes: joinDiff.deletes.filter((d) => d.id) };
  for (const id of leftAlone) if (input.batchTaskIds.has(id)) taskVisitor.set(id, null);
  const writer = graphWriter(deps.sf, taskVisitor, leadsToCreate(pending, plan));
  const results = await writer.write(written, { signal: deps.signal });
  // What was sent named new Leads by their pending Ids: the ledger keeps the Ids the org gave them.
  const diff = resolveLeads(written, planTasks, writer.leads);
  const planned = planTasks.map((t) => plannedTask(t, biz, fields));
  const applied = applyWriteResults({ diff, results, visitorLedgers, taskLedgers, tasks: planned });
  await ledger.commit({ ...applied.ledger, tasks: withLeftAlone(applied.ledger.tasks, input, fields) });

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
    graphs: writer.stats.graphs,
    failed: writer.stats.failed,
    failedTasks,
    leads: writer.leads,
    people: [...people],
  };
}

/** R24: the ledger entries with the batch's left-alone Tasks marked so, their input hash as now. */
function withLeftAlone(
  tasks: ReadonlyMap<string, TaskLedger>,
  input: CallBatchInput,
  fields: string[],
): Map<string, TaskLedger> {
  const out = new Map(tasks);
  for (const t of input.tasks)
    if (input.leftAlone?.has(t.Id) && input.batchTaskIds.has(t.Id))
      out.set(t.Id, { v: null, in: inputHash(t, fields), out: TASK_LEFT_ALONE });
  return out;
}

/**
 * The Tasks a pass plans: the batch's, those of its visitors, and (R21) those of the other cookies of
 * the people they name (persons.ts, from the ledger). Cookies read with the batch (`readVisitors`)
 * cost nothing more; one the ledger tied to the person only now (a person's call from a cookie not
 * seen with them before) is read by one query per 250 cookies.
 */
async function tasksToPlan(
  deps: CallBatchJoin,
  input: CallBatchInput,
  ledger: JoinLedger,
  conversions: ReadonlyMap<string, string>,
): Promise<TaskRecord[]> {
  const biz = deps.bizibleIdField;
  const visitorOf = (t: TaskRecord) => bizibleIdOf(t, biz) ?? '';
  const planTasks = input.tasks.filter(
    (t) => input.batchTaskIds.has(t.Id) || input.visitors.has(visitorOf(t)),
  );
  const visitors = new Set(planTasks.map(visitorOf).filter((v) => v));
  const others = await personCookies(ledger, visitors, whoIdsOf(planTasks), conversions);
  if (!others.length) return planTasks;
  const read = input.readVisitors ?? input.visitors;
  const withRead = new Set(others.filter((v) => read.has(v)));
  const more = input.tasks.filter((t) => withRead.has(visitorOf(t)));
  const unread = others.filter((v) => !read.has(v));
  for (let i = 0; i < unread.length; i += IN_CHUNK)
    more.push(
      ...(await deps.sf.query<TaskRecord>(
        `SELECT ${taskSelectFields(taskFields(biz))} FROM Task WHERE ${soqlName(biz)} IN (${soqlList(unread.slice(i, i + IN_CHUNK))})`,
        undefined,
        { signal: deps.signal },
      )),
    );
  const planned = new Set(planTasks.map((t) => t.Id));
  for (const t of more)
    if (!planned.has(t.Id)) {
      planned.add(t.Id);
      planTasks.push(t);
    }
  return planTasks;
}

/** A blocked Lead's duplicate-rule match (R19), if that is why its graph failed. */
function duplicateMatch(o: LeadOutcome): string | null {
  return (
    o.errors.find((e) => e.statusCode === 'DUPLICATES_DETECTED' && e.matchIds?.length)?.matchIds?.[0] ?? null
  );
}

export function joinCallBatch(deps: CallBatchJoin, input: CallBatchInput): Promise<CallBatchJoined> {
  return withJoinLock(
    deps.store,
    'call batch',
    async () => {
      const lockedAt = Date.now();
      const rows = new Map(input.tasks.map((t) => [t.Id, t]));
      const callUpdates = new Map(input.callUpdates);
      const link = (taskId: string, whoId: string) => {
        rows.get(taskId)!.WhoId = whoId;
        callUpdates.set(taskId, { ...(callUpdates.get(taskId) ?? {}), WhoId: whoId });
      };
      const unknown = input.unknownCallers ?? [];
      const decisions = unknown.length
        ? await decideCallers(
            deps.store,
            unknown.map((u) => u.number),
            input.lookedUpAt ?? 0,
            lockedAt,
          )
        : new Map();
      const callers: CallBatchJoined['callers'] = new Map();
      // R23: how each Task's person was found, for its reason and detail.
      const outcomes = new Map<string, CallerOutcome | null>(input.callerOutcomes ?? []);
      const pending = new Map<string, PendingLead>();
      for (const u of unknown) {
        const d = decisions.get(u.number)!;
        if (d.kind === 'link') {
          link(u.taskId, d.whoId);
          callers.set(u.taskId, { whoId: d.whoId, how: 'remembered' });
          outcomes.set(u.taskId, { kind: d.how });
        } else if (d.kind === 'create') {
          link(u.taskId, d.pendingId);
          outcomes.set(u.taskId, { kind: 'created' });
          const p: PendingLead = pending.get(d.pendingId) ?? { ...u, pendingId: d.pendingId, taskIds: [] };
          p.taskIds.push(u.taskId);
          pending.set(d.pendingId, p);
        }
      }

      const first = await writePass(deps, input, callUpdates, [...pending.values()], outcomes);
      const settled = new Map<string, CreateOutcome>();
      const retry = new Set<string>();
      for (const o of first.leads) {
        const p = pending.get(o.pendingId)!;
        const match = o.id ? null : duplicateMatch(o);
        const whoId = o.id ?? match;
        settled.set(p.number, whoId ? { whoId, how: o.id ? 'created' : 'matched' } : null);
        if (!whoId) continue;
        for (const t of p.taskIds) callers.set(t, { whoId, how: o.id ? 'created' : 'matched' });
        for (const t of p.taskIds) link(t, whoId);
        for (const t of p.taskIds) outcomes.set(t, { kind: o.id ? 'created' : 'matched' });
        // A duplicate rule blocked the Lead (and so its graph): link its calls to the match instead.
        if (match) o.taskIds.forEach((t) => retry.add(t));
      }
      let second: Pass | null = null;
      if (retry.size) {
        const again = {
          ...input,
          batchTaskIds: new Set([...input.batchTaskIds].filter((t) => retry.has(t))),
        };
        const visitors = new Set(
          [...retry].flatMap((t) => bizibleIdOf(rows.get(t)!, deps.bizibleIdField) ?? []),
        );
        second = await writePass(deps, { ...again, visitors }, callUpdates, [], outcomes);
      }
      await settleCallers(deps.store, settled, Date.now());

      const failedTasks = new Map([...first.failedTasks].filter(([t]) => !retry.has(t)));
      for (const [t, why] of second?.failedTasks ?? []) failedTasks.set(t, why);
      return {
        graphs: first.graphs + (second?.graphs ?? 0),
        graphsFailed: first.failed + (second?.failed ?? 0),
        durationMs: Date.now() - lockedAt,
        failedTasks,
        callers,
        people: [...new Set([...first.people, ...(second?.people ?? [])])],
      };
    },
    deps.signal,
  );
}
