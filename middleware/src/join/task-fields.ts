import type { TaskRecord } from '../domain';
import { recordHash } from './ledger';
import { soqlName } from '../salesforce/soql';

/** The Task fields the join reads (the engine's TaskRecord input), with the configured BizibleId field (R1). */
export function taskFields(biz: string): string[] {
  return [
    'Id',
    'Type',
    'TaskSubtype',
    'CallType',
    'CreatedDate',
    'SystemModstamp',
    'CallDurationInSeconds',
    'Call_Started_At__c',
    'WhoId',
    soqlName(biz),
  ];
}

/**
 * R23: output fields the join reads back with the Task (never an input: not in the input hash, not a
 * change-event trigger). The detail's first sentence is how the call's person was found (R18–R20), which
 * a re-run writes again (domain/join-reason.ts).
 */
export const JOIN_MEMORY_FIELDS = ['Call_Join_Detail__c'] as const;

/** The SELECT list of the join's Task reads: taskFields and JOIN_MEMORY_FIELDS. */
export function taskSelectFields(fields: readonly string[]): string {
  return [...new Set([...fields, ...JOIN_MEMORY_FIELDS])].join(', ');
}

/** Which of taskFields are datetimes (a change event carries them as epoch milliseconds). */
export const TASK_DATETIME_FIELDS: ReadonlySet<string> = new Set([
  'CreatedDate',
  'SystemModstamp',
  'Call_Started_At__c',
]);

/** The Task fields the engine reads; our own output fields are not among them (no loop). */
export function inputHash(task: TaskRecord, fields: string[]): string {
  return recordHash(fields.filter((f) => f !== 'SystemModstamp').map((f) => task[f] ?? null));
}

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
