import { classify, classifyActivity, CRM_ACTIVITY_SOURCE, type ChannelRules } from './channels';
import { bizibleIdOf, callTime, DEFAULT_BIZIBLE_ID_FIELD, isCallTask, taskTypeOf, whoOf } from './calls';
import {
  mergedDetail,
  MISSING_BIZIBLE_ID_DETAIL,
  standaloneDetail,
  UNKNOWN_CALL_TIME_DETAIL,
} from './detail';
import { assignPositions, type JourneyTouchpoint } from './journey';
import { DEFAULT_JOIN_OPTIONS, matchCall, type JoinOptions } from './match';
import { sourceOf, toTouchpointRecord, toWebSessionRecord, type TouchpointFacts } from './records';
import { MINUTE_MS } from './time';
import type {
  ChannelAssignment,
  TaskRecord,
  TaskUpdateRecord,
  TouchpointRecord,
  WebSession,
  WebSessionRecord,
} from './types';

export const WEB_VISIT = 'Web Visit';
export const WEB_FORM = 'Web Form';

export interface JoinInput {
  tasks: readonly TaskRecord[];
  sessionsByVisitor: ReadonlyMap<string, readonly WebSession[]>;
  rules: ChannelRules;
  /** R1: Task field holding the BizibleId (default BizibleId__c). */
  bizibleIdField?: string;
  options?: Partial<JoinOptions>;
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

interface Conversion {
  at: number;
  /** 0 = form, 1 = call: a form and a call at the same instant → the form came first. */
  kind: 0 | 1;
  id: string;
  formUrl: string | null;
  task: TaskRecord | null;
}

interface CallInfo {
  task: TaskRecord;
  at: number;
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
 */
export function planJoin(input: JoinInput): JoinPlan {
  const o: JoinOptions = { ...DEFAULT_JOIN_OPTIONS, ...input.options };
  const field = input.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const taskUpdates: TaskUpdateRecord[] = [];
  const summary: JoinSummary = { tasks: 0, merged: 0, standalone: 0, missingId: 0 };

  // R1/R2: split Tasks by BizibleId.
  const callsByVisitor = new Map<string, CallInfo[]>();
  for (const task of input.tasks) {
    const bid = bizibleIdOf(task, field);
    if (bid === null) {
      if (!isCallTask(task)) continue;
      summary.tasks++;
      summary.missingId++;
      taskUpdates.push(taskUpdate(task.Id, 'Missing BizibleId', MISSING_BIZIBLE_ID_DETAIL, null));
      continue;
    }
    summary.tasks++;
    const at = callTime(task);
    if (at === null) {
      taskUpdates.push(taskUpdate(task.Id, 'Pending', UNKNOWN_CALL_TIME_DETAIL, null));
      continue;
    }
    let list = callsByVisitor.get(bid);
    if (!list) callsByVisitor.set(bid, (list = []));
    list.push({ task, at });
  }

  const visitors = new Set<string>(input.sessionsByVisitor.keys());
  for (const v of callsByVisitor.keys()) visitors.add(v);
  const webSessions: WebSessionRecord[] = [];
  const touchpoints: TouchpointRecord[] = [];
  for (const visitorId of [...visitors].sort()) {
    planVisitor(
      visitorId,
      sortedSessions(input.sessionsByVisitor.get(visitorId) ?? []),
      callsByVisitor.get(visitorId) ?? [],
      input.rules,
      o,
      { webSessions, touchpoints, taskUpdates, summary },
    );
  }
  taskUpdates.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  return { webSessions, touchpoints, tasks: taskUpdates, summary };
}

interface Sink {
  webSessions: WebSessionRecord[];
  touchpoints: TouchpointRecord[];
  taskUpdates: TaskUpdateRecord[];
  summary: JoinSummary;
}

interface SessionTp extends JourneyTouchpoint {
  session: WebSession | null;
  first: Conversion | null;
  channel: ChannelAssignment;
}

function planVisitor(
  visitorId: string,
  sessions: readonly WebSession[],
  calls: CallInfo[],
  rules: ChannelRules,
  o: JoinOptions,
  out: Sink,
): void {
  let conversionsBySession: Map<number, Conversion[]> | null = null;
  const addConversion = (i: number, c: Conversion) => {
    conversionsBySession ??= new Map();
    const list = conversionsBySession.get(i);
    if (list) list.push(c);
    else conversionsBySession.set(i, [c]);
  };
  for (let i = 0; i < sessions.length; i++)
    for (const f of sessions[i].forms)
      addConversion(i, { at: f.at, kind: 0, id: f.url, formUrl: f.url, task: null });

  // R5/R8: each call merges with a session or stands alone.
  calls.sort((a, b) => a.at - b.at || (a.task.Id < b.task.Id ? -1 : a.task.Id > b.task.Id ? 1 : 0));
  const channelCache = new Map<number, ChannelAssignment>();
  const channelOf = (i: number) => {
    let c = channelCache.get(i);
    if (!c) channelCache.set(i, (c = classify(sessions[i], rules)));
    return c;
  };
  const standalone: { call: CallInfo; detail: string }[] = [];
  const mergedCalls: { call: CallInfo; index: number }[] = [];
  for (const call of calls) {
    const m = matchCall(sessions, call.at, o);
    if (m.kind === 'merged') {
      addConversion(m.index, { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task });
      mergedCalls.push({ call, index: m.index });
    } else {
      const nearest = m.nearest
        ? { ...m.nearest, session: sessions[m.nearest.index], channel: channelOf(m.nearest.index) }
        : null;
      standalone.push({
        call,
        detail: standaloneDetail(nearest, call.at, Math.round(o.windowMs / MINUTE_MS)),
      });
    }
  }
  if (conversionsBySession === null && standalone.length === 0) return; // no conversion: no lead yet

  // R9: one touchpoint per converting session, typed by its first conversion.
  const tps: SessionTp[] = [];
  const bySession = new Map<number, SessionTp>();
  let lcOrderAt = Infinity;
  let lcConversionAt = Infinity;
  const cs = conversionsBySession as Map<number, Conversion[]> | null;
  if (cs)
    for (const [i, list] of cs) {
      list.sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const full = sessionTp(
        sessionTouchpointKey(sessions[i].sessionKey),
        sessions[i].startedAt,
        list[0].at,
        sessions[i],
        list[0],
        channelOf(i),
      );
      tps.push(full);
      bySession.set(i, full);
      if (list[0].at < lcConversionAt) {
        lcConversionAt = list[0].at;
        lcOrderAt = sessions[i].startedAt;
      }
    }
  const standaloneTps: SessionTp[] = [];
  for (const { call } of standalone) {
    const conv: Conversion = { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task };
    const full = sessionTp(
      callTouchpointKey(call.task.Id),
      call.at,
      call.at,
      null,
      conv,
      classifyActivity(taskTypeOf(call.task), rules),
    );
    tps.push(full);
    standaloneTps.push(full);
    if (call.at < lcConversionAt) {
      lcConversionAt = call.at;
      lcOrderAt = call.at;
    }
  }
  // FT and the sessions before LC get Web Visit touchpoints (R9, R10 middle share).
  for (let i = 0; i < sessions.length && sessions[i].startedAt < lcOrderAt; i++) {
    if (bySession.has(i)) continue;
    const full = sessionTp(
      sessionTouchpointKey(sessions[i].sessionKey),
      sessions[i].startedAt,
      null,
      sessions[i],
      null,
      channelOf(i),
    );
    tps.push(full);
    bySession.set(i, full);
  }
  assignPositions(tps);

  // Records, sorted by date then key within the visitor (visitors come in id order).
  const sessionRecords: { at: number; key: string; i: number }[] = [];
  for (const [i] of bySession)
    sessionRecords.push({ at: sessions[i].startedAt, key: sessions[i].sessionKey, i });
  sessionRecords.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
  for (const r of sessionRecords) out.webSessions.push(toWebSessionRecord(sessions[r.i], channelOf(r.i)));

  const facts = tps.map((tp) => touchpointFacts(visitorId, tp));
  facts.sort((a, b) => a.date - b.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const f of facts) out.touchpoints.push(toTouchpointRecord(f));

  // Task outcomes.
  for (const { call, index } of mergedCalls) {
    const tp = bySession.get(index) as SessionTp;
    const first = tp.first as Conversion;
    const existing = first.task === call.task ? null : touchpointType(first);
    out.summary.merged++;
    out.taskUpdates.push(
      taskUpdate(
        call.task.Id,
        'Merged',
        mergedDetail(sessions[index], tp.channel, call.at, existing),
        tp.key,
      ),
    );
  }
  for (let k = 0; k < standalone.length; k++) {
    out.summary.standalone++;
    out.taskUpdates.push(
      taskUpdate(standalone[k].call.task.Id, 'Standalone', standalone[k].detail, standaloneTps[k].key),
    );
  }
}

/** One allocation per touchpoint, always the same shape (the planner builds hundreds of thousands). */
function sessionTp(
  key: string,
  orderAt: number,
  conversionAt: number | null,
  session: WebSession | null,
  first: Conversion | null,
  channel: ChannelAssignment,
): SessionTp {
  return {
    key,
    orderAt,
    conversionAt,
    position: null,
    firstTouchPercent: 0,
    leadCreationPercent: 0,
    uShapedPercent: 0,
    session,
    first,
    channel,
  };
}

/** R6/R7: a call's touchpoint type is Task.Type, "Web Visit" when empty; a form's is "Web Form". */
function touchpointType(first: Conversion | null): string {
  if (first === null) return WEB_VISIT;
  if (first.task === null) return WEB_FORM;
  return taskTypeOf(first.task) ?? WEB_VISIT;
}

function touchpointFacts(visitorId: string, tp: SessionTp): TouchpointFacts {
  const s = tp.session;
  const task = tp.first?.task ?? null;
  const who = task ? whoOf(task) : { lead: null, contact: null };
  const taskType = task ? taskTypeOf(task) : null;
  return {
    key: tp.key,
    visitorId,
    type: touchpointType(tp.first),
    // R6: Medium from Task.Type; empty Type (R7) or a web touchpoint → the session's utm_medium.
    medium: taskType ?? (s ? s.utmMedium : null),
    date: tp.conversionAt ?? tp.orderAt,
    position: tp.position,
    firstTouchPercent: tp.firstTouchPercent,
    leadCreationPercent: tp.leadCreationPercent,
    uShapedPercent: tp.uShapedPercent,
    channel: tp.channel,
    session: s,
    source: s ? sourceOf(s) : CRM_ACTIVITY_SOURCE,
    formUrl: tp.first && tp.first.task === null ? tp.first.formUrl : null,
    taskId: task ? task.Id : null,
    lead: who.lead,
    contact: who.contact,
    mergeStatus: task ? (s ? 'Merged' : 'Standalone') : null,
  };
}

function taskUpdate(
  id: string,
  status: TaskUpdateRecord['Call_Join_Status__c'],
  detail: string,
  touchpointKey: string | null,
): TaskUpdateRecord {
  return {
    sobject: 'Task',
    Id: id,
    Call_Join_Status__c: status,
    Call_Join_Detail__c: detail,
    Call_Touchpoint__r: touchpointKey ? { Touchpoint_Key__c: touchpointKey } : null,
  };
}

function sortedSessions(list: readonly WebSession[]): readonly WebSession[] {
  for (let i = 1; i < list.length; i++)
    if (
      list[i - 1].startedAt > list[i].startedAt ||
      (list[i - 1].startedAt === list[i].startedAt && list[i - 1].sessionKey > list[i].sessionKey)
    )
      return [...list].sort((a, b) => a.startedAt - b.startedAt || (a.sessionKey < b.sessionKey ? -1 : 1));
  return list;
}
