import { ConfigError, loadConfig } from '../../src/config';
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
});
