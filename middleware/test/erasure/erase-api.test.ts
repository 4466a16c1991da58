import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { joinReplanner, type ErasureDeps } from '../../src/erasure';
import { silentLogger } from '../../src/log';
import { createErasureRouter } from '../../src/server/erasure-api';
import { createStore, type Store } from '../../src/store';
import { SuppressionList } from '../../src/tracking/suppression';
import { localOrgSession } from '../salesforce/helpers';
import { buildScenario, C } from './scenario';

/** The erasure admin API (issue 23): admin token, cross-site refused, named 400s, dry run, audit log. */
jest.setTimeout(120_000);

const TOKEN = 'admin-token-0123456789abcdefghijklmnopqrstuvwxyz';

describe('POST /api/erasures and GET /api/erasures', () => {
  let session: Awaited<ReturnType<typeof localOrgSession>>;
  let store: Store;
  let dir: string;
  let server: Server;
  let base: string;
  let suppression: SuppressionList;

  beforeAll(async () => {
    session = await localOrgSession({ preload: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-erase-api-'));
    store = await createStore({ dataDir: dir });
    await buildScenario(session.conn.conn, session.gateway, store);
    suppression = await new SuppressionList(store, 'api-test-salt-0123456789abcdefghijklmn').start();
    const erasure: ErasureDeps = {
      store,
      gw: session.gateway.for('erase'),
      salt: suppression.salt,
      suppression,
      bizibleIdField: 'BizibleId__c',
      sweepDelayMs: 0,
      replanOpportunities: joinReplanner({
        gateway: session.gateway,
        store,
        opportunities: { mapping: 'account' },
      }),
    };
    const app = express();
    app.use(createErasureRouter({ erasure, config: { adminToken: TOKEN }, logger: silentLogger }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    suppression?.stop();
    await new Promise((r) => server?.close(r));
    await store?.close();
    await session?.org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/erasures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: JSON.stringify(body),
    });

  it('needs the admin token, and refuses a POST another site made a browser send', async () => {
    expect((await post({ cookie: C }, { authorization: 'Bearer wrong' })).status).toBe(401);
    const cross = await post({ cookie: C }, { 'sec-fetch-site': 'cross-site' });
    expect(cross.status).toBe(403);
    expect(await store.erasures({ limit: 10 })).toEqual([]);
  });

  it('names the field and the fix for bad input', async () => {
    const bad = await post({ phone: 'call me maybe' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^phone: "call me maybe" is not a phone number/);
    const two = await post({ phone: '4155551234', cookie: C });
    expect((await two.json()).error).toMatch(/exactly one of email, phone or cookie/);
    expect((await post({ cookie: C, dryRun: 'yes' })).status).toBe(400);
    const keep = await post({ phone: '4155551234', keepPerson: 1 });
    expect([keep.status, (await keep.json()).error]).toEqual([400, 'keepPerson must be true or false']);
  });

  it('a dry run counts; an erasure answers its audit entry, which GET lists', async () => {
    const dry = await (await post({ cookie: C, dryRun: true })).json();
    expect(dry).toMatchObject({ dryRun: true, counts: { org: { webSessions: 1, touchpoints: 1 } } });
    const res = await post({ cookie: C, operator: 'privacy desk' });
    expect(res.status).toBe(200);
    const entry = await res.json();
    expect(entry).toMatchObject({ status: 'done', requestedBy: 'api:privacy desk', subjectKind: 'cookie' });
    expect(JSON.stringify(entry)).not.toContain(C);
    const list = await (
      await fetch(`${base}/api/erasures`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json();
    expect(list.erasures.map((e: { id: string }) => e.id)).toEqual([entry.id]);
    expect(suppression.has('cookie', C)).toBe(true);
  });
});
