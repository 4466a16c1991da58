import { bizibleIdOf, type TaskRecord } from '../domain';
import { describeErrors } from '../salesforce/port';
import { recordOfKey, type JoinDiff } from './diff';
import type { LedgerCommit, TaskLedger, VisitorLedger } from './ledger';
import { whoIdOf } from './persons';
import { inputHash } from './task-fields';
import type { JoinWriteResults } from './write';

/**
 * The join's commit step, pure: the org's answers to a write (write.ts: a JoinWriter, by collections
 * or by graphs) → what goes into the ledger (JoinLedger.commit), the counts and failures a summary
 * reports, and how far the watermark may move. Both writers — a join run's (runner.ts) and a batch
 * of calls' (call-batch.ts) — record their results here and only here, so a record that failed is
 * never entered and a visitor with a failure is planned again by the next run.
 */

export interface FailedRecord {
  sobject: string;
  key: string;
  errors: string;
}

/** A Task that was planned: its visitor (BizibleId, null: none), its input hash and WhoId now. */
export interface PlannedTask {
  id: string;
  visitor: string | null;
  inHash: string;
  /** R21: the person it names (null: none); the ledger finds a person's cookies by it. */
  who?: string | null;
}

/** A Task as planned now: its visitor, input hash (task-fields.ts) and WhoId (R21). */
export function plannedTask(t: TaskRecord, biz: string, fields: string[]): PlannedTask {
  return { id: t.Id, visitor: bizibleIdOf(t, biz), inHash: inputHash(t, fields), who: whoIdOf(t) };
}

export interface LedgerApplyInput {
  diff: JoinDiff;
  results: JoinWriteResults;
  /** The ledger of every visitor planned, as read before the write (left unchanged). */
  visitorLedgers: ReadonlyMap<string, VisitorLedger>;
  /** The ledger of every Task planned, as read before the write (null: never processed). */
  taskLedgers: ReadonlyMap<string, TaskLedger | null>;
  /** Every Task planned (each visitor's Task list becomes exactly its Tasks here). */
  tasks: readonly PlannedTask[];
}

export interface WrittenCounts {
  webSessions: number;
  touchpoints: number;
  opportunityTouchpoints: number;
  tasks: number;
  deleted: number;
}

export interface LedgerApplied {
  /** For JoinLedger.commit: every planned visitor's new entry, and the Task entries that changed. */
  ledger: { tasks: Map<string, TaskLedger>; visitors: Map<string, VisitorLedger> } & LedgerCommit;
  written: WrittenCounts;
  /** Records that failed, in write order (sessions, touchpoints, Tasks, deletes). */
  failed: FailedRecord[];
  /** Visitors with a failed record: their Tasks keep their old input hash. */
  failedVisitors: Set<string>;
  /** Task updates that failed. */
  failedTasks: Set<string>;
  /** Visitor (or Task id, for a Task without one) → the errors of its first failed record. */
  reasons: Map<string, string>;
}

export function applyWriteResults(input: LedgerApplyInput): LedgerApplied {
  const { diff, results } = input;
  const visitors = new Map<string, VisitorLedger>(
    [...input.visitorLedgers].map(([v, led]) => [v, { tasks: [...led.tasks], records: { ...led.records } }]),
  );
  const written: WrittenCounts = {
    webSessions: 0,
    touchpoints: 0,
    opportunityTouchpoints: 0,
    tasks: 0,
    deleted: 0,
  };
  const failed: FailedRecord[] = [];
  const failedVisitors = new Set<string>();
  const failedTasks = new Set<string>();
  const taskVisitor = new Map(input.tasks.map((t) => [t.id, t.visitor]));
  const reasons = new Map<string, string>();
  /** A record of `visitor` (null: of a Task without one) failed. */
  const fail = (visitor: string | null, f: FailedRecord) => {
    if (visitor) failedVisitors.add(visitor);
    failed.push(f);
    const who = visitor ?? f.key;
    if (!reasons.has(who)) reasons.set(who, f.errors);
  };

  const upserts = (kind: 'webSessions' | 'touchpoints' | 'opportunityTouchpoints', sobject: string) =>
    (results[kind] ?? []).forEach((r, i) => {
      const p = diff[kind]![i];
      if (r.ok) {
        written[kind]++;
        const led = visitors.get(p.visitor); // records of visitors not planned are written, not kept
        if (led) led.records[p.key] = { h: p.hash, id: r.id };
      } else {
        fail(p.visitor, { sobject, key: p.key, errors: describeErrors(r) });
      }
    });
  upserts('webSessions', 'Web_Session__c');
  upserts('touchpoints', 'Touchpoint__c');
  upserts('opportunityTouchpoints', 'Opportunity_Touchpoint__c');

  const taskOut = new Map<string, string>();
  results.tasks.forEach((r, i) => {
    const w = diff.tasks[i];
    if (r.ok) {
      written.tasks++;
      if (w.hash) taskOut.set(w.id, w.hash);
    } else {
      failedTasks.add(w.id);
      fail(taskVisitor.get(w.id) ?? null, { sobject: 'Task', key: w.id, errors: describeErrors(r) });
    }
  });

  results.deletes.forEach((r, i) => {
    const d = diff.deletes[i];
    if (r === null || r.ok) {
      if (r) written.deleted++; // null: not in the org, so only the ledger forgets it
      delete visitors.get(d.visitor)?.records[d.key];
    } else {
      fail(d.visitor, { sobject: recordOfKey(d.key).sobject, key: d.key, errors: describeErrors(r) });
    }
  });

  // A visitor with a failure keeps its Tasks' old input hashes, so the next run plans it again
  // and writes what is still missing.
  for (const [v, led] of visitors) led.tasks = input.tasks.filter((t) => t.visitor === v).map((t) => t.id);
  const tasks = new Map<string, TaskLedger>();
  for (const t of input.tasks) {
    const prev = input.taskLedgers.get(t.id) ?? null;
    const complete = t.visitor ? !failedVisitors.has(t.visitor) : !failedTasks.has(t.id);
    const next: TaskLedger = {
      v: t.visitor,
      in: complete ? t.inHash : (prev?.in ?? null),
      out: taskOut.get(t.id) ?? prev?.out ?? null,
      ...(t.who ? { who: t.who } : {}),
    };
    const same =
      prev &&
      prev.v === next.v &&
      prev.in === next.in &&
      prev.out === next.out &&
      (prev.who ?? null) === (next.who ?? null);
    if (!same) tasks.set(t.id, next);
  }
  return { ledger: { visitors, tasks }, written, failed, failedVisitors, failedTasks, reasons };
}

/** A Task read by the watermark: its SystemModstamp and whether it was fully processed. */
export interface ReadTask {
  id: string;
  visitor: string | null;
  systemModstamp: string;
}

/**
 * Past every Task read (in SystemModstamp order), except up to the first one not fully processed
 * (its visitor or its own update failed): the next run reads it again. Nothing read: unchanged.
 */
export function nextWatermark(
  current: string | null,
  read: readonly ReadTask[],
  applied: Pick<LedgerApplied, 'failedVisitors' | 'failedTasks'>,
): string | null {
  if (read.length === 0) return current;
  const blocked = read.find((t) =>
    t.visitor ? applied.failedVisitors.has(t.visitor) : applied.failedTasks.has(t.id),
  );
  return new Date(Date.parse((blocked ?? read[read.length - 1]).systemModstamp)).toISOString();
}
