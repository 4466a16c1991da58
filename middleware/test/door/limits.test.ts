import http from 'node:http';
import { startRemoteServe, suiteTempDirs, TEST_ADMIN_TOKEN } from '../server/helpers';
import { BROWSER_UA } from '../tracking/harness';
import { storeCases } from './stores';

/**
 * Issue 24, "limits that fit real traffic", against serve with a separate org (pages need sign-in,
 * /metrics a token): correctly signed webhooks in flight never count as failed authentication; wrong
 * Bearer tokens on the pages and /metrics do, a visit without any credential does not; another site
 * cannot sign the operator out; one address cannot invent visitor ids without limit.
 */
jest.setTimeout(90_000);

const newDir = suiteTempDirs();
const TOKEN = 'generic-limits-token-0123456789abcdefghijk';
const METRICS = 'metrics-limits-token-0123456789abcdefghijk';

// PostgreSQL when available: its slower enqueue keeps many deliveries in flight at once, as in the finding.
const store = storeCases().at(-1)!;

describe(`limits that fit real traffic (${store.name} store)`, () => {
  let ctx: Awaited<ReturnType<typeof startRemoteServe>>;
  let url: string;
  beforeAll(async () => {
    ctx = await startRemoteServe(newDir('limits'), {
      ...store.env(),
      GENERIC_WEBHOOK_TOKEN: TOKEN,
      METRICS_TOKEN: METRICS,
      COLLECT_NEW_VISITORS_PER_MINUTE: '5',
      CALL_BATCH_WINDOW_MS: '1000',
    });
    url = ctx.server.url;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('30 correctly signed webhooks in flight at once from one address: none refused as failed authentication', async () => {
    // Each request's headers go first and its body only once all 30 are open: all are in flight together.
    const open = Array.from({ length: 30 }, (_, i) => {
      const body = JSON.stringify({
        call_id: `limits-${i}`,
        start_time: new Date(Date.now() - 60_000).toISOString(),
        duration: 10,
      });
      const req = http.request(`${url}/webhooks/generic`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-webhook-token': TOKEN,
        },
      });
      const status = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      return { req, body, status };
    });
    await new Promise((r) => setTimeout(r, 300));
    for (const o of open) o.req.end(o.body);
    const answers = await Promise.all(open.map((o) => o.status));
    expect(answers.filter((s) => s !== 202)).toEqual([]);
  });

  it('visits without credentials never count; wrong Bearer tokens on the pages and /metrics do', async () => {
    for (let i = 0; i < 25; i++) expect((await fetch(`${url}/tasks`)).status).toBe(401);
    const wrong = (path: string) =>
      fetch(`${url}${path}`, { headers: { authorization: 'Bearer not-the-token-0123456789' } }).then(
        (r) => r.status,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(await wrong('/tasks'), await wrong('/metrics'));
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    // Locked out for the window: the right token from this address waits too.
    const right = await fetch(`${url}/tasks`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(right.status).toBe(429);
  });
});

describe('state-changing routes refuse cross-site requests; new visitor ids per address', () => {
  let ctx: Awaited<ReturnType<typeof startRemoteServe>>;
  let url: string;
  beforeAll(async () => {
    ctx = await startRemoteServe(newDir('csrf'), { COLLECT_NEW_VISITORS_PER_MINUTE: '5' });
    url = ctx.server.url;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('a cross-site POST /logout is refused and does not clear the session; GET /logout signs nobody out', async () => {
    const crossSite = await fetch(`${url}/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const get = await fetch(`${url}/logout`, { redirect: 'manual' });
    expect(get.status).toBe(405);
    expect(get.headers.get('set-cookie')).toBeNull();
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: `token=${TEST_ADMIN_TOKEN}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(403);
    // Our own form still works.
    const own = await fetch(`${url}/logout`, {
      method: 'POST',
      headers: { origin: url, 'sec-fetch-site': 'same-origin' },
      redirect: 'manual',
    });
    expect(own.status).toBe(303);
    expect(own.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('past 5 new visitor ids a minute from one address: 429 naming visitorId, the known ids still stored', async () => {
    const before = await ctx.server.store.countEvents();
    const id = (n: number) => `d${String(n).padStart(31, '0')}`;
    const events = Array.from({ length: 8 }, (_, n) => ({
      type: 'page_view',
      visitorId: id(n),
      url: `https://www.example.com/${n}`,
    }));
    const res = await fetch(`${url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body.accepted).toBe(5);
    expect(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [5, 'visitorId'],
      [6, 'visitorId'],
      [7, 'visitorId'],
    ]);
    expect(await ctx.server.store.countEvents()).toBe(before + 5);
    // A visitor already seen this minute is not new: accepted.
    const again = await fetch(`${url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ events: [{ ...events[0], url: 'https://www.example.com/again' }] }),
    });
    expect(again.status).toBe(204);
  });
});
