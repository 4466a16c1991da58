import { z } from 'zod';
import { callTime } from '../domain/calls';
import { joinReasonLabel } from '../domain/join-reason';
import type { TaskRecord } from '../domain/types';
import type { TouchpointFields, WebSessionFields } from '../generated/data-model';
import { errorCode } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import { soqlName, soqlString } from '../salesforce/soql';
import { callTaskCondition } from '../join';

/**
 * What `CallTouchpointController.getPanel` (force-app) returns to the `callTouchpointPanel` LWC, built
 * here from the same three reads (Task, its Touchpoint__c, the touchpoint's Web_Session__c). The Task
 * preview serves it as /tasks/:id/panel.json, where the real LWC's Apex wire gets it
 * (web/panel-preview/stand-ins/apex.js). The schemas are strict: the LWC's jest fixtures
 * (force-app/…/callTouchpointPanel/__tests__/data/*.json) must parse with them (panel-data.unit.test.ts).
 * New fields go into the schema and the builder together; the LWC ignores fields it does not read.
 */

const id = z.string();
const instant = z.string(); // Apex Datetime → ISO 8601 in UTC with milliseconds

export const touchpointDataSchema = z.strictObject({
  id,
  name: z.string().optional(),
  touchpointType: z.string().optional(),
  medium: z.string().optional(),
  channel: z.string().optional(),
  subchannel: z.string().optional(),
  source: z.string().optional(),
  campaign: z.string().optional(),
  adContent: z.string().optional(),
  keyword: z.string().optional(),
  position: z.string().optional(),
  firstTouchPercent: z.number().optional(),
  leadCreationPercent: z.number().optional(),
  uShapedPercent: z.number().optional(),
  touchpointDate: instant.optional(),
  webSessionId: id.optional(),
});

export const sessionDataSchema = z.strictObject({
  id,
  name: z.string().optional(),
  startedAt: instant.optional(),
  lastActivityAt: instant.optional(),
  landingPage: z.string().optional(),
  referrerPage: z.string().optional(),
  pageViews: z.number().int().optional(),
  formSubmits: z.number().int().optional(),
  utmSource: z.string().optional(),
  utmMedium: z.string().optional(),
  utmCampaign: z.string().optional(),
  utmContent: z.string().optional(),
  utmTerm: z.string().optional(),
  clickId: z.string().optional(),
});

/** PanelData.state of the controller. */
export const PANEL_STATES = [
  'ok',
  'noTouchpoint',
  'missingBizibleId',
  'noAccess',
  'notFound',
  'pending',
] as const;

export const panelDataSchema = z.strictObject({
  state: z.enum(PANEL_STATES),
  taskId: id.optional(),
  taskType: z.string().optional(),
  subject: z.string().optional(),
  bizibleId: z.string().optional(),
  callTime: instant.optional(),
  joinStatus: z.string().optional(),
  joinDetail: z.string().optional(),
  /** Call_Join_Reason__c (R23): its API value and its label. */
  joinReason: z.string().optional(),
  joinReasonLabel: z.string().optional(),
  /** The Task's WhoId, and the Lead's or Contact's name and object. */
  personId: id.optional(),
  personName: z.string().optional(),
  personType: z.string().optional(),
  touchpointId: id.optional(),
  touchpoint: touchpointDataSchema.optional(),
  session: sessionDataSchema.optional(),
  /** Technical reason for noAccess, for the admin; the panel shows a plain sentence instead. */
  message: z.string().optional(),
});

export type PanelData = z.infer<typeof panelDataSchema>;
export type TouchpointData = z.infer<typeof touchpointDataSchema>;
export type SessionData = z.infer<typeof sessionDataSchema>;

/** Salesforce record ids: 15 or 18 alphanumeric characters. Anything else is never queried. */
export const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
/** Key prefix of Task ids; the controller answers notFound for an id of another object. */
const TASK_KEY_PREFIX = '00T';

// Call_Join_Status__c values written by the join.
const STATUS_PENDING = 'Pending';
const STATUS_MISSING_BIZIBLE_ID = 'Missing BizibleId';

type Row = Record<string, unknown>;

/** The object a WhoId names (Who.Type): Lead (00Q) or Contact (003). */
export function personType(whoId: string | null | undefined): string | undefined {
  if (!whoId) return undefined;
  return whoId.startsWith('00Q') ? 'Lead' : whoId.startsWith('003') ? 'Contact' : undefined;
}

// Field → PanelData property, in the controller's query order (readTask / readTouchpoint / readSession).
// Only the fields the panel shows; the keys are checked against force-app's fields (generated/data-model.ts).
type Shown<Fields, Data> = Partial<Record<keyof Fields | 'Id' | 'Name', keyof Data>>;
const TOUCHPOINT_FIELDS = {
  Id: 'id',
  Name: 'name',
  Touchpoint_Type__c: 'touchpointType',
  Medium__c: 'medium',
  Channel__c: 'channel',
  Subchannel__c: 'subchannel',
  Source__c: 'source',
  Campaign__c: 'campaign',
  Ad_Content__c: 'adContent',
  Keyword__c: 'keyword',
  Position__c: 'position',
  First_Touch_Percent__c: 'firstTouchPercent',
  Lead_Creation_Percent__c: 'leadCreationPercent',
  U_Shaped_Percent__c: 'uShapedPercent',
  Touchpoint_Date__c: 'touchpointDate',
  Web_Session__c: 'webSessionId',
} as const satisfies Shown<TouchpointFields, TouchpointData>;
const SESSION_FIELDS = {
  Id: 'id',
  Name: 'name',
  Started_At__c: 'startedAt',
  Last_Activity_At__c: 'lastActivityAt',
  Landing_Page__c: 'landingPage',
  Referrer_Page__c: 'referrerPage',
  Page_Views__c: 'pageViews',
  Form_Submits__c: 'formSubmits',
  Source__c: 'utmSource',
  Medium__c: 'utmMedium',
  Campaign__c: 'utmCampaign',
  Content__c: 'utmContent',
  Term__c: 'utmTerm',
  Click_Id__c: 'clickId',
} as const satisfies Shown<WebSessionFields, SessionData>;
const TASK_FIELDS = [
  'Id',
  'Subject',
  'Type',
  'Call_Started_At__c',
  'CreatedDate',
  'CallDurationInSeconds',
  'Call_Join_Status__c',
  'Call_Join_Reason__c',
  'Call_Join_Detail__c',
  'Call_Touchpoint__c',
  'WhoId',
  'Who.Name',
];
const DATETIME_PROPERTIES = new Set(['touchpointDate', 'startedAt', 'lastActivityAt']);
const INTEGER_PROPERTIES = new Set(['pageViews', 'formSubmits']);

/** Datetime as Apex serializes it to the LWC ("2026-03-10T13:05:00.000Z"); REST sends "…+0000". */
function isoInstant(v: string): string | undefined {
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * One record as the controller's data class: empty fields are left out, as the controller's
 * serialized answer (and the LWC's fixtures) have them.
 */
function mapRecord(row: Row, fields: Record<string, string>): Row {
  const out: Row = {};
  for (const [field, prop] of Object.entries(fields)) {
    const v = row[field];
    if (v === null || v === undefined || v === '') continue;
    if (DATETIME_PROPERTIES.has(prop)) out[prop] = isoInstant(String(v));
    else if (INTEGER_PROPERTIES.has(prop)) out[prop] = Math.trunc(Number(v));
    else out[prop] = v;
  }
  return out;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Pure: the controller's answer from the rows read (null = not readable / not there). */
export function buildPanelData(
  taskRow: Row | null,
  touchpointRow: Row | null,
  sessionRow: Row | null,
): PanelData {
  if (!taskRow) return { state: 'notFound' };
  const callAt = callTime(taskRow as unknown as TaskRecord);
  const panel: PanelData = {
    state: 'pending',
    taskId: String(taskRow.Id),
    taskType: text(taskRow.Type),
    subject: text(taskRow.Subject),
    bizibleId: text(taskRow.BizibleId),
    callTime: callAt === null ? undefined : new Date(callAt).toISOString(),
    joinStatus: text(taskRow.Call_Join_Status__c),
    joinDetail: text(taskRow.Call_Join_Detail__c),
    joinReason: text(taskRow.Call_Join_Reason__c),
    joinReasonLabel: joinReasonLabel(text(taskRow.Call_Join_Reason__c)),
    touchpointId: text(taskRow.Call_Touchpoint__c),
    personId: text(taskRow.WhoId),
    personName: text((taskRow.Who as Row | null | undefined)?.Name),
    personType: personType(text(taskRow.WhoId)),
  };
  if (!panel.touchpointId) panel.state = stateWithoutTouchpoint(panel);
  else if (!touchpointRow) panel.state = 'noTouchpoint';
  else {
    panel.state = 'ok';
    panel.touchpoint = mapRecord(touchpointRow, TOUCHPOINT_FIELDS) as TouchpointData;
    if (sessionRow) panel.session = mapRecord(sessionRow, SESSION_FIELDS) as SessionData;
  }
  return withoutEmpty(panel);
}

/** R2: no BizibleId means no touchpoint; otherwise the join has not handled the call (yet). */
function stateWithoutTouchpoint(panel: PanelData): PanelData['state'] {
  if (panel.joinStatus === STATUS_MISSING_BIZIBLE_ID || !panel.bizibleId) return 'missingBizibleId';
  if (!panel.joinStatus || panel.joinStatus === STATUS_PENDING) return 'pending';
  return 'noTouchpoint';
}

function withoutEmpty(panel: PanelData): PanelData {
  return Object.fromEntries(Object.entries(panel).filter(([, v]) => v !== undefined)) as PanelData;
}

/**
 * Errors with which Salesforce refuses a query for lack of access: the REST API answers a field
 * hidden by field-level security with "No such column" (INVALID_FIELD), as for a field that does not
 * exist (https://salesforce.stackexchange.com/questions/237117/permissions-needed-for-calling-rest-api),
 * and an object without read permission with INVALID_TYPE. The controller's WITH USER_MODE queries
 * raise a QueryException for the same cases ("Set an Access Mode for Database Operations",
 * https://developer.salesforce.com/docs/platform/apex-dev/references/apex-dev/apex-classes-enforce-usermode.html).
 */
export const NO_ACCESS_CODES = new Set(['INVALID_FIELD', 'INVALID_TYPE', 'INSUFFICIENT_ACCESS']);

/**
 * Reads the records as the controller does and answers like it. The Task's BizibleId comes from the
 * configured field (R1); the controller reads BizibleId__c, the field this project deploys.
 */
export async function loadPanelData(
  sf: SalesforcePort,
  taskId: string,
  options: { bizibleIdField: string },
): Promise<PanelData> {
  if (!RECORD_ID.test(taskId) || !taskId.startsWith(TASK_KEY_PREFIX)) return { state: 'notFound' };
  let task: Row | null = null;
  try {
    const biz = soqlName(options.bizibleIdField);
    const tasks = await sf.query<Row>(
      `SELECT ${[...TASK_FIELDS, biz].join(', ')} FROM Task WHERE Id = ${soqlString(taskId)} AND ${callTaskCondition(options.bizibleIdField)} LIMIT 1`,
    );
    // Another Task (not a call) answers exactly like an id that does not exist.
    if (!tasks[0]) return { state: 'notFound', taskId };
    task = { ...tasks[0], BizibleId: tasks[0][options.bizibleIdField] };
    const touchpointId = text(task.Call_Touchpoint__c);
    const touchpoint = touchpointId
      ? await readOne(sf, 'Touchpoint__c', TOUCHPOINT_FIELDS, touchpointId)
      : null;
    const sessionId = text(touchpoint?.Web_Session__c);
    const session = sessionId ? await readOne(sf, 'Web_Session__c', SESSION_FIELDS, sessionId) : null;
    return buildPanelData(task, touchpoint, session);
  } catch (err) {
    if (!NO_ACCESS_CODES.has(errorCode(err))) throw err;
    // As the controller's denyAccess: what the Task said, no touchpoint or session, the reason.
    const base = task ? buildPanelData(task, null, null) : { state: 'noAccess' as const, taskId };
    const { touchpoint: _tp, session: _s, ...rest } = base;
    return { ...rest, state: 'noAccess', message: (err as Error).message };
  }
}

async function readOne(
  sf: SalesforcePort,
  object: string,
  fields: Record<string, string>,
  recordId: string,
): Promise<Row | null> {
  if (!RECORD_ID.test(recordId)) return null;
  const rows = await sf.query<Row>(
    `SELECT ${Object.keys(fields).join(', ')} FROM ${object} WHERE Id = ${soqlString(recordId)} LIMIT 1`,
  );
  return rows[0] ?? null;
}
