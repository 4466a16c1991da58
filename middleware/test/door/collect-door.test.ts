import type { ServerHandle } from '../../src/server/start';
import { createTasks } from '../salesforce/fixtures';
import { startTestServer, suiteTempDirs } from '../server/helpers';
import { BROWSER_UA } from '../tracking/harness';
import { storeCases } from './stores';

/**
 * Issue 24, the HIGH finding: a NUL, another control character or a lone surrogate in a /collect field
 * is refused at the door naming the field; the good events of the same request are stored, and
 * /healthz stays 200 however often it is sent. A Task whose BizibleId holds a NUL does not stop the
 * join for the other Tasks. On SQLite and PostgreSQL.
 */
jest.setTimeout(90_000);

const newDir = suiteTempDirs();
const GOOD_VISITOR = 'c0000000000000000000000000000024';

const post = (server: ServerHandle, body: string) =>
  fetch(`${server.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
    body,
  });

describe.each(storeCases())('one door for /collect values ($name store)', (store) => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startTestServer(newDir(`door-${store.name}`), {
      env: { COLLECT_RATE_LIMIT: '100000', ...store.env() },
      joinIntervalMs: 3_600_000,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['a NUL in url', { url: 'https://www.example.com/\u0000x' }, 'url', /NUL/],
    ['a lone surrogate in url', { url: 'https://www.example.com/\ud800' }, 'url', /surrogate/],
    ['a control character in referrer', { referrer: 'https://ref.example/\u0007' }, 'referrer', /U\+0007/],
    ['a NUL in email', { type: 'form_submit', email: 'a\u0000@b.example' }, 'email', /NUL/],
  ])(
    '%s: refused naming the field; the good event of the same request is stored',
    async (_, bad, field, why) => {
      const before = await server.store.countEvents();
      const visitor = `${GOOD_VISITOR.slice(0, 30)}${String(Math.floor(Math.random() * 90) + 10)}`;
      const res = await post(
        server,
        JSON.stringify({
          events: [
            { type: 'page_view', visitorId: visitor, url: 'https://www.example.com/good', referrer: '' },
            { type: 'page_view', visitorId: visitor, url: 'https://www.example.com/', referrer: '', ...bad },
          ],
        }),
      );
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.accepted).toBe(1);
      expect(body.rejected).toEqual([expect.objectContaining({ index: 1, field })]);
      expect(body.rejected[0].reason).toMatch(why);
      expect(await server.store.countEvents()).toBe(before + 1);
    },
  );

  it('a flood of NUL urls keeps /healthz at 200 while good events are stored', async () => {
    const health: number[] = [];
    for (let i = 0; i < 10; i++) {
      const bad = await post(
        server,
        JSON.stringify({
          events: [{ type: 'page_view', visitorId: GOOD_VISITOR, url: `https://x.example/\u0000${i}` }],
        }),
      );
      expect(bad.status).toBe(400);
      health.push((await fetch(`${server.url}/healthz`)).status);
    }
    expect(health.every((s) => s === 200)).toBe(true);
  });

  it('a value the store refuses (past the door) fails that write only: /healthz stays 200', async () => {
    const bad = {
      type: 'page_view' as const,
      visitorId: GOOD_VISITOR,
      url: 'https://www.example.com/\u0000',
      referrer: null,
      receivedAt: Date.now(),
      clientTime: null,
      email: null,
      eventId: `evt_nul_${store.name}`,
    };
    // PostgreSQL refuses a NUL in text (SQLSTATE 22021); SQLite stores it. Either way health is not hurt.
    await server.store.appendEvents([bad]).catch((err: { code?: string }) => expect(err.code).toBe('22021'));
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a Task whose BizibleId holds a NUL is joined as Standalone and the other Tasks are joined', async () => {
    const ok = await post(
      server,
      JSON.stringify({
        events: [{ type: 'page_view', visitorId: GOOD_VISITOR, url: 'https://www.example.com/pricing' }],
      }),
    );
    expect(ok.status).toBe(204);
    const at = new Date(Date.now() + 30_000).toISOString();
    const [poison, good] = await createTasks(server.org, [
      {
        Subject: 'Call',
        Type: 'Call',
        BizibleId__c: `${GOOD_VISITOR.slice(0, 16)}\u0000x`,
        Call_Started_At__c: at,
      },
      { Subject: 'Call', Type: 'Call', BizibleId__c: GOOD_VISITOR, Call_Started_At__c: at },
    ]);
    const run = await server.join.trigger([poison, good]);
    expect(run.failed ?? []).toEqual([]);
    const q = await server.org.conn.query<{ Id: string; Call_Join_Status__c: string }>(
      `SELECT Id, Call_Join_Status__c FROM Task WHERE Id IN ('${poison}', '${good}')`,
    );
    const status = new Map(q.records.map((r) => [r.Id, r.Call_Join_Status__c]));
    expect(status.get(good)).toBe('Merged');
    expect(status.get(poison)).toBe('Standalone');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
