import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { startCallPipeline, type CallPipeline } from '../../src/calls/pipeline';
import { MAX_REFUSED_ATTEMPTS } from '../../src/calls/parking';
import { silentLogger } from '../../src/log';
import { registry } from '../../src/metrics';
import { createStore, type Store } from '../../src/store';
import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { cli } from '../cli-in-process';
import { portTo } from '../salesforce/helpers';
import { outboxCall as call, untilTrue as until } from './outbox-calls';
import { storeCases } from './stores';

/**
 * Issue 24, "set aside, don't stall": a call the org refuses for its content (here an outbox item
 * stored before the webhook's door cut recording links: its Task.Description is too long) is tried
 * MAX_REFUSED_ATTEMPTS times and parked with its reason, while the good call queued with it is
 * written at once; `call-touchpoints outbox` lists, retries and discards it. Real local org, real store.
 */
jest.setTimeout(90_000);

const TOKEN = 'parking-test-token';

describe.each(storeCases())('parked calls ($name store)', (storeCase) => {
  let dir: string;
  let org: LocalOrg;
  let store: Store;
  let pipeline: CallPipeline;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-parking-'));
    org = await startLocalOrg({ port: 0, dataDir: path.join(dir, 'org'), preload: true, token: TOKEN });
    const url = storeCase.env().DATABASE_URL ?? null;
    store = await createStore({ databaseUrl: url, dataDir: dir });
    env = { DATABASE_URL: url ?? undefined, CALL_TOUCHPOINTS_DATA_DIR: dir };
  });
  afterAll(async () => {
    await pipeline?.stop();
    await store?.close();
    await org?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refused call parked with its reason after bounded attempts; its batch-mate written at once; outbox CLI', async () => {
    const bad = call(`bad-${storeCase.name}`, { recordingUrl: `https://rec.example/${'r'.repeat(40_000)}` });
    const good = call(`good-${storeCase.name}`);
    await store.enqueue(CALL_OUTBOX_KIND, bad.vendorCallId, JSON.stringify(bad), Date.now());
    await store.enqueue(CALL_OUTBOX_KIND, good.vendorCallId, JSON.stringify(good), Date.now());
    pipeline = startCallPipeline({
      store,
      salesforce: await portTo(org.instanceUrl, TOKEN),
      logger: silentLogger,
      windowMs: 0,
      pollMs: 50,
      backoff: { baseMs: 20, maxMs: 40 },
    });
    const conn = (await portTo(org.instanceUrl, TOKEN)).for('pages');
    const tasks = async (id: string) =>
      (await conn.query<{ Id: string }>(`SELECT Id FROM Task WHERE Vendor_Call_Id__c = '${id}'`)).length;

    // The first pass writes the good call; the bad one is only rescheduled, not holding it back.
    await until('the good call', async () => (await tasks(good.vendorCallId)) === 1, 5_000);
    expect(await store.parked(CALL_OUTBOX_KIND, 10)).toEqual([]);

    await until('the bad call parked', async () => (await store.parked(CALL_OUTBOX_KIND, 10)).length === 1);
    const [parked] = await store.parked(CALL_OUTBOX_KIND, 10);
    expect(parked.key).toBe(bad.vendorCallId);
    expect(parked.attempts).toBe(MAX_REFUSED_ATTEMPTS);
    expect(parked.lastError).toMatch(/STRING_TOO_LONG/);
    expect(await tasks(bad.vendorCallId)).toBe(0);
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    expect(await registry.metrics()).toMatch(/call_touchpoints_calls_parked_total [1-9]/);

    const list = await cli(['outbox', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${parked.id}  ${bad.vendorCallId}  ${MAX_REFUSED_ATTEMPTS} attempt(s)`);
    expect(list.out).toMatch(/STRING_TOO_LONG/);

    await pipeline.stop();
    const retried = await cli(['outbox', 'retry', String(parked.id)], env);
    expect(retried.code).toBe(0);
    expect(await store.parked(CALL_OUTBOX_KIND, 10)).toEqual([]);
    expect(await store.due(CALL_OUTBOX_KIND, Date.now(), 10)).toEqual([
      expect.objectContaining({ id: parked.id, attempts: 0 }),
    ]);

    await store.park(parked.id, 'STRING_TOO_LONG again');
    const discarded = await cli(['outbox', 'discard', String(parked.id)], env);
    expect(discarded.code).toBe(0);
    expect(await store.parked(CALL_OUTBOX_KIND, 10)).toEqual([]);
    const missing = await cli(['outbox', 'discard', String(parked.id)], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no parked call has outbox id/);
    const wrong = await cli(['outbox', 'retry', 'abc'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/not an outbox id/);
  });
});
