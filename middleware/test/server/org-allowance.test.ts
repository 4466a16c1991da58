import type { LocalOrg } from '@call-touchpoints/local-org';
import type { ServerHandle } from '../../src/server/start';
import { orgSettled, serveDuringSuite, startRemoteServe, suiteTempDirs } from './helpers';

jest.setTimeout(120_000);

const ADMIN = 'admin-token-for-the-allowance-test';
const TARGET = 5;

/** What 100 GETs of one route cost the org, in API requests. */
async function orgCost(org: LocalOrg, url: string, headers: Record<string, string> = {}): Promise<number> {
  await orgSettled(org, 300);
  const before = org.apiRequests();
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    expect(res.status).toBeLessThan(500);
  }
  return org.apiRequests() - before;
}

/**
 * docs/security.md, "Who can reach what": requests anyone can send must not spend the org's daily API
 * allowance. Target: 100 requests to one route cost at most 5 org requests (measured with the local org's
 * counter).
 */
describe('the org API allowance under repeated requests (real org)', () => {
  const newDir = suiteTempDirs();
  let org: LocalOrg;
  let server: ServerHandle;
  let close: () => Promise<void>;
  let taskId: string;

  beforeAll(async () => {
    ({ org, server, close } = await startRemoteServe(newDir('allowance'), { ADMIN_TOKEN: ADMIN }));
    const created = await server.org.conn.sobject('Task').create({ Subject: 'Call', Type: 'Call' });
    taskId = (created as { id: string }).id;
  });
  afterAll(() => close?.());

  test.each([
    ['/healthz', {}],
    ['/tasks/:id (not signed in)', { accept: 'text/html' }],
    ['/tasks (not signed in)', { accept: 'text/html' }],
    ['/reports/calls-by-channel (not signed in)', { accept: 'text/html' }],
    ['/tasks/:id (signed in)', { authorization: `Bearer ${ADMIN}` }],
    ['/tasks/:id/panel.json (signed in)', { authorization: `Bearer ${ADMIN}` }],
    ['/tasks (signed in)', { authorization: `Bearer ${ADMIN}` }],
    ['/reports/calls-by-channel (signed in)', { authorization: `Bearer ${ADMIN}` }],
  ])('100 × %s cost at most 5 org requests', async (route, headers) => {
    const path = route.split(' ')[0].replace(':id', taskId);
    const cost = await orgCost(org, `${server.url}${path}`, headers);
    expect(cost).toBeLessThanOrEqual(TARGET);
  });

  test('?refresh=1 (signed in) reads the Task again', async () => {
    const url = `${server.url}/tasks/${taskId}/panel.json`;
    const headers = { authorization: `Bearer ${ADMIN}` };
    await (await fetch(url, { headers })).arrayBuffer();
    await server.org.conn.sobject('Task').update({ Id: taskId, Subject: 'Call, subject changed' });
    expect((await (await fetch(url, { headers })).json()).subject).toBe('Call');
    const fresh = await (await fetch(`${url}?refresh=1`, { headers })).json();
    expect(fresh.subject).toBe('Call, subject changed');
  });
});

describe('the org API allowance in local mode (pages open on loopback)', () => {
  const ctx = serveDuringSuite('allowance-local', { joinIntervalMs: 3_600_000 });

  test.each(['/healthz', '/tasks', '/reports/calls-by-channel', '/tasks/00T000000000001AAA'])(
    '100 × %s cost at most 5 org requests',
    async (path) => {
      const org = ctx.server.localOrg as LocalOrg;
      expect(await orgCost(org, `${ctx.server.url}${path}`, { accept: 'text/html' })).toBeLessThanOrEqual(
        TARGET,
      );
    },
  );
});
