import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { silentLogger } from '../../src/log';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { createStore, type Store } from '../../src/store';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import { startCallPipeline } from '../../src/calls/pipeline';
import { portTo } from '../salesforce/helpers';
import { note } from '../note';

jest.setTimeout(90_000);

const TOKEN = 'outbox-stop-token';
const CALL: NormalizedCall = {
  vendor: 'callrail',
  vendorCallId: 'callrail:CALSTOP1',
  startedAt: '2026-03-10T12:20:00.000Z',
  durationSeconds: 95,
  direction: 'inbound',
  outcome: 'answered',
  callerNumber: '+15555550123',
  trackingNumber: '+15555550100',
  source: 'Google Ads',
  campaign: null,
  recordingUrl: null,
  visitorId: 'cd'.repeat(16),
};

describe('stopping the calls pipeline while the org answers 503 to everything', () => {
  let dir: string;
  let org: LocalOrg;
  let store: Store;
  const conn = () => new Connection({ instanceUrl: org.instanceUrl, accessToken: TOKEN, version: '62.0' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-outbox-stop-'));
    org = await startLocalOrg({ port: 0, dataDir: path.join(dir, 'org'), preload: true, token: TOKEN });
    store = await createStore({ dataDir: dir });
  });
  afterAll(async () => {
    await store?.close();
    await org?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stop() returns within the request in flight; the call stays queued and is written once later', async () => {
    // Every request fails slowly: without cancellation a stop waits out a whole attempt's retries.
    org.setFaults({ errorRate503: 1, latencyMs: 300 });
    await store.enqueue(CALL_OUTBOX_KIND, CALL.vendorCallId, JSON.stringify(CALL), Date.now());
    const worker = startCallPipeline({
      store,
      salesforce: await portTo(org.instanceUrl, TOKEN),
      logger: silentLogger,
      pollMs: 20,
      backoff: { baseMs: 20, maxMs: 40 },
    });
    const attempts = async () =>
      (await store.due(CALL_OUTBOX_KIND, Date.now() + 3600_000, 10))[0]?.attempts ?? 0;
    const deadline = Date.now() + 30_000;
    while ((await attempts()) < 2) {
      if (Date.now() > deadline) throw new Error('the worker did not retry');
      await new Promise((r) => setTimeout(r, 20));
    }
    const started = Date.now();
    await worker.stop();
    const stopMs = Date.now() - started;
    note(`calls pipeline stop() during retries: ${stopMs} ms`);
    expect(stopMs).toBeLessThan(3_000);

    // Nothing lost: the call is still queued, as delivered.
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(1);
    const [item] = await store.due(CALL_OUTBOX_KIND, Date.now() + 3600_000, 10);
    expect(JSON.parse(item.payload)).toEqual(CALL);

    // The org is back: a new worker writes exactly one Task and empties the outbox.
    org.clearFaults();
    const written: string[] = [];
    const next = startCallPipeline({
      store,
      salesforce: await portTo(org.instanceUrl, TOKEN),
      logger: silentLogger,
      pollMs: 20,
      now: () => Date.now() + 3600_000, // past the backoff
      onTaskWritten: (id) => void written.push(id),
    });
    try {
      await next.drain();
    } finally {
      await next.stop();
    }
    const tasks = await conn().query<{ Id: string }>(
      "SELECT Id FROM Task WHERE Vendor_Call_Id__c = 'callrail:CALSTOP1'",
    );
    expect(tasks.records).toHaveLength(1);
    expect(written).toEqual([tasks.records[0].Id]);
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
  });
});
