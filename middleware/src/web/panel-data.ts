import type { Connection } from 'jsforce';
import { callTime } from '../domain/calls';
import { AUTOMATED_TRAFFIC_DETAIL } from '../domain/detail';
import type { TaskRecord, TouchpointRecord, WebSessionRecord } from '../domain/types';
import { soqlName, soqlString } from '../salesforce/soql';
import { callTaskCondition } from '../salesforce/tasks';
import { label } from './panel-labels';

/**
 * What the Task panel shows, read from the org with the same query shape as the Apex controller
 * `CallTouchpointController.getPanel` (force-app): the Task's own fields, then its Touchpoint__c by
 * Call_Touchpoint__c, then the Web_Session__c by the touchpoint's Web_Session__c. The Task preview
 * page (/tasks/:id) and the tests use this module, so the preview shows what a rep sees in Lightning.
 */

/**
 * The Apex controller's states (ok | noTouchpoint | missingBizibleId | pending | notFound), with
 * "ok" split the way the panel shows it: merged into a web session, or a standalone call touchpoint.
 * (noAccess cannot happen here: the preview reads as the integration user.)
 */
export type PanelState = 'merged' | 'standalone' | 'no-touchpoint' | 'missing-id' | 'pending' | 'not-found';

export interface PanelTask {
  Id: string;
  Subject: string | null;
  Type: string | null;
  BizibleId: string | null;
  CreatedDate: string;
  Call_Started_At__c: string | null;
  CallDurationInSeconds: number | null;
  Call_Join_Status__c: string | null;
  Call_Join_Detail__c: string | null;
  Call_Touchpoint__c: string | null;
}

/** Touchpoint__c as the panel reads it (TOUCHPOINT_FIELDS). */
export type PanelTouchpoint = Queried<TouchpointRecord, (typeof TOUCHPOINT_FIELDS)[number]>;
/** Web_Session__c as the panel reads it (SESSION_FIELDS). */
export type PanelSession = Queried<WebSessionRecord, (typeof SESSION_FIELDS)[number]>;

/**
 * The fields `F` of record type `R` as a SOQL query returns them: the Id always, every other field
 * possibly null (empty in the org). Fields the engine does not write itself (Name, lookup ids such as
 * Web_Session__c) are strings.
 */
type Queried<R, F extends string> = { Id: string } & {
  [K in Exclude<F, 'Id'>]: (K extends keyof R ? R[K] : string) | null;
};

export interface TimelineStep {
  title: string;
  text: string;
  subtext: string | null;
  at: string;
  /** Whole minutes since the previous step (null for the first step). */
  minutesSincePrevious: number | null;
}

export interface PanelData {
  state: PanelState;
  task: PanelTask | null;
  touchpoint: PanelTouchpoint | null;
  session: PanelSession | null;
  /** R3 call time (ISO), as the Apex controller computes it. */
  callTime: string | null;
  /**
   * Header: for a touchpoint the LWC's summary line ("Call from Paid Search · google / cpc ·
   * Spring Promo"), otherwise the state's title ("No visitor id on this call").
   */
  header: string;
  /** Merged / standalone sentence under the header (LWC status text), null for other states. */
  statusText: string | null;
  /** The join's own sentence (Call_Join_Detail__c) or the state's explanation. */
  detail: string | null;
  /** What to do next, for the states without a merged session. */
  nextStep: string | null;
  /** Position badges, e.g. ['FT', 'LC']. */
  positions: string[];
  timeline: TimelineStep[];
}

const TASK_FIELDS = [
  'Id',
  'Subject',
  'Type',
  'CreatedDate',
  'CallDurationInSeconds',
  'Call_Started_At__c',
  'Call_Join_Status__c',
  'Call_Join_Detail__c',
  'Call_Touchpoint__c',
];
// Field lists as in CallTouchpointController (readTouchpoint / readSession), in the same order.
const TOUCHPOINT_FIELDS = [
  'Id',
  'Name',
  'Touchpoint_Type__c',
  'Medium__c',
  'Channel__c',
  'Subchannel__c',
  'Source__c',
  'Campaign__c',
  'Ad_Content__c',
  'Keyword__c',
  'Position__c',
  'First_Touch_Percent__c',
  'Lead_Creation_Percent__c',
  'U_Shaped_Percent__c',
  'Touchpoint_Date__c',
  'Web_Session__c',
] as const;
const SESSION_FIELDS = [
  'Id',
  'Name',
  'Started_At__c',
  'Last_Activity_At__c',
  'Landing_Page__c',
  'Referrer_Page__c',
  'Page_Views__c',
  'Form_Submits__c',
  'Source__c',
  'Medium__c',
  'Campaign__c',
  'Content__c',
  'Term__c',
  'Click_Id__c',
] as const;

/** Salesforce record ids: 15 or 18 alphanumeric characters. Anything else is never queried. */
export const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

type Row = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function pick<T>(row: Row, fields: readonly string[]): T {
  const out: Row = {};
  for (const f of fields) out[f] = row[f] ?? null;
  return out as T;
}

/** Reads the three records the panel needs; the Task's BizibleId field name is configurable (R1). */
export async function loadPanelData(
  conn: Connection,
  taskId: string,
  options: { bizibleIdField: string },
): Promise<PanelData> {
  if (!RECORD_ID.test(taskId)) return buildPanelData(null, null, null);
  const tasks = await conn.query<Row>(
    `SELECT ${[...TASK_FIELDS, soqlName(options.bizibleIdField)].join(', ')} FROM Task WHERE Id = ${soqlString(taskId)} AND ${callTaskCondition(options.bizibleIdField)} LIMIT 1`,
  );
  const taskRow = tasks.records[0];
  // Any other Task is "not found", with the same answer as an id that does not exist.
  if (!taskRow) return buildPanelData(null, null, null);
  const task: PanelTask = {
    ...pick<PanelTask>(taskRow, TASK_FIELDS),
    BizibleId: str(taskRow[options.bizibleIdField]),
  };

  let touchpoint: PanelTouchpoint | null = null;
  let session: PanelSession | null = null;
  const touchpointId = str(task.Call_Touchpoint__c);
  if (touchpointId && RECORD_ID.test(touchpointId)) {
    const tps = await conn.query<Row>(
      `SELECT ${TOUCHPOINT_FIELDS.join(', ')} FROM Touchpoint__c WHERE Id = ${soqlString(touchpointId)} LIMIT 1`,
    );
    if (tps.records[0]) touchpoint = pick<PanelTouchpoint>(tps.records[0], TOUCHPOINT_FIELDS);
  }
  const sessionId = str(touchpoint?.Web_Session__c);
  if (sessionId && RECORD_ID.test(sessionId)) {
    const ss = await conn.query<Row>(
      `SELECT ${SESSION_FIELDS.join(', ')} FROM Web_Session__c WHERE Id = ${soqlString(sessionId)} LIMIT 1`,
    );
    if (ss.records[0]) session = pick<PanelSession>(ss.records[0], SESSION_FIELDS);
  }
  return buildPanelData(task, touchpoint, session);
}

/** The LWC's texts per state without a touchpoint (title, detail, next step; custom labels). */
const STATE_TEXT: Record<
  Exclude<PanelState, 'merged' | 'standalone'>,
  { title: string; detail: string; next: string; useJoinDetail: boolean }
> = {
  'missing-id': {
    title: 'CTP_Missing_BizibleId_Title',
    detail: 'CTP_Missing_BizibleId_Detail',
    next: 'CTP_Missing_BizibleId_Next_Step',
    useJoinDetail: true,
  },
  pending: {
    title: 'CTP_Pending_Title',
    detail: 'CTP_Pending_Detail',
    next: 'CTP_Pending_Next_Step',
    useJoinDetail: true,
  },
  'no-touchpoint': {
    title: 'CTP_No_Touchpoint_Title',
    detail: 'CTP_No_Touchpoint_Detail',
    next: 'CTP_No_Touchpoint_Next_Step',
    useJoinDetail: true,
  },
  'not-found': {
    title: 'CTP_Not_Found_Title',
    detail: 'CTP_Not_Found_Detail',
    next: 'CTP_Not_Found_Next_Step',
    useJoinDetail: false,
  },
};

/** Pure: the panel's state, header, badges and timeline from the three records. */
export function buildPanelData(
  task: PanelTask | null,
  touchpoint: PanelTouchpoint | null,
  session: PanelSession | null,
): PanelData {
  // Same decisions, in the same order, as CallTouchpointController.getPanel.
  let state: PanelState;
  const status = task ? str(task.Call_Join_Status__c) : null;
  if (!task) state = 'not-found';
  else if (!str(task.Call_Touchpoint__c)) {
    if (status === 'Missing BizibleId' || !task.BizibleId) state = 'missing-id';
    else if (!status || status === 'Pending') state = 'pending';
    else state = 'no-touchpoint';
  } else if (!touchpoint) state = 'no-touchpoint';
  // The LWC shows "standalone" for a Standalone status or a touchpoint without a session.
  else state = status === 'Standalone' || !session ? 'standalone' : 'merged';

  const at = task ? callTime(task as unknown as TaskRecord) : null;
  const callAt = at === null ? null : new Date(at).toISOString();
  const base = { task, touchpoint, session, callTime: callAt };
  if (state !== 'merged' && state !== 'standalone') {
    const text = STATE_TEXT[state];
    const joinDetail = text.useJoinDetail ? str(task?.Call_Join_Detail__c) : null;
    return {
      ...base,
      state,
      header: label(text.title),
      statusText: null,
      detail: joinDetail ?? label(text.detail),
      nextStep: label(text.next),
      positions: [],
      timeline: [],
    };
  }
  const tp = touchpoint as PanelTouchpoint;
  return {
    ...base,
    state,
    header: summaryLine(tp, state === 'merged' ? session : null),
    statusText: label(state === 'standalone' ? 'CTP_Status_Standalone' : 'CTP_Status_Merged'),
    detail:
      str(task?.Call_Join_Detail__c) ?? (state === 'standalone' ? label('CTP_Standalone_Detail') : null),
    nextStep:
      state !== 'standalone'
        ? null
        : str(task?.Call_Join_Detail__c)?.startsWith(AUTOMATED_TRAFFIC_DETAIL)
          ? label('CTP_Automated_Next_Step')
          : label('CTP_Standalone_Next_Step'),
    positions: (tp.Position__c ?? '')
      .split(/[,;]/)
      .map((p) => p.trim())
      .filter(Boolean),
    timeline: state === 'merged' && session ? timeline(session, task as PanelTask, callAt) : [],
  };
}

/** The LWC's summary line: "{type} from {channel} · source / medium · campaign" (R6). */
export function summaryLine(tp: PanelTouchpoint, session: PanelSession | null): string {
  const parts = [
    label(
      'CTP_Summary_From',
      str(tp.Touchpoint_Type__c) ?? label('CTP_Call_Fallback'),
      str(tp.Channel__c) ?? label('CTP_Unknown_Channel'),
    ),
  ];
  const sourceMedium = session
    ? [str(session.Source__c), str(session.Medium__c)].filter(Boolean).join(' / ')
    : '';
  const source = sourceMedium || str(tp.Source__c);
  if (source) parts.push(source);
  const campaign = str(tp.Campaign__c);
  if (campaign) parts.push(campaign);
  return parts.join(' · ');
}

/** Landing page → last activity → call, sorted by time (a call may come mid-session), as the LWC. */
/**
 * Where the visitor came from. No referrer is "direct" only when the landing page carried no ad
 * click id and no UTM tags: an ad click whose browser withheld the referrer (referrer policy, app
 * browsers) is not a direct arrival. Same rule as the LWC's arrivalText.
 */
export function arrivalText(s: PanelSession): string {
  if (str(s.Referrer_Page__c)) return label('CTP_From_Referrer', s.Referrer_Page__c);
  const clickId = str(s.Click_Id__c)?.split(/[=:]/)[0];
  const tags = [str(s.Source__c), str(s.Medium__c)].filter(Boolean).join(' / ');
  const what = [clickId, tags, str(s.Campaign__c)].filter(Boolean).join(', ');
  return what ? label('CTP_Tagged_Arrival', what) : label('CTP_No_Referrer');
}

function timeline(s: PanelSession, task: PanelTask, callAt: string | null): TimelineStep[] {
  const steps: Omit<TimelineStep, 'minutesSincePrevious'>[] = [];
  const started = str(s.Started_At__c);
  const last = str(s.Last_Activity_At__c);
  if (started) {
    steps.push({
      title: label('CTP_Session_Started'),
      at: started,
      text: label('CTP_Landed_On', str(s.Landing_Page__c) ?? label('CTP_Unknown_Page')),
      subtext: arrivalText(s),
    });
  }
  if (last && last !== started) {
    steps.push({
      title: label('CTP_Last_Activity'),
      at: last,
      text: label('CTP_Page_Activity', num(s.Page_Views__c) ?? 0, num(s.Form_Submits__c) ?? 0),
      subtext: null,
    });
  }
  if (callAt)
    steps.push({ title: label('CTP_Call_Step'), at: callAt, text: str(task.Subject) ?? '', subtext: null });
  steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return steps.map((step, i) => ({
    ...step,
    minutesSincePrevious:
      i === 0 ? null : Math.round((Date.parse(step.at) - Date.parse(steps[i - 1].at)) / 60000),
  }));
}
