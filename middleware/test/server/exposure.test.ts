import type { ServerHandle } from '../../src/server/start';
import type { LocalOrg } from '@call-touchpoints/local-org';
import { loadConfig } from '../../src/config';
import { startRemoteServe, startTestServer, suiteTempDirs } from './helpers';

jest.setTimeout(90_000);

const ADMIN = 'admin-token-for-the-exposure-test';
const METRICS = 'metrics-token-for-the-exposure-test';
const html = { accept: 'text/html' };

/**
 * docs/security.md, "Who can reach what": with a real org, the pages that show Salesforce data need a
 * signed-in person, /metrics its own token, serve listens on loopback unless told otherwise, and the Task
 * preview shows call Tasks only.
 */
describe('serve with a real org: who can reach the pages', () => {
  const newDir = suiteTempDirs();
  let org: LocalOrg;
  let server: ServerHandle;
  let close: () => Promise<void>;
  let callId: string;
  let otherId: string;

  beforeAll(async () => {
    // host undefined: the default, as `serve` without HOST or --host.
    ({ org, server, close } = await startRemoteServe(
      newDir('exposure'),
      { ADMIN_TOKEN: ADMIN, METRICS_TOKEN: METRICS },
      { host: undefined },
    ));
    const conn = server.org.conn;
    const call = await conn.sobject('Task').create({
      Subject: 'Call from (555) 010-2233',
      Type: 'Call',
      BizibleId__c: 'visitor-of-the-exposure-test',
    });
    const other = await conn.sobject('Task').create({
      Subject: 'CONFIDENTIAL: contract for jane.doe@acme.example',
      Type: 'Email',
    });
    callId = (call as { id: string }).id;
    otherId = (other as { id: string }).id;
  });
  afterAll(() => close?.());

  test('listens on 127.0.0.1 by default and the banner says what is exposed', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    const text = server.summary.join('\n');
    expect(text).toMatch(/exposure: listening on 127\.0\.0\.1:\d+ — reachable from this machine only/);
    expect(text).toContain('pages need sign-in with ADMIN_TOKEN; /metrics needs METRICS_TOKEN');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(text).not.toContain(ADMIN);
    expect(text).not.toContain(METRICS);
  });

  test('without sign-in: browsers are sent to /login, API clients get 401, and no data either way', async () => {
    const page = await fetch(`${server.url}/tasks/${callId}?x=1`, { headers: html, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/tasks/${callId}?x=1`)}`);
    for (const path of [
      '/tasks',
      `/tasks/${callId}/panel.json`,
      '/opportunities',
      '/opportunities/006000000000001AAA/touchpoints.json',
      '/reports/calls-by-channel?format=json',
    ]) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).toContain('sign in first');
      expect(body).not.toContain('555');
      expect(body).not.toContain('visitor-of-the-exposure-test');
    }
    const login = await fetch(`${server.url}/login?next=/tasks`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="token"');
  });

  test('sign-in with ADMIN_TOKEN sets a strict HttpOnly session cookie; the pages then show call Tasks only', async () => {
    const wrong = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'not-it', next: '/tasks' }),
      redirect: 'manual',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: ADMIN, next: '//evil.example/steal' }),
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    // Only a local path is followed: no open redirect.
    expect(ok.headers.get('location')).toBe('/tasks');
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ct_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = { cookie: setCookie.split(';')[0] };

    const list = await fetch(`${server.url}/tasks`, { headers: { ...html, ...cookie } });
    expect(list.status).toBe(200);
    const listText = await list.text();
    expect(listText).toContain('Call from (555) 010-2233');
    expect(listText).not.toContain('CONFIDENTIAL');
    // Signed in: the navigation offers a way out (a POST form, so a link preview cannot sign out).
    expect(listText).toMatch(
      /<form class="sign-out" method="post" action="\/logout">\s*<button type="submit">Sign out<\/button>/,
    );

    const shown = await fetch(`${server.url}/tasks/${callId}`, { headers: { ...html, ...cookie } });
    expect(shown.status).toBe(200);
    const shownJson = await fetch(`${server.url}/tasks/${callId}/panel.json`, { headers: cookie });
    expect((await shownJson.json()).bizibleId).toBe('visitor-of-the-exposure-test');

    // A non-call Task answers exactly like an id that does not exist.
    const missingId = otherId.slice(0, 9) + 'ZZZZZZ';
    const hidden = await fetch(`${server.url}/tasks/${otherId}`, { headers: { ...html, ...cookie } });
    const missing = await fetch(`${server.url}/tasks/${missingId}`, { headers: { ...html, ...cookie } });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const hiddenText = await hidden.text();
    expect(hiddenText).not.toContain('CONFIDENTIAL');
    expect(hiddenText.replaceAll(otherId, 'ID')).toBe((await missing.text()).replaceAll(missingId, 'ID'));
    const hiddenJson = await fetch(`${server.url}/tasks/${otherId}/panel.json`, { headers: cookie });
    const missingJson = await fetch(`${server.url}/tasks/${missingId}/panel.json`, { headers: cookie });
    expect(hiddenJson.status).toBe(404);
    expect((await hiddenJson.text()).replaceAll(otherId, 'ID')).toBe(
      (await missingJson.text()).replaceAll(missingId, 'ID'),
    );

    const out = await fetch(`${server.url}/logout`, { method: 'POST', headers: cookie, redirect: 'manual' });
    expect(out.headers.get('set-cookie')).toMatch(/^ct_session=; Max-Age=0;/);
    expect(out.headers.get('location')).toBe('/login');
    // The login form itself offers no "Sign out".
    expect(await (await fetch(`${server.url}/login`, { headers: html })).text()).not.toContain('Sign out');
  });

  test('scripts may send Authorization: Bearer ADMIN_TOKEN; a forged or expired cookie is refused', async () => {
    const res = await fetch(`${server.url}/tasks/${callId}/panel.json`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).taskId).toBe(callId);
    const forged = `ct_session=${Date.now() + 3_600_000}.${'A'.repeat(43)}`;
    const refused = await fetch(`${server.url}/tasks/${callId}/panel.json`, { headers: { cookie: forged } });
    expect(refused.status).toBe(401);
  });

  test('/metrics needs METRICS_TOKEN (ADMIN_TOKEN is not enough)', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const admin = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('call_touchpoints_http_request_duration_seconds');
    expect(org.apiRequests()).toBeGreaterThan(0);
  });
});

describe('serve without the tokens, or with HOST opened', () => {
  const newDir = suiteTempDirs();

  test('a real org without ADMIN_TOKEN: the pages say to set it; /metrics without METRICS_TOKEN is refused', async () => {
    const remote = await startRemoteServe(newDir('no-token'), { ADMIN_TOKEN: '' });
    try {
      const page = await fetch(`${remote.server.url}/tasks`, { headers: html });
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('set ADMIN_TOKEN on the server to use the pages');
      const metrics = await fetch(`${remote.server.url}/metrics`);
      expect(metrics.status).toBe(401);
      expect((await metrics.json()).error).toContain('set METRICS_TOKEN');
      expect(remote.server.summary.join('\n')).toContain('pages refused: set ADMIN_TOKEN to sign in');
    } finally {
      await remote.close();
    }
  });

  test('the local org with HOST opened to the network: the pages need sign-in too; on loopback they stay open', async () => {
    const opened = await startTestServer(newDir('opened'), { host: '0.0.0.0' });
    try {
      const text = opened.summary.join('\n');
      expect(text).toMatch(/listening on 0\.0\.0\.0:\d+ — reachable from the network/);
      expect(text).toContain('pages need sign-in with ADMIN_TOKEN; /metrics refused: set METRICS_TOKEN');
      const page = await fetch(`${opened.url}/tasks`, { headers: html, redirect: 'manual' });
      expect(page.status).toBe(303);
      expect((await fetch(`${opened.url}/metrics`)).status).toBe(401);
    } finally {
      await opened.close();
    }
    const loopback = await startTestServer(newDir('loopback'));
    try {
      expect(loopback.summary.join('\n')).toContain('pages open without sign-in (local org on loopback)');
      expect((await fetch(`${loopback.url}/tasks`, { headers: html })).status).toBe(200);
      expect((await fetch(`${loopback.url}/metrics`)).status).toBe(200);
    } finally {
      await loopback.close();
    }
  });
});
