import { callerLeadRecord } from '../domain';
import type { SalesforcePort } from '../salesforce/port';
import type { KeyValueState, StoreLocks } from '../store/types';
import { decideCallers, settleCallers, type CreateOutcome } from './caller-leads';
import { withJoinLock } from './lock';

/**
 * R18/R19 for a call written on its own (calls/single-call.ts, the fallback of a batch whose graph
 * failed): the caller's one Lead, found or created, under the same join lock and the same store
 * record of number → Lead as a batch (caller-leads.ts), so the fallback never makes a second Lead for
 * a number either. The Lead is created by itself (one Composite request, allOrNone=false, so a
 * duplicate rule's answer comes back with its match): its LeadSource is the default (`Phone Inquiry`),
 * since no touchpoint is planned yet on this path. A duplicate rule that blocks the create links the
 * call to the matched record, as in a batch. Null: another writer's claim on the number is still
 * open, or the org refused the Lead — the Task is left without WhoId this time.
 */
export async function callerLeadAlone(
  deps: { sf: SalesforcePort; store: KeyValueState & StoreLocks; signal?: AbortSignal },
  caller: { number: string; displayNumber: string },
  lookedUpAt: number,
): Promise<{ whoId: string; how: 'created' | 'matched' | 'remembered' } | null> {
  const { sf, store, signal } = deps;
  return withJoinLock(
    store,
    'caller lead',
    async () => {
      const d = (await decideCallers(store, [caller.number], lookedUpAt, Date.now())).get(caller.number)!;
      if (d.kind === 'link') return { whoId: d.whoId, how: 'remembered' as const };
      if (d.kind === 'wait') return null;
      let outcome: CreateOutcome = null;
      try {
        const body = callerLeadRecord({ ...caller, callerName: null, company: null, channel: null });
        const { created } = await sf.createAndQuery(
          { create: [{ attributes: { type: 'Lead' }, ...body }], queries: [] },
          { signal },
        );
        const r = created[0];
        const match = r.errors.find((e) => e.statusCode === 'DUPLICATES_DETECTED')?.matchIds?.[0] ?? null;
        if (r.ok && r.id) outcome = { whoId: r.id, how: 'created' };
        else if (match) outcome = { whoId: match, how: 'matched' };
      } finally {
        // Remember the Lead (or the match), or release the claim — also when the request failed.
        await settleCallers(store, new Map([[caller.number, outcome]]), Date.now());
      }
      return outcome;
    },
    signal,
  );
}
