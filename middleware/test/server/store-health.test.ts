import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ServerHandle } from '../../src/server/start';
import { SQLITE_FILE } from '../../src/store/sqlite';
import { BROWSER_UA } from '../tracking/harness';
import { startTestServer, suiteTempDirs } from './helpers';

jest.setTimeout(60_000);

const newDir = suiteTempDirs();

let seq = 0;
/** A /collect batch of `n` page views for one fresh visitor. */
function batch(n: number): string {
  seq += 1;
  const visitor = (Date.now().toString(16) + seq.toString(16).padStart(8, '0')).padStart(32, 'd').slice(-32);
  return JSON.stringify({
    events: Array.from({ length: n }, (_, i) => ({
      type: 'page_view',
      visitorId: visitor,
      url: `https://www.example.com/page/${i}?utm_source=google&utm_medium=cpc&q=${'x'.repeat(200)}`,
      referrer: 'https://www.google.com/',
      eventId: `evt_${process.pid}_${seq}_${i}`,
    })),
  });
}

const post = (server: ServerHandle, body: string) =>
  fetch(`${server.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
    body,
  });

/** Polls /healthz until it is not 200 (the probe's answer is cached a few seconds); bounded. */
async function healthUntilFailing(server: ServerHandle): Promise<{ status: number; body: any }> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${server.url}/healthz`);
    const body = await res.json();
    if (res.status !== 200 || Date.now() > until) return { status: res.status, body };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('/healthz proves the store can write', () => {
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close().catch(() => undefined);
    server = null;
  });

  it('a SQLite file whose pages were overwritten after start: /healthz 503 naming the store; /metrics still answers', async () => {
    const dir = newDir('damaged');
    server = await startTestServer(dir, { env: { COLLECT_RATE_LIMIT: '100000' } });
    for (let i = 0; i < 5; i++) expect((await post(server, batch(50))).status).toBe(204);
    const ok = await fetch(`${server.url}/healthz`);
    expect(ok.status).toBe(200);

    // Move everything into the main file, then overwrite every page but the header page.
    const file = path.join(dir, SQLITE_FILE);
    const side = new Database(file);
    side.pragma('wal_checkpoint(TRUNCATE)');
    side.close();
    const pageSize = 4096;
    const pages = Math.floor(fs.statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(20);
    const fd = fs.openSync(file, 'r+');
    for (let p = 1; p < pages; p++) fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, p * pageSize);
    fs.closeSync(fd);

    const health = await healthUntilFailing(server);
    expect(health.status).toBe(503);
    expect(health.body.failed).toContain('store');
    expect(health.body.store).toMatch(/^failing \(.*(malformed|corrupt|not a database)/i);

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/call_touchpoints_store_size_bytes \d+/);
  });

  it('a full store (SQLITE_MAX_SIZE_MB reached): /collect 503, /healthz 503 "database or disk is full"', async () => {
    const dir = newDir('full');
    server = await startTestServer(dir, {
      env: {
        COLLECT_RATE_LIMIT: '100000',
        SQLITE_MAX_SIZE_MB: '1',
        VISITOR_DAILY_EVENT_CAP: '0',
        COLLECT_NEW_VISITORS_PER_MINUTE: '0',
      },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    let status = 204;
    for (let i = 0; i < 200 && status === 204; i++) status = (await post(server, batch(100))).status;
    expect(status).toBe(503);

    const health = await healthUntilFailing(server);
    expect(health.status).toBe(503);
    expect(health.body.store).toMatch(/^failing \(database or disk is full\)/);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    const size = Number(/call_touchpoints_store_size_bytes (\d+)/.exec(await metrics.text())?.[1]);
    expect(size).toBeGreaterThan(900_000);
  });
});
