import { performance } from 'node:perf_hooks';
import { soqlString, type OrgReader } from './org-reader';

/** A call being timed, keyed by its caller's BizibleId. */
export interface TimedCall {
  sentAt: number;
  expect: string;
}

export interface JoinedCall {
  ms: number;
  status: string;
  expected: string;
}

const FINAL = new Set(['Merged', 'Standalone', 'Missing BizibleId']);

/**
 * Marks every open call whose Task status and Touchpoint__c are both readable now: one SOQL query
 * per 150 open calls, one more for their touchpoints.
 */
export async function pollJoined(
  org: OrgReader,
  pending: Map<string, TimedCall>,
  done: JoinedCall[],
): Promise<void> {
  const ids = [...pending.keys()];
  for (let i = 0; i < ids.length; i += 150) {
    const chunk = ids.slice(i, i + 150);
    const tasks = await org.query<{
      BizibleId__c: string;
      Call_Join_Status__c: string | null;
      Call_Touchpoint__c: string | null;
    }>(
      `SELECT Id, BizibleId__c, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE BizibleId__c IN (${chunk.map(soqlString).join(',')})`,
    );
    const joined = tasks.filter(
      (t) => t.Call_Join_Status__c && FINAL.has(t.Call_Join_Status__c) && t.Call_Touchpoint__c,
    );
    if (joined.length === 0) continue;
    const tps = await org.query<{ Id: string }>(
      `SELECT Id FROM Touchpoint__c WHERE Id IN (${joined.map((t) => soqlString(t.Call_Touchpoint__c as string)).join(',')})`,
    );
    const readable = new Set(tps.map((t) => t.Id));
    const now = performance.now();
    for (const t of joined) {
      const p = pending.get(t.BizibleId__c);
      if (!p || !readable.has(t.Call_Touchpoint__c as string)) continue;
      pending.delete(t.BizibleId__c);
      done.push({ ms: now - p.sentAt, status: t.Call_Join_Status__c as string, expected: p.expect });
    }
  }
}
