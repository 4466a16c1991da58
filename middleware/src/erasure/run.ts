import { randomUUID } from 'node:crypto';
import { withJoinLock } from '../join';
import { describeErrors, REQUEST_KINDS, type RecordResult, type SalesforcePort } from '../salesforce/port';
import { soqlList } from '../salesforce/soql';
import type {
  ErasureRecord,
  ErasureStore,
  KeyValueState,
  StoreErasureTargets,
  StoreLocks,
} from '../store/types';
import { SUPPRESSION_REFRESH_MS, subjectHash, type SuppressionList } from '../tracking/suppression';
import { resolveErasure } from './resolve';
import type { ErasureSubject } from './subject';
import { orgCounts, recipients, type ErasureCounts, type ErasurePlan } from './targets';

/**
 * One erasure, step by step (issue 23, docs/privacy.md). The request and its plan are stored before
 * anything is erased; each step is idempotent and recorded when done, so a crash at any point
 * resumes at the step after the last recorded one and ends in the same state. A failed step keeps
 * its error in the request (`erase --log` shows it) and is retried by `erase --resume`.
 *
 *   suppressed → store → tasks → persons → deleted → purged → replanned → swept → done
 *
 * The cookies and numbers go on the suppression list first, so nothing of them is collected while
 * the rest runs; `swept` deletes the store rows again once every process has read the list.
 */
export const ERASURE_STEPS = [
  'planned',
  'suppressed',
  'store',
  'tasks',
  'persons',
  'deleted',
  'purged',
  'replanned',
  'swept',
  'done',
] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/** What the request's `result` column holds: no personal data. */
export interface ErasureResult {
  deleteTasks: boolean;
  /** `--keep-person`: the person's Leads and Contacts were left as they are. */
  keepPerson?: boolean;
  counts: ErasureCounts;
  /** Org requests per kind (query, composite, soap, …) this erasure sent. */
  orgRequests: Record<string, number>;
  recipients: string[];
  notes: string[];
  /** When the suppression was stored (the sweep waits for every process to have read it). */
  suppressedAt: number | null;
}

export interface ErasureDeps {
  store: ErasureStore & StoreLocks & KeyValueState;
  /** The org, counted as 'erase'. */
  gw: SalesforcePort;
  salt: string;
  /** This process's list (serve): marks count at once here. Absent: written to the store only. */
  suppression?: SuppressionList;
  bizibleIdField: string;
  /**
   * Re-plans the Opportunities of these people (Lead/Contact ids) after their touchpoints were
   * erased (replan.ts: the join's entry); returns how many were planned. Absent: noted in the result.
   */
  replanOpportunities?: (people: string[]) => Promise<number>;
  /** How long after the suppression the sweep runs (other processes reload the list meanwhile). */
  sweepDelayMs?: number;
  now?: () => number;
  /** Called after each recorded step (the kill test stops the process here). */
  onStep?: (step: ErasureStep, record: ErasureRecord) => void;
  /** Called when a request is done (serve drops its page caches: no page shows erased data). */
  onDone?: (record: ErasureRecord) => void;
}

export interface ErasureRequest {
  subject: ErasureSubject;
  requestedBy: string;
  deleteTasks: boolean;
  /** Leave the person's Leads and Contacts untouched (default: the number or email is taken out). */
  keepPerson?: boolean;
  dryRun?: boolean;
}

export interface DryRun {
  dryRun: true;
  subjectKind: ErasureSubject['kind'];
  subjectHash: string;
  counts: ErasureCounts;
  recipients: string[];
}

const targetsOf = (plan: ErasurePlan): StoreErasureTargets => ({
  visitorIds: plan.cookies,
  callerNumbers: plan.callerNumbers,
  taskIds: plan.taskIds,
  keptTasks: plan.keptTasks,
});

/** Resolves the subject, then (unless a dry run) records the request and runs it to the end. */
export async function erase(deps: ErasureDeps, req: ErasureRequest): Promise<ErasureRecord | DryRun> {
  const now = deps.now ?? Date.now;
  const before = requestCounts(deps.gw);
  const plan = await resolveErasure(
    {
      gw: deps.gw,
      store: deps.store,
      bizibleIdField: deps.bizibleIdField,
      deleteTasks: req.deleteTasks,
      keepPerson: req.keepPerson,
    },
    req.subject,
  );
  const keepPerson = req.keepPerson === true;
  const hash = subjectHash(req.subject.kind, req.subject.value, deps.salt);
  const counts: ErasureCounts = {
    store: await deps.store.countStoreData(targetsOf(plan)),
    org: orgCounts(plan),
    suppressed: plan.cookies.length + plan.callerNumbers.length,
    opportunitiesReplanned: plan.opportunities.length,
  };
  if (req.dryRun)
    return {
      dryRun: true,
      subjectKind: req.subject.kind,
      subjectHash: hash,
      counts,
      recipients: recipients(plan, keepPerson),
    };
  const result: ErasureResult = {
    deleteTasks: req.deleteTasks,
    keepPerson,
    counts: {
      ...counts,
      store: { events: 0, sessions: 0, outboxItems: 0, ledgerRows: 0, stateRows: 0 },
      opportunitiesReplanned: 0,
    },
    orgRequests: diffCounts(before, requestCounts(deps.gw)),
    recipients: recipients(plan, keepPerson),
    notes: [],
    suppressedAt: null,
  };
  const record: ErasureRecord = {
    id: randomUUID(),
    requestedBy: req.requestedBy,
    requestedAt: now(),
    subjectKind: req.subject.kind,
    subjectHash: hash,
    step: 'planned',
    plan: JSON.stringify(plan),
    result: JSON.stringify(result),
    finishedAt: null,
    error: null,
  };
  await deps.store.saveErasure(record);
  deps.onStep?.('planned', record);
  return runErasure(deps, record);
}

/** Runs a recorded request from the step after its last one to 'done'. */
export async function runErasure(deps: ErasureDeps, start: ErasureRecord): Promise<ErasureRecord> {
  let record = start;
  if (record.step === 'done') return record;
  if (!record.plan) throw new Error(`erasure ${record.id} has no plan left: it cannot be resumed`);
  const plan = JSON.parse(record.plan) as ErasurePlan;
  const result = JSON.parse(record.result) as ErasureResult;
  let i = ERASURE_STEPS.indexOf(record.step as ErasureStep);
  while (ERASURE_STEPS[i] !== 'done') {
    const step = ERASURE_STEPS[++i];
    const before = requestCounts(deps.gw);
    try {
      await runStep(deps, step, plan, result);
    } catch (err) {
      record = { ...record, error: `${step}: ${(err as Error).message}`.slice(0, 2000) };
      await deps.store.saveErasure({
        ...record,
        result: JSON.stringify(addRequests(result, before, deps.gw)),
      });
      throw err;
    }
    addRequests(result, before, deps.gw);
    const done = step === 'done';
    record = {
      ...record,
      step,
      error: null,
      plan: done ? null : record.plan,
      finishedAt: done ? (deps.now ?? Date.now)() : null,
      result: JSON.stringify(result),
    };
    await deps.store.saveErasure(record);
    deps.onStep?.(step, record);
  }
  deps.onDone?.(record);
  return record;
}

/** Every request not done yet, oldest first, run to the end (`erase --resume`, serve at start). */
export async function resumeErasures(deps: ErasureDeps): Promise<ErasureRecord[]> {
  const open = (await deps.store.erasures({ limit: 1000, unfinished: true })).reverse();
  const out: ErasureRecord[] = [];
  for (const r of open) out.push(await runErasure(deps, r));
  return out;
}

async function runStep(deps: ErasureDeps, step: ErasureStep, plan: ErasurePlan, result: ErasureResult) {
  const now = deps.now ?? Date.now;
  switch (step) {
    case 'suppressed': {
      const entries = [
        ...plan.cookies.map((value) => ({ kind: 'cookie' as const, value, reason: 'erasure' })),
        ...plan.callerNumbers.map((value) => ({ kind: 'phone' as const, value, reason: 'erasure' })),
      ];
      if (deps.suppression) await deps.suppression.mark(entries);
      else
        await deps.store.suppress(
          entries.map((e) => ({
            hash: subjectHash(e.kind, e.value, deps.salt),
            kind: e.kind,
            reason: e.reason,
          })),
          now(),
        );
      result.suppressedAt = now();
      return;
    }
    case 'store':
    case 'swept': {
      if (step === 'swept')
        await sleepUntil(
          (result.suppressedAt ?? 0) + (deps.sweepDelayMs ?? SUPPRESSION_REFRESH_MS + 1000),
          now,
        );
      const erased = await withJoinLock(deps.store, 'erasure', () =>
        deps.store.eraseStoreData(targetsOf(plan), now()),
      );
      for (const k of Object.keys(erased) as (keyof typeof erased)[]) result.counts.store[k] += erased[k];
      return;
    }
    case 'tasks':
      if (plan.taskUpdates.length)
        checked(
          'clear the Task fields',
          (await deps.gw.write([{ kind: 'update', records: plan.taskUpdates }]))[0],
        );
      return;
    case 'persons':
      if (plan.personUpdates?.length)
        checked(
          "take the erased value out of the person's records",
          (await deps.gw.write([{ kind: 'update', records: plan.personUpdates }]))[0],
        );
      return;
    case 'deleted': {
      const ops = plan.deletes
        .filter((d) => d.ids.length)
        .map((d) => ({ kind: 'delete' as const, ids: d.ids }));
      if (ops.length)
        (await deps.gw.write(ops)).forEach((r, k) => checked(`delete ${plan.deletes[k].sobject}`, r));
      return;
    }
    case 'purged':
      return purge(deps.gw, plan);
    case 'replanned':
      if (!plan.opportunities.length) return;
      if (deps.replanOpportunities)
        result.counts.opportunitiesReplanned = await deps.replanOpportunities(plan.persons);
      else
        result.notes.push(
          `${plan.opportunities.length} Opportunity(ies) lost touchpoints and were not re-planned here: their remaining credit sums to less than 100 until the join re-plans them (join --once)`,
        );
      return;
    case 'done':
    case 'planned':
      return;
  }
}

/**
 * Hard delete (SOAP emptyRecycleBin, 200 ids a call) of what is still in the Recycle Bin: a resumed
 * run first asks queryAll which ids are there (a purged id is gone; a live one means the delete did
 * not happen, which is an error).
 */
async function purge(gw: SalesforcePort, plan: ErasurePlan): Promise<void> {
  const groups = plan.purge.filter((p) => p.ids.length);
  const soqls = groups.flatMap((g) => {
    const out: string[] = [];
    for (let i = 0; i < g.ids.length; i += 200)
      out.push(`SELECT Id, IsDeleted FROM ${g.sobject} WHERE Id IN (${soqlList(g.ids.slice(i, i + 200))})`);
    return out;
  });
  const rows: { Id: string; IsDeleted?: boolean }[] = [];
  for (let i = 0; i < soqls.length; i += 5)
    rows.push(
      ...(
        await gw.createAndQuery<{ Id: string; IsDeleted?: boolean }>({
          queries: soqls.slice(i, i + 5),
          includeDeleted: true,
        })
      ).rows.flat(),
    );
  const live = rows.filter((r) => r.IsDeleted !== true);
  if (live.length)
    throw new Error(`${live.length} record(s) to purge are not deleted yet (e.g. ${live[0].Id})`);
  const ids = rows.map((r) => r.Id);
  if (ids.length) checked('empty the Recycle Bin', await gw.emptyRecycleBin(ids));
}

function checked(what: string, results: readonly RecordResult[]): void {
  const failed = results.filter((r) => !r.ok);
  if (failed.length)
    throw new Error(
      `${what}: ${failed.length} record(s) failed, e.g. ${failed[0].id ?? ''} ${describeErrors(failed[0])}`,
    );
}

function requestCounts(gw: SalesforcePort): Record<string, number> {
  return Object.fromEntries(REQUEST_KINDS.map((k) => [k, gw.requestCount(k)]));
}

function diffCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.keys(b).flatMap((k) => (b[k] - (a[k] ?? 0) ? [[k, b[k] - (a[k] ?? 0)]] : [])),
  );
}

function addRequests(
  result: ErasureResult,
  before: Record<string, number>,
  gw: SalesforcePort,
): ErasureResult {
  for (const [k, n] of Object.entries(diffCounts(before, requestCounts(gw))))
    result.orgRequests[k] = (result.orgRequests[k] ?? 0) + n;
  return result;
}

async function sleepUntil(at: number, now: () => number): Promise<void> {
  const ms = at - now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}
