import type { Connection } from 'jsforce';
import { soqlName, soqlString } from '../salesforce/soql';

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

export interface PanelTouchpoint {
  Id: string;
  Touchpoint_Type__c: string | null;
  Medium__c: string | null;
  Channel__c: string | null;
  Subchannel__c: string | null;
  Source__c: string | null;
  Campaign__c: string | null;
  Ad_Content__c: string | null;
  Keyword__c: string | null;
  Landing_Page__c: string | null;
  Referrer_Page__c: string | null;
  Position__c: string | null;
  First_Touch_Percent__c: number | null;
  Lead_Creation_Percent__c: number | null;
  U_Shaped_Percent__c: number | null;
  Touchpoint_Date__c: string | null;
  Merge_Status__c: string | null;
  Web_Session__c: string | null;
}

export interface PanelSession {
  Id: string;
  Started_At__c: string | null;
  Last_Activity_At__c: string | null;
  Landing_Page__c: string | null;
  Referrer_Page__c: string | null;
  Channel__c: string | null;
  Subchannel__c: string | null;
  Source__c: string | null;
  Medium__c: string | null;
  Campaign__c: string | null;
  Content__c: string | null;
  Term__c: string | null;
  Click_Id__c: string | null;
  Page_Views__c: number | null;
  Form_Submits__c: number | null;
}

export interface TimelineStep {
  label: string;
  detail: string | null;
  at: string | null;
  /** Whole minutes since the previous step, null for the first step or unknown times. */
  minutesSincePrevious: number | null;
}

export interface PanelData {
  state: PanelState;
  task: PanelTask | null;
  touchpoint: PanelTouchpoint | null;
  session: PanelSession | null;
  /** "Phone call from Paid Search · google / cpc · Spring Promo" */
  header: string;
  /** The join's own sentence (Call_Join_Detail__c) or a state explanation. */
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
const TOUCHPOINT_FIELDS = [
  'Id',
  'Touchpoint_Type__c',
  'Medium__c',
  'Channel__c',
  'Subchannel__c',
  'Source__c',
  'Campaign__c',
  'Ad_Content__c',
  'Keyword__c',
  'Landing_Page__c',
  'Referrer_Page__c',
  'Position__c',
  'First_Touch_Percent__c',
  'Lead_Creation_Percent__c',
  'U_Shaped_Percent__c',
  'Touchpoint_Date__c',
  'Merge_Status__c',
  'Web_Session__c',
];
const SESSION_FIELDS = [
  'Id',
  'Started_At__c',
  'Last_Activity_At__c',
  'Landing_Page__c',
  'Referrer_Page__c',
  'Channel__c',
  'Subchannel__c',
  'Source__c',
  'Medium__c',
  'Campaign__c',
  'Content__c',
  'Term__c',
  'Click_Id__c',
  'Page_Views__c',
  'Form_Submits__c',
];

/** Salesforce record ids: 15 or 18 alphanumeric characters. Anything else is never queried. */
export const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const MISSING_ID_NEXT_STEP =
  'Check that the call-tracking vendor captures the _biz_uid cookie and sends it with the call (ask your Salesforce admin).';
const STANDALONE_NEXT_STEP =
  'The call is still counted as a touchpoint of its own. If the caller did visit the website, check that the tracking snippet is on every page.';
const PENDING_DETAIL = 'The call has not been joined to web sessions yet; this normally takes a few seconds.';
const NO_TOUCHPOINT_DETAIL = 'The call was joined but its touchpoint record is not in the org (deleted, or not shared with you).';

type Row = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function pick<T>(row: Row, fields: string[]): T {
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
    `SELECT ${[...TASK_FIELDS, soqlName(options.bizibleIdField)].join(', ')} FROM Task WHERE Id = ${soqlString(taskId)} LIMIT 1`,
  );
  const taskRow = tasks.records[0];
  if (!taskRow) return buildPanelData(null, null, null);
  const task: PanelTask = { ...pick<PanelTask>(taskRow, TASK_FIELDS), BizibleId: str(taskRow[options.bizibleIdField]) };

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

/** Pure: the panel's state, header, badges and timeline from the three records. */
export function buildPanelData(
  task: PanelTask | null,
  touchpoint: PanelTouchpoint | null,
  session: PanelSession | null,
): PanelData {
  if (!task) {
    return {
      state: 'not-found',
      task: null,
      touchpoint: null,
      session: null,
      header: 'Task not found',
      detail: 'No Task with this id exists in the org, or you have no access to it.',
      nextStep: null,
      positions: [],
      timeline: [],
    };
  }
  // Same decisions, in the same order, as CallTouchpointController.getPanel.
  const status = str(task.Call_Join_Status__c);
  let state: PanelState;
  if (!str(task.Call_Touchpoint__c)) {
    if (status === 'Missing BizibleId' || !task.BizibleId) state = 'missing-id';
    else if (!status || status === 'Pending') state = 'pending';
    else state = 'no-touchpoint';
  } else if (!touchpoint) state = 'no-touchpoint';
  else state = session || status === 'Merged' ? 'merged' : 'standalone';
  const positions = (touchpoint?.Position__c ?? '')
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    state,
    task,
    touchpoint,
    session,
    header: headerLine(state, touchpoint, session),
    detail:
      str(task.Call_Join_Detail__c) ??
      (state === 'pending' ? PENDING_DETAIL : state === 'no-touchpoint' ? NO_TOUCHPOINT_DETAIL : null),
    nextStep: state === 'missing-id' ? MISSING_ID_NEXT_STEP : state === 'standalone' ? STANDALONE_NEXT_STEP : null,
    positions,
    timeline: state === 'merged' ? timeline(task, touchpoint, session) : [],
  };
}

/** "Phone call from Paid Search · google / cpc · Spring Promo" (parts that are empty are left out). */
export function headerLine(
  state: PanelState,
  touchpoint: PanelTouchpoint | null,
  session: PanelSession | null,
): string {
  if (state === 'missing-id') return 'Phone call without a BizibleId';
  if (state === 'pending') return 'Phone call · join pending';
  if (state === 'not-found') return 'Task not found';
  if (state === 'no-touchpoint') return 'Phone call · touchpoint not available';
  const channel = str(touchpoint?.Channel__c) ?? 'Other';
  const parts = [`Phone call from ${channel}`];
  const source = str(session?.Source__c) ?? str(touchpoint?.Source__c);
  const medium = str(session?.Medium__c);
  if (source || medium) parts.push([source, medium].filter(Boolean).join(' / '));
  const campaign = str(touchpoint?.Campaign__c) ?? str(session?.Campaign__c);
  if (campaign) parts.push(campaign);
  return parts.join(' · ');
}

function minutesBetween(a: string | null, b: string | null): number | null {
  if (!a || !b) return null;
  const ms = Date.parse(b) - Date.parse(a);
  return Number.isFinite(ms) ? Math.round(ms / 60000) : null;
}

/** Landing page → pages → call, with minutes between (the session only keeps first/last activity). */
function timeline(task: PanelTask, touchpoint: PanelTouchpoint | null, session: PanelSession | null): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const push = (label: string, detail: string | null, at: string | null) => {
    const previous = steps.length ? steps[steps.length - 1].at : null;
    steps.push({ label, detail, at, minutesSincePrevious: steps.length ? minutesBetween(previous, at) : null });
  };
  if (session) {
    push('Landing page', str(session.Landing_Page__c), str(session.Started_At__c));
    const views = num(session.Page_Views__c) ?? 0;
    if (views > 1) push(`${views} page views`, 'last activity on the website', str(session.Last_Activity_At__c));
  }
  const callAt = str(touchpoint?.Touchpoint_Date__c) ?? str(task.Call_Started_At__c) ?? str(task.CreatedDate);
  push('Phone call', str(task.Subject), callAt);
  return steps;
}
