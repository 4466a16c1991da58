import type { TaskRecord } from '../domain';
import { recordHash } from './join-ledger';
import { soqlName } from './soql';

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

/** The Task fields the engine reads; our own output fields are not among them (no loop). */
export function inputHash(task: TaskRecord, fields: string[]): string {
  return recordHash(fields.filter((f) => f !== 'SystemModstamp').map((f) => task[f] ?? null));
}
