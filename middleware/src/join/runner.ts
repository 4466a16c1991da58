import {
  bizibleIdOf,
  DEFAULT_BIZIBLE_ID_FIELD,
  type OpportunityNote,
  type ChannelRules,
  type JoinOptions,
  type TaskRecord,
} from '../domain';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { joinOutcomes } from '../metrics';
import type { ErasureStore, EventStore, JoinLedgerStore, KeyValueState, StoreLocks } from '../store/types';
import {
  applyWriteResults,
  nextWatermark,
  plannedTask,
  type FailedRecord,
  type WrittenCounts,
} from './commit';
import {
  learnConversions,
  opportunityRunStart,
  withOpportunities,
  type OpportunityJoinOptions,
  type WithOpportunities,
} from './opportunity-run';
import type { OpportunityEvents } from './opportunity-events';
import { diffPlan, type JoinDiff } from './diff';
import { withJoinLock } from './lock';
import { planVisitors } from './plan';
import { JoinLedger } from './ledger';
import { readJoinInput, type JoinInput, type JoinReadRequest } from './read';
import { taskFields } from './task-fields';
import { collectionWriter } from './write';
import { AbortedError, REQUEST_KINDS, type RequestKind, type SalesforcePort } from '../salesforce/port';

/**
 * `call-touchpoints join`: reads call Tasks incrementally (SystemModstamp watermark), plans the
 * join for the visitors they belong to (pure engine, domain/join.ts) and writes only what changed:
 * Web_Session__c and Touchpoint__c upserted by external id, then the Task fields, in as few
 * composite requests as Salesforce's limits allow (one per 1,000 records). Touchpoints of a
 * visitor that dropped out of the plan (a standalone call that became merged) are deleted — the
 * plan is complete per visitor (R11), so what it no longer contains is stale.
 *
 * One run is four steps, each its own module: read (read.ts: Tasks and their ledger),
 * plan + diff (domain/join.ts, diff.ts: pure), write (write.ts: composite requests) and
 * commit (commit.ts: the results into the ledger, pure, then one ledger transaction with the
 * watermark). The scheduler of runs (`--watch`, serve) is watch.ts.
 */

/** What the join needs of the store. */
export type JoinStore = KeyValueState &
  JoinLedgerStore &
  StoreLocks &
  Pick<EventStore, 'sessionsForVisitors'> &
  Pick<ErasureStore, 'suppressedHashes'>;

export interface JoinProgress {
  start(total: number): void;
  increment(by: number): void;
  stop(): void;
}

export interface JoinDeps {
  /** The org, counted as 'join' (salesforce/port.ts). */
  gateway: SalesforcePort;
  /** The join's state (ledger, watermark, automated visitors), the visitors' sessions and the join lock. */
  store: JoinStore;
  rules?: ChannelRules;
  /** R1 (BIZIBLE_ID_FIELD). */
  bizibleIdField?: string;
  joinOptions?: Partial<JoinOptions>;
  logger?: Logger;
  progress?: JoinProgress;
  overlapMs?: number;
  /** Call Tasks per read page (read.ts JOIN_READ_PAGE); tests page small data with a small one. */
  readPageSize?: number;
  /**
   * Keep Opportunity touchpoints current (R13–R17, opportunity-run.ts); unset: call touchpoints only
   * (an org without Opportunity_Touchpoint__c deployed, tests of the call join alone).
   */
  opportunities?: OpportunityJoinOptions;
  /** PRIVACY_SALT (unset: the store's salt): finds the visitors on the suppression list (R8, plan.ts). */
  privacySalt?: string | null;
}

export interface JoinRunOptions extends JoinReadRequest {
  /** Ignore the watermark and re-plan every call Task (still writes only what changed). */
  full?: boolean;
  /**
   * Shutdown: once it fires no new request starts (the one in flight finishes). Records not written
   * stay out of the ledger and the watermark stops before their Tasks, so the next run redoes them.
   */
  signal?: AbortSignal;
  /** Tasks a webhook just wrote: read by Id as well as by the watermark. */
  taskIds?: readonly string[];
  /**
   * Visitors whose sessions changed (page views that arrived after their call was joined, an
   * import): their calls are re-planned although the Tasks did not change (R11). Their Task ids
   * come from the ledger (`join_visitor_tasks`) and are read by Id; a visitor the ledger
   * knows no call of costs nothing.
   */
  visitorIds?: readonly string[];
  /** Re-plan only `visitorIds`: no watermark read, the watermark stays where it is. */
  onlyVisitors?: boolean;
  /**
   * Poll the org for Opportunity changes (one Composite request, opportunity-changes.ts): `join --once`
   * and the watch's Opportunity timer. Other runs re-plan only the Opportunities of people whose
   * touchpoints they change.
   */
  pollOpportunities?: boolean;
  /** Contacts and Leads whose touchpoints a batch of calls wrote: their Opportunities are re-planned. */
  people?: readonly string[];
  /** Change Data Capture events on Opportunity, OpportunityContactRole and Lead (opportunity-events.ts). */
  opportunityEvents?: OpportunityEvents;
}

export interface JoinSummary {
  tasksRead: number;
  /** Tasks whose outcome was computed (changed Tasks and the other calls of their visitors). */
  tasksPlanned: number;
  merged: number;
  standalone: number;
  missingId: number;
  written: WrittenCounts;
  /** Opportunities planned (R13–R17) and their notes about bad input (R13, R17). */
  opportunities: {
    planned: number;
    notes: OpportunityNote[];
    /** The Opportunity part was skipped (a read the org refused, opportunitiesApart): retry later. */
    skipped?: boolean;
  };
  failed: FailedRecord[];
  apiRequests: number;
  /** The same requests by kind (query, composite, …), all counted under the 'join' purpose. */
  apiRequestsByKind: Partial<Record<RequestKind, number>>;
  watermark: string | null;
  durationMs: number;
  /** The run was stopped (shutdown) before it wrote everything; the next run completes it. */
  aborted: boolean;
  /**
   * Visitors given in `visitorIds` whose re-plan did not write everything. Their Tasks did not
   * change, so the watermark will not bring them back: the watch keeps them for its next run.
   */
  visitorsToRetry: string[];
}

/** One join run, holding JOIN_LOCK (lock.ts). */
export function runJoinOnce(deps: JoinDeps, opts: JoinRunOptions = {}): Promise<JoinSummary> {
  return withJoinLock(deps.store, 'join run', () => runJoinPaged(deps, opts), opts.signal);
}

/**
 * A run reads its Tasks in pages of JOIN_READ_PAGE (read.ts), each planned, written and committed
 * with its watermark before the next is read, so memory holds one page whatever the org holds (the
 * first run of a new store reads every call Task). Later pages continue the watermark read only;
 * the triggers (visitors, Task ids, people, the Opportunity poll) ride with the first. A page with
 * failures ends the run (the next run retries from the watermark, as for any run); a page that
 * cannot move the watermark (more Tasks at one instant than a page holds) is read again unpaged.
 */
async function runJoinPaged(deps: JoinDeps, opts: JoinRunOptions): Promise<JoinSummary> {
  let page = await runJoinLocked(deps, opts);
  let summary = page.summary;
  let unpaged = false;
  while (page.more && !summary.failed.length && !opts.signal?.aborted) {
    const from = page.summary.watermark;
    page = await runJoinLocked(deps, {
      full: opts.full,
      after: opts.full ? (from ?? undefined) : undefined,
      unpaged,
      signal: opts.signal,
    });
    summary = addPage(summary, page.summary);
    unpaged = page.more && page.summary.watermark === from;
  }
  return summary;
}

/** A run's summary after another page: counts add up, the watermark is the page's. */
function addPage(a: JoinSummary, b: JoinSummary): JoinSummary {
  const kinds = { ...a.apiRequestsByKind };
  for (const [k, n] of Object.entries(b.apiRequestsByKind) as [RequestKind, number][])
    kinds[k] = (kinds[k] ?? 0) + n;
  const written = { ...a.written };
  for (const k of Object.keys(written) as (keyof WrittenCounts)[]) written[k] += b.written[k];
  return {
    tasksRead: a.tasksRead + b.tasksRead,
    tasksPlanned: a.tasksPlanned + b.tasksPlanned,
    merged: a.merged + b.merged,
    standalone: a.standalone + b.standalone,
    missingId: a.missingId + b.missingId,
    written,
    opportunities: {
      planned: a.opportunities.planned + b.opportunities.planned,
      notes: [...a.opportunities.notes, ...b.opportunities.notes],
      skipped: a.opportunities.skipped || b.opportunities.skipped,
    },
    failed: [...a.failed, ...b.failed],
    apiRequests: a.apiRequests + b.apiRequests,
    apiRequestsByKind: kinds,
    watermark: b.watermark,
    durationMs: a.durationMs + b.durationMs,
    aborted: b.aborted,
    visitorsToRetry: [...a.visitorsToRetry, ...b.visitorsToRetry],
  };
}

/** One page of a run: its summary, and whether its read filled the page (more may follow). */
type RunPage = { summary: JoinSummary; more: boolean };

async function runJoinLocked(deps: JoinDeps, opts: JoinRunOptions): Promise<RunPage> {
  const started = Date.now();
  const gw = deps.gateway;
  const biz = deps.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const fields = taskFields(biz);
  const ledger = new JoinLedger(deps.store);
  const requestsBefore = gw.requestCount();
  const kindsBefore = REQUEST_KINDS.map((k) => gw.requestCount(k));

  // 0. Opportunity changes (when this run polls them): Lead conversions add their visitors.
  const log = deps.logger ?? silentLogger;
  const opp = deps.opportunities
    ? await opportunitiesApart(log, () =>
        opportunityRunStart(gw, deps.store, {
          full: opts.full && opts.after === undefined,
          poll: opts.pollOpportunities,
          people: opts.people,
          events: opts.opportunityEvents,
          signal: opts.signal,
        }),
      )
    : null;
  // 1. Read: the Tasks to plan, their visitors and what the ledger holds for both.
  const visitorIds = [...(opts.visitorIds ?? []), ...(opp?.visitorIds ?? [])];
  const input = await readJoinInput(
    { gw, ledger, biz, fields, overlapMs: deps.overlapMs, pageSize: deps.readPageSize, signal: opts.signal },
    { ...opts, visitorIds, conversions: opp?.conversions },
  );
  // 2. Plan (pure) for exactly these visitors and Tasks, then diff: only what differs from what
  //    was last written (diff.ts, pure). Then the Opportunities it affects, into the same diff.
  if (opp) await opportunitiesApart(log, () => learnConversions(gw, opp, input.planTasks, opts.signal));
  const plan = await planVisitors(deps.store, input.planTasks as TaskRecord[], input.visitors, {
    rules: deps.rules,
    bizibleIdField: biz,
    joinOptions: deps.joinOptions,
    conversions: opp?.conversions,
    privacySalt: deps.privacySalt,
  });
  const callDiff = diffPlan(plan, input.visitorLedgers, input.taskLedgers);
  const opps =
    opp && deps.opportunities
      ? await opportunitiesApart(log, () =>
          withOpportunities(
            { gw, ledger, mapping: deps.opportunities!.mapping, signal: opts.signal },
            opp,
            callDiff,
            plan.touchpoints,
            input.visitorLedgers,
          ),
        )
      : null;
  const diff = opps?.diff ?? callDiff;
  // 3. Write, then 4. commit what was written, with the watermark, in one ledger transaction.
  const { applied, watermark } = await writeAndCommit(deps, opts, { ledger, biz, fields }, input, diff, {
    opp,
    opps,
  });

  const { failed, failedTasks, failedVisitors } = applied;
  const counts = outcomeCounts(plan.tasks);
  for (const w of diff.tasks)
    if (!failedTasks.has(w.id)) joinOutcomes.inc({ status: String(w.rec.Call_Join_Status__c) });
  const summary: JoinSummary = {
    tasksRead: input.read.length,
    tasksPlanned: plan.tasks.length,
    ...counts,
    written: applied.written,
    opportunities: opportunityOutcome(deps, opps),
    failed,
    apiRequests: gw.requestCount() - requestsBefore,
    apiRequestsByKind: Object.fromEntries(
      REQUEST_KINDS.map((k, i) => [k, gw.requestCount(k) - kindsBefore[i]]).filter(([, n]) => n !== 0),
    ),
    watermark,
    durationMs: Date.now() - started,
    aborted: opts.signal?.aborted ?? false,
    visitorsToRetry: input.replanned.filter((v) => failedVisitors.has(v)),
  };
  logRun(log, summary, input.planTasks.length);
  return { summary, more: input.more };
}

/** Steps 3 and 4 of a run: write the diff, then commit what was written with the next watermark. */
async function writeAndCommit(
  deps: JoinDeps,
  opts: JoinRunOptions,
  run: { ledger: JoinLedger; biz: string; fields: ReturnType<typeof taskFields> },
  input: JoinInput,
  diff: JoinDiff,
  opportunities: {
    opp: Awaited<ReturnType<typeof opportunityRunStart>> | null;
    opps: Awaited<ReturnType<typeof withOpportunities>> | null;
  },
): Promise<{ applied: ReturnType<typeof applyWriteResults>; watermark: string | null }> {
  const gw = deps.gateway;
  const { ledger, biz, fields } = run;
  const { opp, opps } = opportunities;
  const planned = input.planTasks.map((t) => plannedTask(t, biz, fields));
  deps.progress?.start(
    diff.webSessions.length +
      diff.touchpoints.length +
      (diff.opportunityTouchpoints?.length ?? 0) +
      diff.tasks.length +
      diff.deletes.length,
  );
  try {
    const results = await collectionWriter(gw).write(diff, {
      signal: opts.signal,
      tick: (n) => deps.progress?.increment(n),
    });
    const applied = applyWriteResults({
      diff,
      results,
      visitorLedgers: opps?.ledgers ?? input.visitorLedgers,
      taskLedgers: input.taskLedgers,
      tasks: planned,
    });
    const watermark = nextWatermark(
      input.watermark,
      input.read.map((t) => ({
        id: t.Id,
        visitor: bizibleIdOf(t, biz),
        systemModstamp: String(t.SystemModstamp),
      })),
      applied,
    );
    await ledger.commit({ ...applied.ledger, watermark });
    // The Opportunity round is done once every Opportunity record was written.
    const oppFailed = [...applied.failedVisitors].some((v) => v.startsWith('opp:'));
    if (opps && opp?.watermark && !oppFailed && !opts.signal?.aborted)
      await opp.state.setWatermark(opp.watermark);
    return { applied, watermark };
  } finally {
    deps.progress?.stop();
  }
}

/**
 * The run's log line. A run that found nothing to plan (an idle watch tick, or page views of
 * visitors without calls) is not worth an info line every few seconds.
 */
function logRun(log: Logger, summary: JoinSummary, tasksPlanned: number): void {
  const level =
    !tasksPlanned && !summary.opportunities.planned && !summary.failed.length && !summary.aborted
      ? 'debug'
      : 'info';
  log[level](
    { ...summary, failed: summary.failed.length, opportunities: summary.opportunities.planned },
    summary.aborted ? 'join run stopped' : 'join run finished',
  );
}

/** How many planned Tasks got each join status. */
function outcomeCounts(tasks: readonly { Call_Join_Status__c?: unknown }[]) {
  const counts = { merged: 0, standalone: 0, missingId: 0 };
  for (const u of tasks) {
    if (u.Call_Join_Status__c === 'Merged') counts.merged++;
    else if (u.Call_Join_Status__c === 'Standalone') counts.standalone++;
    else if (u.Call_Join_Status__c === 'Missing BizibleId') counts.missingId++;
  }
  return counts;
}

/**
 * The Opportunity part of a run never holds up the calls: a read the org refuses (the integration user
 * cannot read Opportunity, say) is logged with the fix and the run goes on with the call touchpoints
 * only; its Opportunity watermark stays, so the next round tries again. Stopping still stops.
 */
/** The summary's Opportunity part: what was planned, or that it was skipped (opportunitiesApart). */
function opportunityOutcome(deps: JoinDeps, opps: WithOpportunities | null): JoinSummary['opportunities'] {
  return {
    planned: opps?.step.plans.length ?? 0,
    notes: opps?.step.notes ?? [],
    skipped: !!deps.opportunities && !opps,
  };
}

async function opportunitiesApart<T>(log: Logger, step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'Opportunity touchpoints skipped in this run (the call touchpoints are written): give the integration ' +
        'user Read on Opportunity, Contact, Lead and Account (docs/salesforce.md); the next round tries again',
    );
    return null;
  }
}

/** Summary lines for the CLI. */
export function formatSummary(s: JoinSummary): string[] {
  const w = s.written;
  const lines = [
    `tasks read ${s.tasksRead}, planned ${s.tasksPlanned}: merged ${s.merged}, standalone ${s.standalone}, missing BizibleId ${s.missingId}`,
    `records written: ${w.webSessions} web sessions, ${w.touchpoints} touchpoints, ` +
      `${w.opportunityTouchpoints} opportunity touchpoints, ${w.tasks} tasks, ${w.deleted} deleted` +
      (w.webSessions + w.touchpoints + w.opportunityTouchpoints + w.tasks + w.deleted === 0
        ? ' (up to date)'
        : ''),
    `API requests used: ${s.apiRequests}` +
      (s.apiRequests
        ? ` (join: ${Object.entries(s.apiRequestsByKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : ''),
  ];
  if (s.opportunities.planned) lines.push(`opportunities planned: ${s.opportunities.planned}`);
  for (const n of s.opportunities.notes.slice(0, 10)) lines.push(`  note: ${n.message}`);
  if (s.aborted) lines.push('stopped before finishing: the next run writes the rest');
  if (s.failed.length) {
    lines.push(`${s.failed.length} record(s) failed and will be retried on the next run:`);
    for (const f of s.failed.slice(0, 10)) lines.push(`  ${f.sobject} ${f.key}: ${f.errors}`);
    if (s.failed.length > 10) lines.push(`  … and ${s.failed.length - 10} more`);
  }
  return lines;
}
