import { cleanText } from '../values/clean-text';
import { parseInstant } from './time';
import type { TaskRecord } from './types';

/** R1: the Task field holding the visitor cookie, unless configured otherwise (BIZIBLE_ID_FIELD). */
export const DEFAULT_BIZIBLE_ID_FIELD = 'BizibleId__c';

/** R1: the Task's BizibleId (trimmed, lower-cased like the `_biz_uid` cookie), or null when empty. */
export function bizibleIdOf(task: TaskRecord, field: string = DEFAULT_BIZIBLE_ID_FIELD): string | null {
  const v = task[field];
  if (typeof v !== 'string') return null;
  // Read from the org, where anyone may have typed anything: a NUL or a lone surrogate would fail the
  // store's queries for every Task planned with it (values/clean-text.ts).
  const id = cleanText(v, 255).trim().toLowerCase();
  return id === '' ? null : id;
}

/** How the call time was obtained (R3), for the detail sentence and tests. */
export type CallTimeBasis = 'Call_Started_At__c' | 'CreatedDate - CallDurationInSeconds' | 'CreatedDate';

/**
 * R3: call start = Call_Started_At__c if set; otherwise CreatedDate minus CallDurationInSeconds
 * (vendors create the Task when the call ends); otherwise CreatedDate. UTC instants only.
 * Null when the Task carries no usable date.
 */
export function callTimeWithBasis(task: TaskRecord): { at: number; basis: CallTimeBasis } | null {
  const started = parseInstant(task.Call_Started_At__c);
  if (started !== null) return { at: started, basis: 'Call_Started_At__c' };
  const created = parseInstant(task.CreatedDate);
  if (created === null) return null;
  const duration = task.CallDurationInSeconds;
  if (typeof duration === 'number' && Number.isFinite(duration) && duration > 0)
    return { at: created - Math.round(duration * 1000), basis: 'CreatedDate - CallDurationInSeconds' };
  return { at: created, basis: 'CreatedDate' };
}

/** R3 call time in epoch ms, or null when the Task has no usable date. */
export function callTime(task: TaskRecord): number | null {
  return callTimeWithBasis(task)?.at ?? null;
}

/**
 * A Task that looks like a phone call: Type or TaskSubtype "Call" (or a Type naming a call, e.g.
 * "Phone Call"), or CallType set. Used for R2: a call without BizibleId gets "Missing BizibleId";
 * a Task that is neither a call nor carries a BizibleId is ignored (no record).
 */
export function isCallTask(task: TaskRecord): boolean {
  return (
    namesACall(task.Type) ||
    (typeof task.TaskSubtype === 'string' && task.TaskSubtype.toLowerCase() === 'call') ||
    (typeof task.CallType === 'string' && task.CallType.trim() !== '')
  );
}

/**
 * A Task Type, or a touchpoint type taken from it (R6), that names a phone call: "Call", "Phone Call",
 * "Inbound call". The revenue report splits calls from web touchpoints with it.
 */
export function namesACall(type: unknown): boolean {
  return typeof type === 'string' && /\bcall\b/i.test(type);
}

/** Task.Type trimmed, or null when empty (R7). */
export function taskTypeOf(task: TaskRecord): string | null {
  return typeof task.Type === 'string' && task.Type.trim() !== '' ? task.Type.trim() : null;
}

/** Lead__c / Contact__c from Task.WhoId by key prefix (00Q = Lead, 003 = Contact). */
export function whoOf(task: TaskRecord): { lead: string | null; contact: string | null } {
  const who = typeof task.WhoId === 'string' ? task.WhoId : '';
  return {
    lead: who.startsWith('00Q') ? who : null,
    contact: who.startsWith('003') ? who : null,
  };
}
