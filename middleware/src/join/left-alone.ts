import type { TaskRecord } from '../domain';
import type { SalesforcePort } from '../salesforce/port';
import { soqlList } from '../salesforce/soql';
import { TASK_LEFT_ALONE } from '../store/types';
import { JoinLedger } from './ledger';
import { withJoinLock } from './lock';
import type { JoinStore } from './runner';
import { inputHash, taskFields } from './task-fields';

/**
 * R24 for a call written on its own (calls/outbox-pass.ts, the single-call path) from a suppressed
 * number: its Task is read (one query) and its ledger entry says `left-alone`, so no join plans it.
 * The batched path marks its Tasks in the same commit as the batch (call-batch.ts).
 */
export async function leaveTaskAlone(
  deps: { sf: SalesforcePort; store: JoinStore; bizibleIdField: string; signal?: AbortSignal },
  taskId: string,
): Promise<void> {
  const fields = taskFields(deps.bizibleIdField);
  const rows = await deps.sf.query<TaskRecord>(
    `SELECT ${fields.join(', ')} FROM Task WHERE Id IN (${soqlList([taskId])})`,
    undefined,
    { signal: deps.signal },
  );
  const tasks = new Map(rows.map((t) => [t.Id, { v: null, in: inputHash(t, fields), out: TASK_LEFT_ALONE }]));
  await withJoinLock(
    deps.store,
    'call left alone',
    () => new JoinLedger(deps.store).commit({ tasks }),
    deps.signal,
  );
}
