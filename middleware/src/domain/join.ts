import {
  channelClassifier,
  CRM_ACTIVITY_SOURCE,
  type ChannelClassifier,
  type ChannelRules,
} from './channels';
import { bizibleIdOf, callTime, DEFAULT_BIZIBLE_ID_FIELD, isCallTask, taskTypeOf, whoOf } from './calls';
import {
  mergedDetail,
  isNoConsentDetail,
  MISSING_BIZIBLE_ID_DETAIL,
  NO_CONSENT_CALL_DETAIL,
  NO_CONSENT_DETAIL,
  standaloneDetail,
  UNKNOWN_CALL_TIME_DETAIL,
} from './detail';
import { assignPositions, type JourneyTouchpoint } from './journey';
import {
  callerOutcomeOfDetail,
  joinReason,
  withCallerSentence,
  type AttributionOutcome,
  type CallerOutcome,
} from './join-reason';
import { personsOf } from './person-journeys';
import { DEFAULT_JOIN_OPTIONS, matchCall, type JoinOptions } from './match';
import { sourceOf, toTouchpointRecord, toWebSessionRecord, type TouchpointFacts } from './records';
import { MINUTE_MS } from './time';
import type { TaskRecord, TaskUpdateRecord, TouchpointRecord, WebSession, WebSessionRecord } from './types';

export const WEB_VISIT = 'Web Visit';
export const WEB_FORM = 'Web Form';

export interface JoinInput {
  tasks: readonly TaskRecord[];
  sessionsByVisitor: ReadonlyMap<string, readonly WebSession[]>;
  rules: ChannelRules;
  /** R1: Task field holding the BizibleId (default BizibleId__c). */
  bizibleIdField?: string;
  options?: Partial<JoinOptions>;
  /** Visitors whose web events were dropped as automated traffic (the tracking bot filter). */
  automatedVisitors?: ReadonlySet<string>;
  /**
   * R21: `per-person` (the default) computes positions and percentages over each known person's
   * cookies together (person-journeys.ts); `per-cookie` per visitor (tests of the per-cookie rules).
   */
  journeys?: 'per-cookie' | 'per-person';
  /**
   * R14: Lead Id → the Contact it was converted to (Lead.ConvertedContactId). A call whose Task still
   * names the converted Lead gets a touchpoint naming that Contact too, so the journey moves with the
   * conversion and every later plan keeps it there.
   */
  conversions?: ReadonlyMap<string, string>;
  /** Visitors whose tracking consent was withdrawn (R8, R23: `No_Consent` when they have no session). */
  optedOutVisitors?: ReadonlySet<string>;
  /**
   * R23: Task Id → how this run found the call's person (R18–R20: a Lead created, a duplicate rule's
   * match, several records; null: one record, nothing to say). A Task not in it keeps the outcome its
   * detail already starts with.
   */
  callers?: ReadonlyMap<string, CallerOutcome | null>;
}

export interface JoinSummary {
  /** Tasks that got a status (calls and Tasks with a BizibleId). */
  tasks: number;
  merged: number;
  standalone: number;
  missingId: number;
}

/**
 * Everything that should exist in Salesforce for the visitors given. Complete per visitor: the
 * writer upserts these records and deletes that visitor's Touchpoint__c (and Web_Session__c)
 * records whose keys are not in the plan — that is how a call that moved from standalone to merged
 * (BizibleId added later, late session data) loses its old standalone touchpoint (R11).
 */
export interface JoinPlan {
  webSessions: WebSessionRecord[];
  touchpoints: TouchpointRecord[];
  tasks: TaskUpdateRecord[];
  summary: JoinSummary;
}

/** Touchpoint keys: deterministic, so re-running writes nothing new (R11). */
export function sessionTouchpointKey(sessionKey: string): string {
  return `tp:${sessionKey}`;
}
export function callTouchpointKey(taskId: string): string {
  return `tp:call:${taskId}`;
}

/** A form submit or a call that a session's touchpoint may be typed by (R9). */
interface Conversion {
  at: number;
  /** 0 = form, 1 = call: a form and a call at the same instant → the form came first. */
  kind: 0 | 1;
  /** Form URL or Task Id: the last tie-break, so the result never depends on input order. */
  id: string;
  formUrl: string | null;
  task: TaskRecord | null;
}

/** R9 order of conversions: time, then form before call, then id. */
function comesBefore(a: Conversion, b: Conversion): boolean {
  return a.at !== b.at ? a.at < b.at : a.kind !== b.kind ? a.kind < b.kind : a.id < b.id;
}

interface CallInfo {
  task: TaskRecord;
  at: number;
  /** R5: index of the session the call merged with, or -1 for a standalone call (R8). */
  sessionIndex: number;
  /** R8: Call_Join_Detail__c of a standalone call (names the nearest session). */
  standaloneDetail: string | null;
  /** R23: why a standalone call has no session (the window passed, never tracked, bot traffic, …). */
  standaloneWhy: AttributionOutcome;
}

/** What one planJoin run shares across visitors: options, memoized classification, the output. */
interface Run {
  o: JoinOptions;
  windowMinutes: number;
  channels: ChannelClassifier;
  webSessions: WebSessionRecord[];
  touchpoints: TouchpointRecord[];
  taskUpdates: TaskUpdateRecord[];
  summary: JoinSummary;
  automated: ReadonlySet<string>;
  optedOut: ReadonlySet<string>;
  callers: ReadonlyMap<string, CallerOutcome | null>;
  /** Each visitor's touchpoints (visitor order), made records once persons are known (R21). */
  journeys: { visitorId: string; tps: PlannedTouchpoint[]; whoIds: Set<string> }[];
  conversions: ReadonlyMap<string, string>;
}

/**
 * The join (R1–R11): calls against sessions, touchpoints, positions, Task outcomes.
 *
 * Visitors covered = those in `sessionsByVisitor` plus those of the Tasks' BizibleIds. A visitor
 * gets records only once it has a conversion (a form submit or a call): an anonymous browser is
 * nobody's lead, and the org keeps only sessions that carry a touchpoint. Per visitor:
 *  - every call is matched to a session (R5) → merged into that session's touchpoint, or a
 *    standalone touchpoint of its own (R8);
 *  - each session with a conversion gets one touchpoint, typed by its first conversion (R6, R7, R9);
 *  - the first session (FT) and sessions between FT and LC get "Web Visit" touchpoints, sessions
 *    after LC without a conversion get none.
 * Tasks without BizibleId get "Missing BizibleId" if they look like calls (R2); Tasks that are
 * neither calls nor carry a BizibleId are ignored. Output is sorted (records by BizibleId, date,
 * key; Tasks by Id): the same input always gives the same plan.
 *
 * Cost: the plan holds several records per call, so the work is in building them; each session's
 * channel is classified once (and remembered per distinct arrival for the run), each touchpoint is
 * one object from its facts to its record.
 */
export function planJoin(input: JoinInput): JoinPlan {
  const o: JoinOptions = { ...DEFAULT_JOIN_OPTIONS, ...input.options };
  const field = input.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const run: Run = {
    o,
    windowMinutes: Math.round(o.windowMs / MINUTE_MS),
    channels: channelClassifier(input.rules),
    webSessions: [],
    touchpoints: [],
    taskUpdates: [],
    summary: { tasks: 0, merged: 0, standalone: 0, missingId: 0 },
    automated: input.automatedVisitors ?? NO_VISITORS,
    optedOut: input.optedOutVisitors ?? NO_VISITORS,
    callers: input.callers ?? NO_CALLERS,
    journeys: [],
    conversions: input.conversions ?? NO_CONVERSIONS,
  };
  const { summary, taskUpdates } = run;

  // R1/R2: split Tasks by BizibleId.
  const callsByVisitor = new Map<string, CallInfo[]>();
  for (const task of input.tasks) {
    const bid = bizibleIdOf(task, field);
    if (bid === null) {
      if (!isCallTask(task)) continue;
      summary.tasks++;
      summary.missingId++;
      // R8/R23: the webhook left out a suppressed cookie and said so in the detail; the Task keeps it.
      taskUpdates.push(
        isNoConsentDetail(task.Call_Join_Detail__c)
          ? taskUpdate(task, 'Missing BizibleId', 'no-consent', NO_CONSENT_CALL_DETAIL, null, run)
          : taskUpdate(task, 'Missing BizibleId', 'missing-id', MISSING_BIZIBLE_ID_DETAIL, null, run),
      );
      continue;
    }
    summary.tasks++;
    const at = callTime(task);
    if (at === null) {
      taskUpdates.push(taskUpdate(task, 'Pending', 'time-unknown', UNKNOWN_CALL_TIME_DETAIL, null, run));
      continue;
    }
    const call: CallInfo = {
      task,
      at,
      sessionIndex: -1,
      standaloneDetail: null,
      standaloneWhy: 'never-tracked',
    };
    const list = callsByVisitor.get(bid);
    if (list) list.push(call);
    else callsByVisitor.set(bid, [call]);
  }

  const visitors = [...input.sessionsByVisitor.keys()];
  for (const v of callsByVisitor.keys()) if (!input.sessionsByVisitor.has(v)) visitors.push(v);
  visitors.sort();
  for (const visitorId of visitors)
    planVisitor(
      visitorId,
      sortedSessions(input.sessionsByVisitor.get(visitorId) ?? NO_SESSIONS),
      callsByVisitor.get(visitorId) ?? NO_CALLS,
      run,
    );
  if (input.journeys !== 'per-cookie') journeysPerPerson(run);
  for (const j of run.journeys) {
    j.tps.sort(byDateThenKey);
    for (const tp of j.tps) run.touchpoints.push(toTouchpointRecord(tp));
  }
  taskUpdates.sort(byId);
  return { webSessions: run.webSessions, touchpoints: run.touchpoints, tasks: taskUpdates, summary };
}

/** R21: one journey per known person — positions and percentages over their cookies' touchpoints. */
function journeysPerPerson(run: Run): void {
  const byVisitor = new Map(run.journeys.map((j) => [j.visitorId, j]));
  const persons = personsOf(new Map(run.journeys.map((j) => [j.visitorId, j.whoIds])));
  for (const visitors of persons.values()) assignPositions(visitors.flatMap((v) => byVisitor.get(v)!.tps));
}

const NO_SESSIONS: readonly WebSession[] = [];
const NO_VISITORS: ReadonlySet<string> = new Set();
const NO_CONVERSIONS: ReadonlyMap<string, string> = new Map();
const NO_CALLERS: ReadonlyMap<string, CallerOutcome | null> = new Map();
const NO_CALLS: CallInfo[] = [];

/**
 * One touchpoint while it is planned: its place in the journey (positions and percentages are
 * filled in by assignPositions, R9/R10) and the facts its record is built from.
 */
interface PlannedTouchpoint extends JourneyTouchpoint, TouchpointFacts {
  /** The conversion that typed it (R9), or null for a plain web visit. */
  first: Conversion | null;
}

function planVisitor(visitorId: string, sessions: readonly WebSession[], calls: CallInfo[], run: Run): void {
  const conversions = visitorConversions(visitorId, sessions, calls, run);
  if (conversions.first === null && conversions.standaloneCount === 0) return; // no conversion: no lead yet
  const planned = visitorTouchpoints(visitorId, sessions, calls, conversions, run);
  assignPositions(planned.tps);

  // Records within the visitor (visitors come in id order): Web_Session__c in session order —
  // the sessions are sorted by (start, key) already — and Touchpoint__c by (date, key), once the
  // persons are known (planJoin, R21).
  for (let i = 0; i < sessions.length; i++) {
    const tp = planned.tpOfSession[i];
    if (tp !== null) run.webSessions.push(toWebSessionRecord(sessions[i], tp.channel));
  }
  // R21: the person a call names; a converted Lead is its Contact (R14).
  const whoIds = new Set<string>();
  for (const call of calls)
    if (typeof call.task.WhoId === 'string' && call.task.WhoId)
      whoIds.add(run.conversions.get(call.task.WhoId) ?? call.task.WhoId);
  run.journeys.push({ visitorId, tps: planned.tps, whoIds });

  callOutcomes(sessions, calls, planned, run);
}

/** A visitor's conversions: each converting session's first one, and how many calls stand alone. */
interface VisitorConversions {
  /** Per session, its first conversion (R9); null when no session converted. */
  first: (Conversion | null)[] | null;
  /** The converting sessions in the order they first converted (forms by session, then calls by time). */
  converting: number[];
  standaloneCount: number;
}

/** R9 and R5/R8: the sessions' first conversions; each call merged with a session or standing alone. */
function visitorConversions(
  visitorId: string,
  sessions: readonly WebSession[],
  calls: CallInfo[],
  run: Run,
): VisitorConversions {
  const { o, channels } = run;
  // R9: each session's first conversion types its touchpoint. `converting` keeps the sessions in
  // the order they first converted (forms by session, then calls by time), which decides ties
  // between equal conversion times below.
  let first: (Conversion | null)[] | null = null;
  const converting: number[] = [];
  const noteConversion = (i: number, c: Conversion) => {
    first ??= new Array<Conversion | null>(sessions.length).fill(null);
    const current = first[i];
    if (current === null) converting.push(i);
    if (current === null || comesBefore(c, current)) first[i] = c;
  };
  for (let i = 0; i < sessions.length; i++)
    for (const f of sessions[i].forms)
      noteConversion(i, { at: f.at, kind: 0, id: f.url, formUrl: f.url, task: null });

  // R5/R8: each call merges with a session or stands alone.
  if (calls.length > 1) calls.sort(byTimeThenId);
  let standaloneCount = 0;
  for (const call of calls) {
    const m = matchCall(sessions, call.at, o);
    if (m.kind === 'merged') {
      call.sessionIndex = m.index;
      noteConversion(m.index, { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task });
    } else {
      standaloneCount++;
      const nearest = m.nearest
        ? {
            ...m.nearest,
            session: sessions[m.nearest.index],
            channel: channels.web(sessions[m.nearest.index]),
          }
        : null;
      const automated = run.automated.has(visitorId);
      call.standaloneDetail =
        !nearest && !automated && run.optedOut.has(visitorId)
          ? NO_CONSENT_DETAIL
          : standaloneDetail(nearest, call.at, run.windowMinutes, automated);
      call.standaloneWhy = nearest
        ? 'window-passed'
        : automated
          ? 'bot-traffic'
          : run.optedOut.has(visitorId)
            ? 'no-consent'
            : 'never-tracked';
    }
  }
  return { first: first as (Conversion | null)[] | null, converting, standaloneCount };
}

/** A visitor's touchpoints before positions are assigned, and where each session's and call's is. */
interface VisitorTouchpoints {
  tps: PlannedTouchpoint[];
  tpOfSession: (PlannedTouchpoint | null)[];
  /** The standalone calls' touchpoints, in the calls' order. */
  standaloneTps: PlannedTouchpoint[];
}

/** R9/R10: the touchpoints of the converting sessions, the standalone calls and the visits before LC. */
function visitorTouchpoints(
  visitorId: string,
  sessions: readonly WebSession[],
  calls: CallInfo[],
  conversions: VisitorConversions,
  run: Run,
): VisitorTouchpoints {
  const firstOf = conversions.first ?? [];

  // R9: one touchpoint per converting session, typed by its first conversion; LC is the earliest.
  const tps: PlannedTouchpoint[] = [];
  const tpOfSession = new Array<PlannedTouchpoint | null>(sessions.length).fill(null);
  let lcOrderAt = Infinity;
  let lcConversionAt = Infinity;
  for (const i of conversions.converting) {
    const c = firstOf[i] as Conversion;
    const tp = touchpoint(visitorId, sessionTouchpointKey(sessions[i].sessionKey), sessions[i], c, run);
    tps.push(tp);
    tpOfSession[i] = tp;
    if (c.at < lcConversionAt) {
      lcConversionAt = c.at;
      lcOrderAt = sessions[i].startedAt;
    }
  }
  const standaloneTps: PlannedTouchpoint[] = [];
  for (const call of calls) {
    if (call.sessionIndex >= 0) continue;
    const c: Conversion = { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task };
    const tp = touchpoint(visitorId, callTouchpointKey(call.task.Id), null, c, run);
    tps.push(tp);
    standaloneTps.push(tp);
    if (call.at < lcConversionAt) {
      lcConversionAt = call.at;
      lcOrderAt = call.at;
    }
  }
  // FT and the sessions before LC get Web Visit touchpoints (R9, R10 middle share).
  for (let i = 0; i < sessions.length && sessions[i].startedAt < lcOrderAt; i++) {
    if (tpOfSession[i] !== null) continue;
    const tp = touchpoint(visitorId, sessionTouchpointKey(sessions[i].sessionKey), sessions[i], null, run);
    tps.push(tp);
    tpOfSession[i] = tp;
  }
  return { tps, tpOfSession, standaloneTps };
}

/**
 * Task outcomes: merged calls (a second conversion in a session links to its touchpoint, R9),
 * then standalone calls.
 */
function callOutcomes(
  sessions: readonly WebSession[],
  calls: CallInfo[],
  planned: VisitorTouchpoints,
  run: Run,
): void {
  let k = 0;
  for (const call of calls) {
    if (call.sessionIndex < 0) continue;
    const tp = planned.tpOfSession[call.sessionIndex] as PlannedTouchpoint;
    const typedBy = tp.first as Conversion;
    const existing = typedBy.task === call.task ? null : touchpointType(typedBy);
    run.summary.merged++;
    run.taskUpdates.push(
      taskUpdate(
        call.task,
        'Merged',
        'merged',
        mergedDetail(sessions[call.sessionIndex], tp.channel, call.at, existing),
        tp.key,
        run,
      ),
    );
  }
  for (const call of calls) {
    if (call.sessionIndex >= 0) continue;
    run.summary.standalone++;
    run.taskUpdates.push(
      taskUpdate(
        call.task,
        'Standalone',
        call.standaloneWhy,
        call.standaloneDetail as string,
        planned.standaloneTps[k++].key,
        run,
      ),
    );
  }
}

/**
 * A touchpoint and its facts (R6–R8): one object from planning to record. `session` is null for a
 * standalone call; `first` is null for a plain web visit.
 */
function touchpoint(
  visitorId: string,
  key: string,
  session: WebSession | null,
  first: Conversion | null,
  run: Run,
): PlannedTouchpoint {
  const task = first !== null ? first.task : null;
  const taskType = task !== null ? taskTypeOf(task) : null;
  const who = task !== null ? whoOf(task) : null;
  // Journey order: session start, or the call time of a standalone call.
  const orderAt = session !== null ? session.startedAt : (first as Conversion).at;
  const conversionAt = first !== null ? first.at : null;
  return {
    key,
    orderAt,
    conversionAt,
    position: null,
    firstTouchPercent: 0,
    leadCreationPercent: 0,
    uShapedPercent: 0,
    first,
    visitorId,
    type: touchpointType(first),
    // R6: Medium from Task.Type; empty Type (R7) or a web touchpoint → the session's utm_medium.
    medium: taskType ?? (session !== null ? session.utmMedium : null),
    // R6: the touchpoint date is the call time (the first conversion); the start for a visit.
    date: conversionAt ?? orderAt,
    // R6: web data from the session; R8: a standalone call has none, its channel from the offline rows.
    channel: session !== null ? run.channels.web(session) : run.channels.activity(taskType),
    session,
    source: session !== null ? sourceOf(session) : CRM_ACTIVITY_SOURCE,
    formUrl: first !== null && first.task === null ? first.formUrl : null,
    taskId: task !== null ? task.Id : null,
    lead: who !== null ? who.lead : null,
    // R14: a converted Lead's call belongs to the Contact it became.
    contact:
      who !== null ? (who.contact ?? (who.lead ? (run.conversions.get(who.lead) ?? null) : null)) : null,
    mergeStatus: task !== null ? (session !== null ? 'Merged' : 'Standalone') : null,
  };
}

/** R6/R7: a call's touchpoint type is Task.Type, "Web Visit" when empty; a form's is "Web Form". */
function touchpointType(first: Conversion | null): string {
  if (first === null) return WEB_VISIT;
  if (first.task === null) return WEB_FORM;
  return taskTypeOf(first.task) ?? WEB_VISIT;
}

/**
 * The Task's join fields (R2, R5, R8, R23). The caller outcome is this run's (`callers`) or, for a Task
 * linked to a person, the one its detail already starts with (join-reason.ts), so a re-run writes the same.
 */
function taskUpdate(
  task: TaskRecord,
  status: TaskUpdateRecord['Call_Join_Status__c'],
  attribution: AttributionOutcome,
  detail: string,
  touchpointKey: string | null,
  run: Pick<Run, 'callers'>,
): TaskUpdateRecord {
  const whoId = typeof task.WhoId === 'string' && task.WhoId ? task.WhoId : null;
  const decided = run.callers.get(task.Id);
  const caller = !whoId
    ? null
    : decided !== undefined
      ? decided
      : callerOutcomeOfDetail(task.Call_Join_Detail__c);
  return {
    sobject: 'Task',
    Id: task.Id,
    Call_Join_Status__c: status,
    Call_Join_Reason__c: joinReason(attribution, caller, whoId),
    Call_Join_Detail__c: withCallerSentence(detail, caller),
    Call_Touchpoint__r: touchpointKey ? { Touchpoint_Key__c: touchpointKey } : null,
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: { Id: string }, b: { Id: string }) => compareText(a.Id, b.Id);
const byTimeThenId = (a: CallInfo, b: CallInfo) => a.at - b.at || compareText(a.task.Id, b.task.Id);
const byDateThenKey = (a: PlannedTouchpoint, b: PlannedTouchpoint) =>
  a.date - b.date || compareText(a.key, b.key);

function sortedSessions(list: readonly WebSession[]): readonly WebSession[] {
  for (let i = 1; i < list.length; i++)
    if (
      list[i - 1].startedAt > list[i].startedAt ||
      (list[i - 1].startedAt === list[i].startedAt && list[i - 1].sessionKey > list[i].sessionKey)
    )
      return [...list].sort((a, b) => a.startedAt - b.startedAt || (a.sessionKey < b.sessionKey ? -1 : 1));
  return list;
}
