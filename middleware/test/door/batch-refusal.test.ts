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
 * Issue 24, "a whole-request refusal delays the good calls batched with them by about a minute": the
 * local org refuses every write request whose body holds one call's value (fault
 * `refuseBodiesContaining`: 400 JSON_PARSER_ERROR for the whole Composite request, as Salesforce
 * answers a body it cannot deserialize). The good calls of that batch are written at once, although
 * a failed attempt waits a minute here; the refused call is tried MAX_REFUSED_ATTEMPTS times and
 * parked with the org's reason, counted on /metrics and listed by `call-touchpoints outbox list`.
 */
jest.setTimeout(90_000);

const TOKEN = 'batch-refusal-test-token';
/** Backoff of a failed attempt: the minute the finding saw good calls held back. */
const MINUTE = 60_000;

describe.each(storeCases())('a batch the org refuses as a whole ($name store)', (storeCase) => {
  let dir: string;
  let org: LocalOrg;
  let store: Store;
  let pipeline: CallPipeline;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-batch-refusal-'));
    org = await startLocalOrg({ port: 0, dataDir: path.join(dir, 'org'), preload: true, token: TOKEN });
    store = await createStore({ databaseUrl: storeCase.env().DATABASE_URL ?? null, dataDir: dir });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await store?.close();
    await org?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the good calls at once, parks the refused one with its reason after bounded attempts', async () => {
    const poison = `poison-${storeCase.name}-value`;
    const bad = call(poison);
    const good = [1, 2, 3].map((n) => call(`good-${storeCase.name}-${n}`));
    for (const c of [good[0], bad, ...good.slice(1)])
      await store.enqueue(CALL_OUTBOX_KIND, c.vendorCallId, JSON.stringify(c), Date.now());
    org.setFaults({ refuseBodiesContaining: poison });

    // A clock the test moves: each failed attempt waits a minute of it.
    let skew = 0;
    const started = Date.now();
    pipeline = startCallPipeline({
      store,
      salesforce: await portTo(org.instanceUrl, TOKEN),
      logger: silentLogger,
      windowMs: 0,
      pollMs: 50,
      backoff: { baseMs: MINUTE, maxMs: MINUTE },
      now: () => Date.now() + skew,
    });
    const conn = (await portTo(org.instanceUrl, TOKEN)).for('pages');
    const tasks = async (ids: string[]) =>
      (
        await conn.query<{ Id: string }>(
          `SELECT Id FROM Task WHERE Vendor_Call_Id__c IN (${ids.map((i) => `'${i}'`).join(', ')})`,
        )
      ).length;

    // The good calls: written in the first pass, without the clock moving (not after a minute).
    await until('the good calls', async () => (await tasks(good.map((c) => c.vendorCallId))) === 3, 10_000);
    expect(skew).toBe(0);
    expect(Date.now() - started).toBeLessThan(MINUTE / 2);
    const waiting = await store.due(CALL_OUTBOX_KIND, Date.now() + 2 * MINUTE, 10);
    expect(waiting).toEqual([expect.objectContaining({ key: bad.vendorCallId, attempts: 1 })]);
    expect(waiting[0].lastError).toMatch(/JSON_PARSER_ERROR/);

    // Each further attempt is a minute later: bounded, then parked with the org's reason.
    await until('the refused call parked', async () => {
      if ((await store.parked(CALL_OUTBOX_KIND, 10)).length === 1) return true;
      skew += MINUTE;
      return false;
    });
    const [parked] = await store.parked(CALL_OUTBOX_KIND, 10);
    expect(parked).toMatchObject({ key: bad.vendorCallId, attempts: MAX_REFUSED_ATTEMPTS });
    expect(parked.lastError).toMatch(/JSON_PARSER_ERROR/);
    expect(await tasks([bad.vendorCallId])).toBe(0);
    expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    expect(await registry.metrics()).toMatch(/call_touchpoints_calls_parked_total [1-9]/);

    await pipeline.stop();
    const list = await cli(['outbox', 'list'], {
      DATABASE_URL: storeCase.env().DATABASE_URL,
      CALL_TOUCHPOINTS_DATA_DIR: dir,
    });
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${parked.id}  ${bad.vendorCallId}  ${MAX_REFUSED_ATTEMPTS} attempt(s)`);
    expect(list.out).toMatch(/JSON_PARSER_ERROR/);
  });
});
