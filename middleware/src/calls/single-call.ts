import type { Logger } from '../log';
import { callerLeadAlone } from '../join';
import { errorCode } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import type { KeyValueState, StoreLocks } from '../store/types';
import { soqlString } from '../salesforce/soql';
import { isStaleDelivery, progressOfTask } from '../vendors/call-progress';
import type { NormalizedCall } from '../vendors/normalized-call';
import { formatForDisplay } from '../vendors/phone';
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
  signal?: AbortSignal,
): Promise<{ whoId: string | null; matches: number }> {
  const [leads, contacts] = await sf.queries<PhoneRow>(callerLookupQueries([e164]), { signal });
  return matchCallers([e164], [...leads, ...contacts]).get(e164)!;
}

export function logUnmatched(log: Logger, e164: string, matches: number): void {
  log.info(
    { callerNumber: e164, matches },
    matches === 0
      ? 'no Lead or Contact has this caller number: Task left without WhoId'
      : 'several Leads/Contacts have this caller number: linked to the one R20 picks',
  );
}

const LINKED_UNKNOWN_CALLER = {
  created:
    'no Lead or Contact had this caller number: a Lead was created for it and the Task linked (UNKNOWN_CALLER=create-lead)',
  remembered:
    'no Lead or Contact had this caller number in the lookup: the Task is linked to the Lead created for it earlier (UNKNOWN_CALLER=create-lead)',
  matched:
    'no Lead or Contact had this caller number: a duplicate rule matched the new Lead to an existing record, and the Task is linked to it (UNKNOWN_CALLER=create-lead)',
} as const;

/**
 * UNKNOWN_CALLER=create-lead: one line per number the lookup found no record for, once the join
 * decided — the Lead its Task was linked to, or (another writer's claim on the number still open,
 * the Lead refused) that the Task was left without WhoId.
 */
export function logUnknownCallers(
  log: Logger,
  tasks: readonly { taskId: string; number: string }[],
  callers: ReadonlyMap<string, { whoId: string; how: keyof typeof LINKED_UNKNOWN_CALLER }>,
): void {
  const logged = new Set<string>();
  for (const u of tasks) {
    if (logged.has(u.number)) continue;
    logged.add(u.number);
    const c = callers.get(u.taskId);
    if (c) log.info({ callerNumber: u.number, whoId: c.whoId, how: c.how }, LINKED_UNKNOWN_CALLER[c.how]);
    else logUnmatched(log, u.number, 0);
  }
}

/** R18: create-lead, an inbound call, and a store to hold the number → Lead record (R19). */
function isNewCallerAlone(call: NormalizedCall, opts: TaskFieldOptions & { store?: unknown }): boolean {
  return opts.unknownCaller === 'create-lead' && call.direction === 'inbound' && !!opts.store;
}

interface ExistingCallTask {
  Id: string;
  WhoId: string | null;
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
    `SELECT Id, WhoId, CallDisposition, CallDurationInSeconds FROM Task WHERE ${VENDOR_CALL_ID_FIELD} = ${soqlString(vendorCallId)} LIMIT 1`,
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
  opts: TaskFieldOptions & { logger: Logger; signal?: AbortSignal; store?: KeyValueState & StoreLocks },
): Promise<TaskWriteResult> {
  const { signal } = opts;
  const lookedUpAt = Date.now();
  // R24: a suppressed (erased) number is not looked up (and gets no Lead).
  const found =
    call.callerNumber && !call.suppressed ? await findWhoIdByPhone(sf, call.callerNumber, signal) : null;
  let whoId = found?.whoId ?? null;
  // R18: the caller's Lead, found or created, for a Task not linked by a rep (as in a batch).
  const unknown = !!found && found.matches === 0 && isNewCallerAlone(call, opts);
  const leadFor = async (taskId: string) => {
    const number = call.callerNumber!;
    const lead = await callerLeadAlone(
      { sf, store: opts.store!, signal },
      { number, displayNumber: formatForDisplay(number) },
      lookedUpAt,
    );
    logUnknownCallers(opts.logger, [{ taskId, number }], lead ? new Map([[taskId, lead]]) : new Map());
    return lead?.whoId ?? null;
  };
  if (found && !found.whoId && !unknown) logUnmatched(opts.logger, call.callerNumber!, found.matches);
  const { create, update } = taskFields(call, opts);
  // A match found now is linked; no match never unlinks what a rep set by hand.
  if (whoId) {
    create.WhoId = whoId;
    update.WhoId = whoId;
  }
  try {
    const res = await sf.create('Task', create, { signal });
    if (unknown && (whoId = await leadFor(res.id)))
      await sf.upsert('Task', VENDOR_CALL_ID_FIELD, call.vendorCallId, { WhoId: whoId }, { signal });
    return { taskId: res.id, created: true, whoId, stale: false };
  } catch (err) {
    if (errorCode(err) !== 'DUPLICATE_VALUE') throw err;
  }
  const existing = await existingCallTask(sf, call.vendorCallId, signal);
  if (existing && isStaleDelivery(call, progressOfTask(existing))) {
    return { taskId: existing.Id, created: false, whoId, stale: true };
  }
  if (unknown && existing && !existing.WhoId && (whoId = await leadFor(existing.Id))) update.WhoId = whoId;
  const res = await sf.upsert('Task', VENDOR_CALL_ID_FIELD, call.vendorCallId, update, { signal });
  const taskId = res.id ?? existing?.Id ?? (await existingCallTask(sf, call.vendorCallId, signal))?.Id;
  if (!taskId) throw new Error(`Task for ${call.vendorCallId} not found after upsert`);
  return { taskId, created: res.created === true, whoId, stale: false };
}
