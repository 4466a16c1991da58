import { ACTIVITY_FIELDS } from '../domain';
import type { SfRecord } from '../salesforce/port';
import type { StoreErasureCounts } from '../store/types';
import type { SubjectKind } from '../tracking/suppression';
import { phoneSpellings, toE164 } from '../vendors/phone';
import type { ErasureSubject } from './subject';

/**
 * What one erasure removes (resolve.ts builds it; run.ts carries it out), pure data kept in the
 * request while it runs (erasure_requests.plan) and dropped when it is done.
 */
export interface ErasurePlan {
  subjectKind: SubjectKind;
  /** Cookies (BizibleIds) of the person, or the one cookie of a cookie erasure. */
  cookies: string[];
  /** The person's numbers in E.164 (the subject's, and those on their Lead/Contact records). */
  callerNumbers: string[];
  /** Lead and Contact ids of the person (Opportunities re-planned from them; listed for the admin). */
  persons: string[];
  /**
   * The person's Contacts and open Leads without the erased number or email (its fields set to
   * null); empty with `--keep-person`. Absent in a plan stored before this step existed.
   */
  personUpdates?: SfRecord[];
  /** Every call Task of the person (or of the cookie). */
  taskIds: string[];
  /** Tasks kept: our fields cleared and the number taken out of Subject and Description. */
  taskUpdates: SfRecord[];
  /** Tasks kept, with the join's input hash after the update (their ledger entry, see the store). */
  keptTasks: { taskId: string; inHash: string }[];
  /** Deleted in this order (children first), 200 per sObject Collections subrequest. */
  deletes: { sobject: string; ids: string[] }[];
  /** Hard-deleted from the Recycle Bin afterwards: the deleted records and those already in the bin. */
  purge: { sobject: string; ids: string[] }[];
  /** Opportunities that lost touchpoints: re-planned so every model sums to 100 again. */
  opportunities: string[];
}

/**
 * Our Task fields that stay on a kept Task: the call's own (its vendor id keys the Task, R11; its
 * start time is the call's, not the person's). Every other Activity field of force-app is ours and
 * cleared — taken from the generated model, so a field added later is cleared without a change here.
 */
const KEPT_TASK_FIELDS: ReadonlySet<string> = new Set(['Vendor_Call_Id__c', 'Call_Started_At__c']);
/** The BizibleId field is the configured one (R1): ours is not deployed next to the managed package's. */
const OUR_BIZIBLE_ID = 'BizibleId__c';
export const CLEARED_TASK_FIELDS = ACTIVITY_FIELDS.filter(
  (f) => !KEPT_TASK_FIELDS.has(f) && f !== OUR_BIZIBLE_ID,
);

/**
 * The update that leaves a kept Task without our data on the person: BizibleId and the join fields
 * cleared, the numbers in Subject replaced, the Description's recording link removed (the recording
 * is the vendor's copy, which the vendor is asked to erase).
 */
export function taskClearing(
  task: SfRecord & { Id: string },
  biz: string,
  numbers: readonly string[],
): SfRecord | null {
  const update: SfRecord = { attributes: { type: 'Task' }, Id: task.Id };
  // Always written: the join fields are not among the fields read, and a null costs nothing.
  for (const f of new Set([biz, ...CLEARED_TASK_FIELDS])) update[f] = null;
  let changed = true;
  const spellings = numbers.flatMap(phoneSpellings).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => spellings.reduce((t, s) => t.split(s).join('(number erased)'), text);
  if (typeof task.Subject === 'string' && scrub(task.Subject) !== task.Subject) {
    update.Subject = scrub(task.Subject);
    changed = true;
  }
  if (typeof task.Description === 'string') {
    const d = scrub(task.Description)
      .split('\n')
      .filter((l) => !l.startsWith('Recording: '))
      .join('\n');
    if (d !== task.Description) {
      update.Description = d;
      changed = true;
    }
  }
  return changed ? update : null;
}

/**
 * The fields of a Lead or Contact that may hold the subject: the ones the caller lookup searches
 * (calls/caller-lookup.ts) for a number, Email for an email. A cookie is on no person's record.
 */
export const PERSON_FIELDS: Record<ErasureSubject['kind'], readonly string[]> = {
  phone: ['Phone', 'MobilePhone'],
  email: ['Email'],
  cookie: [],
};

/** Whether a field's value is the subject (a number in any spelling that parses to it; an email in any case). */
export function holdsSubject(value: unknown, subject: ErasureSubject): boolean {
  if (typeof value !== 'string' || !value) return false;
  if (subject.kind === 'phone') return toE164(value) === subject.value;
  return subject.kind === 'email' && value.trim().toLowerCase() === subject.value;
}

/**
 * The update that takes the subject out of a person's record (a live Contact or open Lead): each of
 * PERSON_FIELDS holding it set to null. Null when none does.
 */
export function personClearing(row: SfRecord & { Id: string }, subject: ErasureSubject): SfRecord | null {
  const type = String(row.attributes?.type);
  const fields = PERSON_FIELDS[subject.kind].filter((f) => holdsSubject(row[f], subject));
  if (!fields.length) return null;
  return { attributes: { type }, Id: row.Id, ...Object.fromEntries(fields.map((f) => [f, null])) };
}

/** Counts per kind, for the dry run, the result and the audit log. */
export interface ErasureCounts {
  store: StoreErasureCounts;
  org: {
    webSessions: number;
    touchpoints: number;
    opportunityTouchpoints: number;
    tasksCleared: number;
    tasksDeleted: number;
    /** Contacts and open Leads the erased number or email was removed from. */
    personsCleared: number;
    /** Converted Leads deleted (read-only in Salesforce: the number cannot be removed from them). */
    leadsDeleted: number;
    /** Hard-deleted from the Recycle Bin. */
    purged: number;
  };
  /** Cookies and numbers added to the suppression list. */
  suppressed: number;
  /** Opportunities re-planned (or waiting for the re-plan, see `notes`). */
  opportunitiesReplanned: number;
}

export function orgCounts(plan: ErasurePlan): ErasureCounts['org'] {
  const n = (s: string) => plan.deletes.find((d) => d.sobject === s)?.ids.length ?? 0;
  return {
    webSessions: n('Web_Session__c'),
    touchpoints: n('Touchpoint__c'),
    opportunityTouchpoints: n('Opportunity_Touchpoint__c'),
    tasksCleared: plan.taskUpdates.length,
    tasksDeleted: n('Task'),
    personsCleared: plan.personUpdates?.length ?? 0,
    leadsDeleted: n('Lead'),
    purged: plan.purge.reduce((k, p) => k + p.ids.length, 0),
  };
}

/** GDPR Art. 19: whom the controller tells about the erasure (we cannot reach them ourselves). */
export function recipients(
  plan: Pick<ErasurePlan, 'taskIds' | 'persons' | 'subjectKind' | 'personUpdates'>,
  keepPerson = true,
): string[] {
  const out: string[] = [];
  if (plan.taskIds.length || plan.subjectKind === 'phone')
    out.push('the call-tracking vendor: erase its copy of the calls (recordings, caller number, visitor id)');
  out.push(
    'Marketo Measure (if used): send its privacy request by email — it accepts requests keyed by email only',
  );
  if (plan.persons.length)
    out.push(
      keepPerson
        ? `your Salesforce admin: ${plan.persons.length} Lead/Contact record(s) of the person were kept as they are (--keep-person); erase them in Salesforce if the request covers them`
        : `your Salesforce admin: ${plan.persons.length} Lead/Contact record(s) of the person remain, without the erased ${plan.subjectKind === 'email' ? 'email' : 'number'} (converted Leads deleted); delete them in Salesforce if the request covers the whole person`,
    );
  return out;
}
