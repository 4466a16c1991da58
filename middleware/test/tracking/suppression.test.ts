import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { createStore, type Store } from '../../src/store';
import { createTrackingRouter } from '../../src/tracking';
import { SuppressionList } from '../../src/tracking/suppression';
import type { CallIntake, NormalizedCall } from '../../src/vendors/normalized-call';
import { createWebhookRouter } from '../../src/vendors/router';
import { until } from '../until';

/**
 * Issue 23, "it stays erased": Global Privacy Control and withdrawn consent suppress the cookie like
 * an erasure does (nothing more of it is stored), and a call from a suppressed number becomes a Task
 * without its visitor id.
 */
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const GPC = 'd'.repeat(32);
const WITHDRAWN = 'e'.repeat(32);
const CALLRAIL_KEY = '072e77e426f92738a72fe23c4d1953b4';

describe('the suppression list at /collect and the webhooks', () => {
  let dir: string;
  let store: Store;
  let suppression: SuppressionList;
  let server: Server;
  let base: string;
  const accepted: NormalizedCall[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-suppress-'));
    store = await createStore({ dataDir: dir });
    suppression = await new SuppressionList(store, 'suppress-test-salt-0123456789abcdefghij').start();
    const config = loadConfig({ CALLRAIL_SIGNING_KEY: CALLRAIL_KEY });
    const calls: CallIntake = { accept: async (call) => void accepted.push(call) };
    const app = express();
    app.use(createTrackingRouter({ store, config, logger: silentLogger, suppression }));
    app.use(createWebhookRouter({ calls, config, logger: silentLogger, suppression }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    suppression.stop();
    await new Promise((r) => server.close(r));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const collect = (visitorId: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': UA, ...headers },
      body: JSON.stringify({
        events: [{ type: 'page_view', visitorId, url: 'https://example.com/', eventId: crypto.randomUUID() }],
      }),
    });

  it('Sec-GPC: 1 with a _biz_uid marks that cookie: later page views without the signal are not stored', async () => {
    expect((await collect(GPC, { 'sec-gpc': '1', cookie: `_biz_uid=${GPC}` })).status).toBe(204);
    await until('the GPC mark in the store', 5000, async () =>
      (await store.suppressedHashes()).length === 1 ? true : null,
    );
    expect(await store.suppressedHashes()).toEqual([suppression.hash('cookie', GPC)]);
    expect((await collect(GPC)).status).toBe(204);
    expect(await store.countEvents()).toBe(0);
  });

  it('withdrawn consent (POST /collect/consent) marks the cookie the same way', async () => {
    expect((await collect(WITHDRAWN)).status).toBe(204);
    expect(await store.countEvents()).toBe(1);
    const res = await fetch(`${base}/collect/consent`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': UA },
      body: JSON.stringify({ consent: 'withdrawn', visitorId: WITHDRAWN }),
    });
    expect(res.status).toBe(204);
    expect(suppression.has('cookie', WITHDRAWN)).toBe(true);
    expect((await collect(WITHDRAWN)).status).toBe(204);
    expect(await store.countEvents()).toBe(1);
    const bad = await fetch(`${base}/collect/consent`, { method: 'POST', body: '{"consent":"yes"}' });
    expect([bad.status, (await bad.json()).error]).toEqual([400, expect.stringMatching(/^consent: /)]);
  });

  it('a call from a suppressed number is accepted without its visitor id', async () => {
    const body = fs.readFileSync(
      path.join(__dirname, '..', 'vendors', 'fixtures', 'callrail-post-call.json'),
      'utf8',
    );
    const post = () =>
      fetch(`${base}/webhooks/callrail`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          Signature: crypto.createHmac('sha1', CALLRAIL_KEY).update(body).digest('base64'),
        },
        body,
      });
    expect((await post()).status).toBe(202);
    expect(accepted[0].visitorId).toBe('0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b');
    await suppression.mark([{ kind: 'phone', value: '+15555550123', reason: 'erasure' }]);
    expect((await post()).status).toBe(202);
    expect(accepted[1]).toMatchObject({ callerNumber: '+15555550123', visitorId: null });
  });
});
