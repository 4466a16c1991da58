import { startCallPipeline, type CallPipeline } from '../../src/calls/pipeline';
import { silentLogger } from '../../src/log';
import { runJoinOnce } from '../../src/join';
import type { SalesforcePort } from '../../src/salesforce/port';
import { outboxKey } from '../../src/vendors/call-progress';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import { BASE, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * Issue 17: the batched calls path under 20% injected 503s and 20% row-lock errors (local org over
 * HTTP, the Gateway's real retry policy) ends with the same records as a clean run: every call
 * has one Task, the same join status, the same sessions and touchpoints; nothing lost, no key twice.
 */
const MIN = 60_000;
const VISITORS = [V.adClick, V.organic, V.formThenCall, V.neverSeen, V.lateSession];

function calls(): NormalizedCall[] {
  return Array.from({ length: 40 }, (_, i) => ({
    vendor: 'callrail' as const,
    vendorCallId: `callrail:FAULT${i}`,
    startedAt: new Date(BASE + (20 + i) * MIN).toISOString(),
    durationSeconds: 30 + i,
    direction: 'inbound' as const,
    outcome: 'answered' as const,
    callerNumber: `+1415555${String(1000 + (i % 7)).padStart(4, '0')}`,
    trackingNumber: '+14155550000',
    source: 'Google Ads',
    campaign: null,
    recordingUrl: null,
    // Several calls per visitor (positions move as calls arrive), some without a visitor.
    visitorId: i % 6 === 5 ? null : VISITORS[i % VISITORS.length],
  }));
}

/** The org's call records with org-specific Ids replaced by the call they belong to. */
async function records(sf: SalesforcePort): Promise<unknown> {
  const tasks = await sf.query<Record<string, unknown>>(
    'SELECT Id, Vendor_Call_Id__c, WhoId, Call_Join_Status__c, Call_Join_Detail__c, CallDurationInSeconds, Call_Touchpoint__c FROM Task WHERE Vendor_Call_Id__c != null ORDER BY Vendor_Call_Id__c',
  );
  const tps = await sf.query<Record<string, unknown>>(
    'SELECT Id, Touchpoint_Key__c, Task_Id__c, Touchpoint_Type__c, Position__c, Channel__c, Lead__c, First_Touch_Percent__c, Merge_Status__c FROM Touchpoint__c ORDER BY Touchpoint_Key__c',
  );
  const sessions = await sf.query<Record<string, unknown>>(
    'SELECT Session_Key__c, Channel__c, Page_Views__c FROM Web_Session__c ORDER BY Session_Key__c',
  );
  const leads = await sf.query<{ Id: string; Phone: string }>('SELECT Id, Phone FROM Lead');
  const names = new Map<string, string>([
    // Touchpoints first: their keys hold Task Ids, renamed next.
    ...tps.map((t) => [String(t.Id), `tp(${String(t.Touchpoint_Key__c)})`] as [string, string]),
    ...tasks.map((t) => [String(t.Id), String(t.Vendor_Call_Id__c)] as [string, string]),
    ...leads.map((l) => [l.Id, `lead(${l.Phone})`] as [string, string]),
  ]);
  const rename = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    let out = v;
    for (const [id, name] of names) out = out.split(id).join(name);
    return out;
  };
  const clean = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k !== 'Id' && k !== 'attributes')
          .map(([k, v]) => [k, rename(v)]),
      ),
    );
  const sort = (rows: Record<string, unknown>[], key: string) =>
    [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
  return {
    tasks: clean(tasks),
    touchpoints: sort(clean(tps), 'Touchpoint_Key__c'),
    sessions: clean(sessions),
  };
}

async function writeAll(s: JoinSession, list: NormalizedCall[]): Promise<string[]> {
  const triggered: string[] = [];
  for (const c of list) await s.store.enqueue(CALL_OUTBOX_KIND, outboxKey(c), JSON.stringify(c), Date.now());
  const pipeline: CallPipeline = startCallPipeline({
    store: s.store,
    salesforce: s.gateway,
    logger: silentLogger,
    windowMs: 0,
    batchSize: 10,
    pollMs: 10,
    backoff: { baseMs: 1, maxMs: 5 },
    join: { triggerSoon: ({ taskIds = [] }) => void triggered.push(...taskIds) },
  });
  try {
    for (let i = 0; i < 500 && (await s.store.outboxDepth(CALL_OUTBOX_KIND)) > 0; i++) {
      await pipeline.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await pipeline.stop();
  }
  expect(await s.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
  // Calls written on their own after their batch failed are joined by the watch: here, one run.
  if (triggered.length) {
    const summary = await runJoinOnce({ gateway: s.gateway, store: s.store }, { taskIds: triggered });
    expect(summary.failed).toEqual([]);
  }
  return triggered;
}

describe('calls pipeline under injected faults (local org over HTTP)', () => {
  let clean: JoinSession;
  let faulty: JoinSession;

  beforeAll(async () => {
    [clean, faulty] = await Promise.all([joinSession('ct-calls-clean-'), joinSession('ct-calls-faulty-')]);
    for (const s of [clean, faulty])
      for (let i = 0; i < 3; i++)
        await s.gateway.create('Lead', {
          LastName: `Caller ${i}`,
          Company: 'Acme',
          Phone: `+1415555${1000 + i}`,
        });
  });
  afterAll(async () => {
    await clean?.close();
    await faulty?.close();
  });

  it('20% 503s and 20% row locks: the same final records as a clean run, nothing lost, no key twice', async () => {
    await writeAll(clean, calls());
    faulty.org.setFaults({ errorRate503: 0.2, lockRowRate: 0.2, seed: 17 });
    const fallbacks = await writeAll(faulty, calls());
    faulty.org.clearFaults();

    const expected = await records(clean.gateway);
    const got = await records(faulty.gateway);
    expect(got).toEqual(expected);
    const tasks = (expected as { tasks: { Vendor_Call_Id__c: string; Call_Join_Status__c: string }[] }).tasks;
    expect(tasks).toHaveLength(40);
    expect(new Set(tasks.map((t) => t.Vendor_Call_Id__c)).size).toBe(40);
    expect(
      tasks.every((t) => ['Merged', 'Standalone', 'Missing BizibleId'].includes(t.Call_Join_Status__c)),
    ).toBe(true);
    // The faults did hit the batched path (else this test proves nothing).
    expect(faulty.gateway.requestCount()).toBeGreaterThan(clean.gateway.requestCount());
    process.stdout.write(
      `faults: clean run ${clean.gateway.tally().reduce((n, t) => n + t.count, 0)} requests, ` +
        `faulty run ${faulty.gateway.tally().reduce((n, t) => n + t.count, 0)} requests, ${fallbacks.length} call(s) written on their own\n`,
    );
  });
});
