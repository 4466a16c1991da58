import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCallPipeline, type CallPipeline } from '../../src/calls/pipeline';
import { silentLogger } from '../../src/log';
import { InMemoryPort } from '../salesforce/in-memory-port';
import { runJoinOnce } from '../../src/join';
import type { SalesforcePort } from '../../src/salesforce/port';
import { createStore, type Store } from '../../src/store';
import { outboxKey } from '../../src/vendors/call-progress';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import { BASE, trackedEvents, V, type EventLine } from '../salesforce/fixtures';

/**
 * The batched calls pipeline (calls/pipeline.ts, batch-write.ts) against the in-memory port: what a
 * batch costs and writes, counted exactly, with no HTTP. The local org over HTTP is the integration
 * test (test/vendors/webhooks.test.ts, the bench).
 */
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

function call(id: string, over: Partial<NormalizedCall>): NormalizedCall {
  return {
    vendor: 'callrail',
    vendorCallId: `callrail:${id}`,
    startedAt: at(BASE + 20 * MIN),
    durationSeconds: 60,
    direction: 'inbound',
    outcome: 'answered',
    callerNumber: null,
    trackingNumber: '+14155550000',
    source: 'Google Ads',
    campaign: null,
    recordingUrl: null,
    visitorId: null,
    ...over,
  };
}

const CALLS = {
  /** Browsed (ad click at 12:00), known Lead by its number → Merged, linked. */
  adClick: call('ADCLICK', { visitorId: V.adClick, callerNumber: '+14155550101' }),
  /** Browsed hours earlier only → Standalone. */
  organic: call('ORGANIC', {
    visitorId: V.organic,
    startedAt: at(BASE + 120 * MIN),
    callerNumber: '+14155550102',
  }),
  /** No web visit recorded → Standalone. */
  neverSeen: call('NEVERSEEN', { visitorId: V.neverSeen }),
  /** No BizibleId → Missing BizibleId. */
  anonymous: call('ANON', { callerNumber: '+14155550104' }),
};

/** The pipeline as a test drives it: no window, no timer; `triggered` collects the calls handed to the join. */
function pipelineOn(store: Store, salesforce: SalesforcePort, triggered: string[] = []): CallPipeline {
  return startCallPipeline({
    store,
    salesforce,
    logger: silentLogger,
    windowMs: 0,
    pollMs: 60_000,
    join: { triggerSoon: ({ taskIds = [] }) => void triggered.push(...taskIds) },
  });
}

async function enqueue(store: Store, calls: NormalizedCall[]): Promise<void> {
  for (const c of calls) await store.enqueue(CALL_OUTBOX_KIND, outboxKey(c), JSON.stringify(c), Date.now());
}

type TaskRow = {
  Id: string;
  Vendor_Call_Id__c: string;
  WhoId: string | null;
  Call_Join_Status__c: string | null;
  CallDurationInSeconds: number;
};

async function tasks(port: SalesforcePort): Promise<Map<string, TaskRow>> {
  const rows = await port.query<TaskRow>(
    'SELECT Id, Vendor_Call_Id__c, WhoId, Call_Join_Status__c, CallDurationInSeconds FROM Task WHERE Vendor_Call_Id__c != null',
  );
  return new Map(rows.map((r) => [r.Vendor_Call_Id__c, r]));
}

describe('calls pipeline: a batch of calls in two org requests (in-memory port)', () => {
  let port: InMemoryPort;
  let store: Store;
  let dir: string;
  let leadId: string;

  beforeEach(async () => {
    port = InMemoryPort.withDataModel();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-calls-memory-'));
    store = await createStore({ dataDir: dir });
    await store.appendEvents(trackedEvents());
    // The Lead as a rep typed the number: a different spelling of the caller's E.164.
    leadId = (
      await port
        .for('deploy')
        .create('Lead', { LastName: 'Caller', Company: 'Acme', Phone: '(415) 555-0101' })
    ).id;
  });
  afterEach(async () => {
    await store?.close();
    port?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes four calls, their WhoId, sessions, touchpoints and join status in one Composite + one Composite Graph', async () => {
    await enqueue(store, Object.values(CALLS));
    const before = port.requestCount();
    const calls = port.for('calls');
    const pipeline = pipelineOn(store, port);
    await pipeline.drain();
    await pipeline.stop();

    expect(calls.requestCount('composite')).toBe(1);
    expect(calls.requestCount('graph')).toBe(1);
    expect(calls.requestCount()).toBe(2);
    expect(port.requestCount()).toBe(before); // nothing under the join's purpose

    const byCall = await tasks(port.for('deploy'));
    expect(byCall.get(CALLS.adClick.vendorCallId)).toMatchObject({
      WhoId: leadId,
      Call_Join_Status__c: 'Merged',
    });
    expect(byCall.get(CALLS.organic.vendorCallId)).toMatchObject({
      WhoId: null,
      Call_Join_Status__c: 'Standalone',
    });
    expect(byCall.get(CALLS.neverSeen.vendorCallId)?.Call_Join_Status__c).toBe('Standalone');
    expect(byCall.get(CALLS.anonymous.vendorCallId)?.Call_Join_Status__c).toBe('Missing BizibleId');
    const tps = await port
      .for('deploy')
      .query<{ Task_Id__c: string | null; Channel__c: string; Lead__c: string | null }>(
        `SELECT Task_Id__c, Channel__c, Lead__c FROM Touchpoint__c WHERE BizibleId__c = '${V.adClick}'`,
      );
    expect(tps.map((t) => t.Lead__c)).toContain(leadId);
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);

    // The join, run afterwards over every call Task, finds nothing to write: the batch wrote
    // exactly what the join engine plans, and its ledger says so.
    const summary = await runJoinOnce({ gateway: port.for('join'), store });
    expect(summary.failed).toEqual([]);
    expect(summary.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  });

  it('a repeat delivery updates the Task in the same two requests; a stale one writes nothing', async () => {
    await enqueue(store, [CALLS.adClick]);
    const pipeline = pipelineOn(store, port);
    try {
      await pipeline.drain();
      const calls = port.for('calls');
      const first = calls.requestCount();
      await enqueue(store, [{ ...CALLS.adClick, durationSeconds: 95 }]);
      await pipeline.drain();
      expect(calls.requestCount() - first).toBe(2);
      expect((await tasks(port.for('deploy'))).get(CALLS.adClick.vendorCallId)?.CallDurationInSeconds).toBe(
        95,
      );
      // Behind the Task (a replayed older delivery): read in the Composite, not written.
      await enqueue(store, [{ ...CALLS.adClick, durationSeconds: 10, outcome: 'missed' }]);
      await pipeline.drain();
      expect(calls.requestCount('graph')).toBe(2);
      expect((await tasks(port.for('deploy'))).get(CALLS.adClick.vendorCallId)?.CallDurationInSeconds).toBe(
        95,
      );
    } finally {
      await pipeline.stop();
    }
  });

  it('one bad record fails alone: a Lead deleted mid-batch costs its call a write of its own, the rest is written', async () => {
    // A rep deletes the caller's Lead between the lookup and the graph: the Task's WhoId is now an
    // invalid reference, so that visitor's graph fails (INVALID_CROSS_REFERENCE_KEY) and the others land.
    let deleted = false;
    const wrap = (p: SalesforcePort): SalesforcePort =>
      new Proxy(p, {
        get(target, key) {
          if (key === 'for') return (...a: Parameters<SalesforcePort['for']>) => wrap(target.for(...a));
          if (key === 'graph' && !deleted)
            return async (...a: Parameters<SalesforcePort['graph']>) => {
              deleted = true;
              await port.for('deploy').write([{ kind: 'delete', ids: [leadId] }]);
              return target.graph(...a);
            };
          const v = Reflect.get(target, key) as unknown;
          return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        },
      });
    const triggered: string[] = [];
    await enqueue(store, Object.values(CALLS));
    const pipeline = pipelineOn(store, wrap(port), triggered);
    await pipeline.drain();
    await pipeline.stop();

    const byCall = await tasks(port.for('deploy'));
    const bad = byCall.get(CALLS.adClick.vendorCallId)!;
    // Written on its own, without the Lead that is gone, and handed to the join watch.
    expect(bad.WhoId).toBeNull();
    expect(triggered).toEqual([bad.Id]);
    expect(byCall.get(CALLS.organic.vendorCallId)?.Call_Join_Status__c).toBe('Standalone');
    expect(byCall.get(CALLS.anonymous.vendorCallId)?.Call_Join_Status__c).toBe('Missing BizibleId');
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    const joined = await runJoinOnce({ gateway: port.for('join'), store }, { taskIds: triggered });
    expect(joined.failed).toEqual([]);
    expect((await tasks(port.for('deploy'))).get(CALLS.adClick.vendorCallId)?.Call_Join_Status__c).toBe(
      'Merged',
    );
  });

  it('a visitor with more records than one graph holds is written on its own, then joined', async () => {
    // 300 visits an hour apart, each its own session with a touchpoint: 600+ records for one visitor.
    const busy = 'b0000000000000000000000000000042';
    const lines: EventLine[] = Array.from({ length: 300 }, (_, i) => ({
      type: 'page_view',
      visitorId: busy,
      url: `https://www.example.com/?utm_source=google&utm_medium=cpc&visit=${i}`,
      referrer: 'https://www.google.com/',
      receivedAt: at(BASE + 10 * MIN - (299 - i) * 60 * MIN),
    }));
    await store.appendEvents(trackedEvents(lines));
    const triggered: string[] = [];
    await enqueue(store, [call('BUSY', { visitorId: busy }), CALLS.organic]);
    const pipeline = pipelineOn(store, port, triggered);
    await pipeline.drain();
    await pipeline.stop();
    // The other call of the batch went with it; the busy visitor's call was handed to the join.
    expect((await tasks(port.for('deploy'))).get(CALLS.organic.vendorCallId)?.Call_Join_Status__c).toBe(
      'Standalone',
    );
    expect(triggered).toHaveLength(1);
    const joined = await runJoinOnce({ gateway: port.for('join'), store }, { taskIds: triggered });
    expect(joined.failed).toEqual([]);
    expect(joined.written.touchpoints).toBeGreaterThan(250);
    expect((await tasks(port.for('deploy'))).get('callrail:BUSY')?.Call_Join_Status__c).toBe('Merged');
  });
});
