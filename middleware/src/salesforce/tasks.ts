import type { Logger } from '../log';
import { isStaleDelivery, progressOfTask } from '../vendors/call-progress';
import type { NormalizedCall } from '../vendors/normalized-call';
import { formatForDisplay, phoneSpellings } from '../vendors/phone';
import { errorCode } from './error-class';
import type { SalesforcePort } from './port';
import { soqlList, soqlName, soqlString } from './soql';

/**
 * A vendor call as a Salesforce Task (docs/vendors.md, "One Task per call"). The Task is keyed by
 * Vendor_Call_Id__c (external id, unique), so retries, concurrent deliveries and corrections all land on
 * one Task (R11).
 */

export const VENDOR_CALL_ID_FIELD = 'Vendor_Call_Id__c';

/**
 * SOQL condition for "a call Task", the SOQL side of `isCallTask` (domain/calls.ts) plus a non-empty
 * BizibleId: what the join reads and the only Tasks the pages show. Salesforce keeps an empty text
 * field as null, so `!= null` means non-empty ("Use null in WHERE", SOQL and SOSL Reference:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_null.htm).
 */
export function callTaskCondition(bizibleIdField: string): string {
  const biz = soqlName(bizibleIdField);
  return `(${biz} != null OR Type LIKE '%Call%' OR TaskSubtype = 'Call' OR CallType != null)`;
}

const VENDOR_LABELS: Record<NormalizedCall['vendor'], string> = {
  callrail: 'CallRail',
  calltrackingmetrics: 'CallTrackingMetrics',
  invoca: 'Invoca',
  dialogtech: 'DialogTech',
  generic: 'call tracking webhook',
};

export interface TaskFieldOptions {
  /** R1: BizibleId__c by default, bizible2__BizibleId__c in orgs with the managed package. */
  bizibleIdField: string;
  /** CALL_TASK_OWNER_ID: owner of new Tasks; unset → the integration user. */
  ownerId?: string | null;
}

/** "Call from +1 555 555 0123 (Google Ads)". */
export function taskSubject(call: NormalizedCall): string {
  const who = call.callerNumber ? formatForDisplay(call.callerNumber) : 'unknown number';
  const verb = call.direction === 'outbound' ? 'Call to' : 'Call from';
  const subject = `${verb} ${who}${call.source ? ` (${call.source})` : ''}`;
  return subject.length > 255 ? `${subject.slice(0, 254)}…` : subject;
}

export function taskDescription(call: NormalizedCall): string {
  const lines = [
    `${VENDOR_LABELS[call.vendor]} call ${call.vendorCallId}`,
    `Outcome: ${call.outcome}, ${call.durationSeconds} s`,
    call.trackingNumber ? `Tracking number: ${formatForDisplay(call.trackingNumber)}` : null,
    call.source ? `Source: ${call.source}` : null,
    call.campaign ? `Campaign: ${call.campaign}` : null,
    call.recordingUrl ? `Recording: ${call.recordingUrl}` : null,
  ];
  return lines.filter(Boolean).join('\n');
}

/**
 * The Task's fields, pure. `update` is what a later delivery may change; `create` adds the fields
 * that are set once: TaskSubtype (settable only on create; see TaskSubtype in the Task object reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm)
 * and OwnerId (a rep may have
 * reassigned the Task since). A delivery without a visitor id never clears a BizibleId already there.
 */
export function taskFields(
  call: NormalizedCall,
  opts: TaskFieldOptions,
): { create: Record<string, unknown>; update: Record<string, unknown> } {
  const update: Record<string, unknown> = {
    Subject: taskSubject(call),
    Type: 'Call',
    CallType: call.direction === 'outbound' ? 'Outbound' : 'Inbound',
    CallDurationInSeconds: call.durationSeconds,
    CallObject: call.vendorCallId,
    CallDisposition: call.outcome,
    Status: 'Completed',
    // UTC date of the call (R3: instants, not local wall-clock).
    ActivityDate: call.startedAt.slice(0, 10),
    Call_Started_At__c: call.startedAt,
    Description: taskDescription(call),
  };
  if (call.visitorId) update[soqlName(opts.bizibleIdField)] = call.visitorId;
  const create: Record<string, unknown> = {
    ...update,
    TaskSubtype: 'Call',
    [VENDOR_CALL_ID_FIELD]: call.vendorCallId,
  };
  if (opts.ownerId) create.OwnerId = opts.ownerId;
  return { create, update };
}

export interface TaskWriteResult {
  taskId: string;
  created: boolean;
  whoId: string | null;
  /** True when the Task already showed a later state of the call: nothing was written. */
  stale: boolean;
}

/**
 * The one Lead or Contact whose Phone or MobilePhone is this number (any common spelling of it).
 * None or several → null: a wrong link is worse than none, and the log says which it was.
 * Converted Leads are skipped (their Contact carries the number on).
 */
export async function findWhoIdByPhone(
  sf: SalesforcePort,
  e164: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<string | null> {
  const list = soqlList(phoneSpellings(e164));
  const where = `(Phone IN (${list}) OR MobilePhone IN (${list}))`;
  const leads = await sf.query<{ Id: string }>(
    `SELECT Id FROM Lead WHERE IsConverted = false AND ${where} LIMIT 2`,
    undefined,
    { signal },
  );
  const contacts = await sf.query<{ Id: string }>(
    `SELECT Id FROM Contact WHERE ${where} LIMIT 2`,
    undefined,
    { signal },
  );
  const ids = [...leads, ...contacts].map((r) => r.Id);
  if (ids.length === 1) return ids[0];
  log.info(
    { callerNumber: e164, matches: ids.length },
    ids.length === 0
      ? 'no Lead or Contact has this caller number: Task left without WhoId'
      : 'several Leads/Contacts have this caller number: Task left without WhoId',
  );
  return null;
}

interface ExistingCallTask {
  Id: string;
  CallDisposition: string | null;
  CallDurationInSeconds: number | null;
}

/**
 * The call's Task with the fields that say how far the call had got (CallDisposition,
 * CallDurationInSeconds: standard Task call fields, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm).
 */
async function existingCallTask(
  sf: SalesforcePort,
  vendorCallId: string,
  signal?: AbortSignal,
): Promise<ExistingCallTask | null> {
  const rows = await sf.query<ExistingCallTask>(
    `SELECT Id, CallDisposition, CallDurationInSeconds FROM Task WHERE ${VENDOR_CALL_ID_FIELD} = ${soqlString(vendorCallId)} LIMIT 1`,
    undefined,
    { signal },
  );
  return rows[0] ?? null;
}

/**
 * Creates or updates the call's Task. Cheapest correct order: try the create (one request, carries the
 * create-only TaskSubtype); the unique Vendor_Call_Id__c answers DUPLICATE_VALUE when the Task already
 * exists (a retry, a correction, or a concurrent writer that won the race). Then the Task's state is
 * read, and a delivery behind it (call-progress.ts) is dropped; otherwise we upsert by the external id
 * without the create-only fields. `sf` is the port for the calls pipeline: one attempt per request,
 * since the outbox worker's rescheduling is the retry.
 */
export async function upsertCallTask(
  sf: SalesforcePort,
  call: NormalizedCall,
  opts: TaskFieldOptions & { logger: Logger; signal?: AbortSignal },
): Promise<TaskWriteResult> {
  const { signal } = opts;
  const whoId = call.callerNumber ? await findWhoIdByPhone(sf, call.callerNumber, opts.logger, signal) : null;
  const { create, update } = taskFields(call, opts);
  // A match found now is linked; no match never unlinks what a rep set by hand.
  if (whoId) {
    create.WhoId = whoId;
    update.WhoId = whoId;
  }
  try {
    const res = await sf.create('Task', create, { signal });
    return { taskId: res.id, created: true, whoId, stale: false };
  } catch (err) {
    if (errorCode(err) !== 'DUPLICATE_VALUE') throw err;
  }
  const existing = await existingCallTask(sf, call.vendorCallId, signal);
  if (existing && isStaleDelivery(call, progressOfTask(existing))) {
    return { taskId: existing.Id, created: false, whoId, stale: true };
  }
  const res = await sf.upsert('Task', VENDOR_CALL_ID_FIELD, call.vendorCallId, update, { signal });
  const taskId = res.id ?? existing?.Id ?? (await existingCallTask(sf, call.vendorCallId, signal))?.Id;
  if (!taskId) throw new Error(`Task for ${call.vendorCallId} not found after upsert`);
  return { taskId, created: res.created === true, whoId, stale: false };
}
