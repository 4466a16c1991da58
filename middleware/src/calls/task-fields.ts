import { NO_CONSENT_CALL_DETAIL } from '../domain';
import { soqlName } from '../salesforce/soql';
import type { NormalizedCall } from '../vendors/normalized-call';
import { formatForDisplay } from '../vendors/phone';

/**
 * A vendor call as a Salesforce Task (docs/vendors.md, "One Task per call"), pure. The Task is keyed
 * by Vendor_Call_Id__c (external id, unique), so retries, concurrent deliveries and corrections all
 * land on one Task (R11).
 */

/** The Task's external id: one Task per vendor call. */
export const VENDOR_CALL_ID_FIELD = 'Vendor_Call_Id__c';

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
  /** UNKNOWN_CALLER (calls/config.ts): `create-lead` makes a Lead for an inbound call from an unknown number. */
  unknownCaller?: 'leave' | 'create-lead';
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
  // R8/R23: the join reads this back and keeps the call's reason `No_Consent` (domain/join.ts).
  if (call.noConsent && !call.visitorId) create.Call_Join_Detail__c = NO_CONSENT_CALL_DETAIL;
  return { create, update };
}
