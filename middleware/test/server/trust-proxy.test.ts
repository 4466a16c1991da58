import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import type { ServerHandle } from '../../src/server/start';
import { startTestServer, suiteTempDirs, TEST_ADMIN_TOKEN } from './helpers';

jest.setTimeout(60_000);

/** /collect requests, each claiming a client address: which passed the per-client limit. */
async function collectFrom(server: ServerHandle, clients: string[]): Promise<string[]> {
  const statuses: string[] = [];
  for (const client of clients) {
    const res = await fetch(`${server.url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: '{"events":[]}',
    });
    await res.arrayBuffer();
    statuses.push(res.status === 429 ? 'limited' : 'passed');
  }
  return statuses;
}

/** Whether the session cookie set by a sign-in forwarded as https is marked Secure. */
async function secureCookieBehindHttps(server: ServerHandle): Promise<boolean> {
  const res = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'x-forwarded-proto': 'https' },
    body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return /; Secure/.test(res.headers.get('set-cookie') ?? '');
}

/**
 * docs/security.md, "Running behind a proxy": TRUST_PROXY says which clients may set X-Forwarded-For/-Proto
 * (the load balancer in front). From any other client the headers are ignored, so the per-client /collect
 * limit and the Secure cookie cannot be steered by whoever sends them.
 */
describe('TRUST_PROXY', () => {
  const newDir = suiteTempDirs();

  test('is validated at start-up with a message naming the variable and the accepted values', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.1/8/1', 'true']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(
        /^TRUST_PROXY: ".*" is not an address, CIDR or known name; set it to a number of proxy hops/,
      );
    }
  });

  test('X-Forwarded-* from a client that is not a trusted proxy are ignored', async () => {
    const server = await startTestServer(newDir('untrusted'), {
      env: { TRUST_PROXY: '10.9.9.9', COLLECT_RATE_LIMIT: '2' },
    });
    try {
      // All three come from 127.0.0.1 whatever they claim: the third is over the limit of 2.
      expect(await collectFrom(server, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([
        'passed',
        'passed',
        'limited',
      ]);
      expect(await secureCookieBehindHttps(server)).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('X-Forwarded-* from a trusted proxy (default: loopback) name the real client and scheme', async () => {
    const server = await startTestServer(newDir('trusted'), { env: { COLLECT_RATE_LIMIT: '2' } });
    try {
      expect(await collectFrom(server, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([
        'passed',
        'passed',
        'passed',
      ]);
      // The limit is per forwarded client: the first one's third request is refused.
      expect(await collectFrom(server, ['203.0.113.1', '203.0.113.1'])).toEqual(['passed', 'limited']);
      expect(await secureCookieBehindHttps(server)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('behind a declared proxy the banner warns what a missing X-Forwarded-For costs; the first such request is logged once', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
    const server = await startTestServer(newDir('declared'), {
      env: { TRUST_PROXY: '10.0.0.0/8,loopback', AUTH_FAILURE_LIMIT: '20' },
      logger,
    });
    try {
      const banner = server.summary.join('\n');
      expect(banner).toContain('X-Forwarded-For is believed from: 10.0.0.0/8, loopback (TRUST_PROXY)');
      expect(banner).toMatch(
        /warning: requests from the proxy \(10\.0\.0\.0\/8, loopback\) without X-Forwarded-For all count as ONE client: AUTH_FAILURE_LIMIT \(20 failures per 15 min — one vendor's bad signatures then lock out every vendor\), COLLECT_RATE_LIMIT \(300\/min\) and COLLECT_NEW_VISITORS_PER_MINUTE \(120\)/,
      );
      const proxied = async (headers: Record<string, string>) =>
        (await fetch(`${server.url}/healthz`, { headers: { via: '1.1 lb', ...headers } })).arrayBuffer();
      const warnings = () => lines.filter((l) => /X-Forwarded-For/.test(l));
      // A proxy that sends X-Forwarded-For (trusted: loopback) is fine: nothing logged.
      await proxied({ 'x-forwarded-for': '203.0.113.9' });
      expect(warnings()).toEqual([]);
      // One without it: logged once, naming the fix.
      await proxied({});
      await proxied({});
      expect(warnings()).toHaveLength(1);
      expect(JSON.parse(warnings()[0])).toMatchObject({
        level: 40,
        xForwardedFor: false,
        msg: expect.stringContaining('configure the proxy to send X-Forwarded-For'),
      });
    } finally {
      await server.close();
    }
  });

  test('with the default TRUST_PROXY (loopback) the banner says how clients are keyed, without the proxy warning', async () => {
    const server = await startTestServer(newDir('default'));
    try {
      const banner = server.summary.join('\n');
      expect(banner).toContain(
        'rate limits count per client address; X-Forwarded-For is believed from: loopback',
      );
      expect(banner).not.toContain('warning: requests from the proxy');
    } finally {
      await server.close();
    }
  });
});
