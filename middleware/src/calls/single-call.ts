import type { Logger } from '../log';
import { errorCode } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import { soqlString } from '../salesforce/soql';
import { isStaleDelivery, progressOfTask } from '../vendors/call-progress';
import type { NormalizedCall } from '../vendors/normalized-call';
import { callerLookupQueries, matchCallers, type PhoneRow } from './caller-lookup';
import { taskFields, VENDOR_CALL_ID_FIELD, type TaskFieldOptions } from './task-fields';

/**
 * One call written on its own, request by request: the fallback of the batched pipeline
 * (pipeline.ts) for a call whose batch write failed — so one bad record fails alone.
 */

export interface TaskWriteResult {
  taskId: string;
  created: boolean;
  whoId: string | null;
  /** True when the Task already showed a later state of the call: nothing was written. */
  stale: boolean;
}

/** The one Lead or Contact with this number (caller-lookup.ts), in one Composite request. */
export async function findWhoIdByPhone(
  sf: SalesforcePort,
  e164: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<string | null> {
  const [leads, contacts] = await sf.queries<PhoneRow>(callerLookupQueries([e164]), { signal });
  const match = matchCallers([e164], [...leads, ...contacts]).get(e164)!;
  if (!match.whoId) logUnmatched(log, e164, match.matches);
  return match.whoId;
}

export function logUnmatched(log: Logger, e164: string, matches: number): void {
  log.info(
    { callerNumber: e164, matches },
    matches === 0
      ? 'no Lead or Contact has this caller number: Task left without WhoId'
      : 'several Leads/Contacts have this caller number: linked to the one R20 picks',
  );
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
 * since the calls pipeline's rescheduling is the retry.
 */
export async function upsertCallTask(
  sf: SalesforcePort,
  call: NormalizedCall,
  opts: TaskFieldOptions & { logger: Logger; signal?: AbortSignal },
): Promise<TaskWriteResult> {
  const { signal } = opts;
  // R24: a suppressed (erased) number is not looked up.
  const whoId =
    call.callerNumber && !call.suppressed
      ? await findWhoIdByPhone(sf, call.callerNumber, opts.logger, signal)
      : null;
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
