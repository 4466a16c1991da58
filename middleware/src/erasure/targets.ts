import type { SfRecord } from '../salesforce/port';
import type { StoreErasureCounts } from '../store/types';
import type { SubjectKind } from '../tracking/suppression';
import { phoneSpellings } from '../vendors/phone';

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
  /** Lead and Contact ids: kept (the CRM's own records), listed for the admin. */
  persons: string[];
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

/** Join fields of a call Task (force-app Activity fields), cleared on a kept Task. */
const JOIN_FIELDS = [
  'Call_Touchpoint__c',
  'Call_Join_Status__c',
  'Call_Join_Reason__c',
  'Call_Join_Detail__c',
];

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
  for (const f of [biz, ...JOIN_FIELDS]) update[f] = null;
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

/** Counts per kind, for the dry run, the result and the audit log. */
export interface ErasureCounts {
  store: StoreErasureCounts;
  org: {
    webSessions: number;
    touchpoints: number;
    opportunityTouchpoints: number;
    tasksCleared: number;
    tasksDeleted: number;
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
    purged: plan.purge.reduce((k, p) => k + p.ids.length, 0),
  };
}

/** GDPR Art. 19: whom the controller tells about the erasure (we cannot reach them ourselves). */
export function recipients(plan: Pick<ErasurePlan, 'taskIds' | 'persons' | 'subjectKind'>): string[] {
  const out: string[] = [];
  if (plan.taskIds.length || plan.subjectKind === 'phone')
    out.push('the call-tracking vendor: erase its copy of the calls (recordings, caller number, visitor id)');
  out.push(
    'Marketo Measure (if used): send its privacy request by email — it accepts requests keyed by email only',
  );
  if (plan.persons.length)
    out.push(
      `your Salesforce admin: ${plan.persons.length} Lead/Contact record(s) of the person are kept by this tool; erase them in Salesforce if the request covers them`,
    );
  return out;
}
