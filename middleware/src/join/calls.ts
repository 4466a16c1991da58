import type { CallerOutcome, TaskRecord } from '../domain';
import type { RecordResult, SfRecord } from '../salesforce/port';
import { soqlList, soqlName } from '../salesforce/soql';
import {
  joinCallBatch,
  type CallBatchJoin,
  type CallBatchJoined,
  type UnknownCallerTask,
} from './call-batch';
import { JoinLedger } from './ledger';
import { OpportunityState } from './opportunity-state';
import { personCookies } from './persons';
import { taskFields, taskSelectFields } from './task-fields';

/**
 * The join's one door for the calls pipeline (calls/batch-write.ts): a claimed batch of calls is
 * written and joined in two org requests, whatever its size.
 *
 * 1. One Composite request: the calls' Task creates and the pipeline's own queries (the caller
 *    lookup), then the Tasks of the batch (by their external id) and of its visitors — and of the
 *    other cookies of their people the ledger knows (R21, persons.ts) — with the fields the join
 *    reads (task-fields.ts) and those the pipeline asks for.
 * 2. The pipeline's step on that answer (`decide`: which Tasks are the batch's, the call fields to
 *    write with the join's), then the join of the batch (call-batch.ts): plan, diff, one Composite
 *    Graph per visitor, commit.
 */

export interface CallBatchRequest<D extends CallBatchDecisions> {
  /** The calls' Task creates (one sObject Collection, allOrNone=false). */
  create: readonly SfRecord[];
  /** The pipeline's own queries, answered in the same request (the caller lookup). */
  queries: readonly string[];
  /** The batch's Tasks: `keyField IN (keys)`, read with `extraFields` besides the join's. */
  callTasks: { keyField: string; keys: readonly string[]; extraFields: readonly string[] };
  /** The batch's visitors: their other call Tasks are read and planned too (R9 positions). */
  visitors: readonly string[];
  /**
   * The pipeline's step between the request and the join: `rows` answers `queries` in order,
   * `tasks` are the Tasks read (a row may be updated in place with what it will hold, so the join
   * plans with it).
   */
  decide(answer: { created: readonly RecordResult[]; rows: readonly SfRecord[][]; tasks: TaskRecord[] }): D;
}

export interface CallBatchDecisions {
  /** The batch's own Tasks (planned whatever their visitor). */
  batchTaskIds: ReadonlySet<string>;
  /** Per batch Task, the call's fields to write with the join's (empty: created with them). */
  callUpdates: ReadonlyMap<string, SfRecord>;
  /** UNKNOWN_CALLER=create-lead: Tasks from numbers the lookup found no Lead or Contact for (R18). */
  unknownCallers?: readonly UnknownCallerTask[];
  /** Tasks of calls from suppressed numbers: written with the call's fields only (R24). */
  leftAlone?: ReadonlySet<string>;
  /** R20, R23: per Task the lookup linked, why its record was picked among several (null: one match). */
  callerOutcomes?: ReadonlyMap<string, CallerOutcome | null>;
}

export async function joinCalls<D extends CallBatchDecisions>(
  deps: CallBatchJoin,
  batch: CallBatchRequest<D>,
): Promise<{ decided: D; joined: CallBatchJoined }> {
  const { keyField, keys, extraFields } = batch.callTasks;
  // R21: the other cookies of the people the ledger ties these visitors to are read in the same query.
  const conversions = await new OpportunityState(deps.store).conversions();
  const people = await personCookies(new JoinLedger(deps.store), batch.visitors, [], conversions);
  const readVisitors = [...batch.visitors, ...people];
  const byCall = `${soqlName(keyField)} IN (${soqlList(keys)})`;
  const byVisitor = readVisitors.length
    ? ` OR ${soqlName(deps.bizibleIdField)} IN (${soqlList(readVisitors)})`
    : '';
  const fields = [...new Set([...taskFields(deps.bizibleIdField), keyField, ...extraFields])];
  const taskQuery = `SELECT ${taskSelectFields(fields)} FROM Task WHERE ${byCall}${byVisitor}`;
  // Before the request: a claim on a number made after this (join/caller-leads.ts) is newer than the lookup.
  const lookedUpAt = Date.now();
  const { created, rows } = await deps.sf.createAndQuery<SfRecord>(
    { create: batch.create, queries: [...batch.queries, taskQuery] },
    { signal: deps.signal },
  );
  const tasks = rows[rows.length - 1] as TaskRecord[];
  const decided = batch.decide({ created, rows: rows.slice(0, -1), tasks });
  const joined = await joinCallBatch(deps, {
    tasks,
    batchTaskIds: decided.batchTaskIds,
    visitors: new Set(batch.visitors),
    readVisitors: new Set(readVisitors),
    callUpdates: decided.callUpdates,
    unknownCallers: decided.unknownCallers,
    leftAlone: decided.leftAlone,
    callerOutcomes: decided.callerOutcomes,
    lookedUpAt,
  });
  return { decided, joined };
}
