import http from 'node:http';
import { loadConfig } from '../../src/config';
import { runServe } from './serve-cli';
import { serveDuringSuite, suiteTempDirs } from './helpers';

/**
 * docs/security.md, "Secrets and how each is checked": weak secrets stop start-up naming the variable and its
 * minimum, and failed authentication is rate-limited per client address on /webhooks/* and /api/*.
 */
jest.setTimeout(60_000);

const newDir = suiteTempDirs();

describe('start-up refuses weak secrets', () => {
  test.each([
    ['ADMIN_TOKEN', 'x', /ADMIN_TOKEN is too short \(1 characters\): it must be at least 32 characters/],
    ['GENERIC_WEBHOOK_TOKEN', '1', /GENERIC_WEBHOOK_TOKEN is too short .*at least 32 characters/],
    ['DIALOGTECH_WEBHOOK_TOKEN', 'a'.repeat(40), /DIALOGTECH_WEBHOOK_TOKEN is too predictable/],
    ['CALLRAIL_SIGNING_KEY', 'secret', /CALLRAIL_SIGNING_KEY is too short .*at least 16 characters/],
  ])('serve with %s=%s exits 2 naming the variable and the minimum', async (name, value, message) => {
    const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: newDir('weak'), [name]: value });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    // The message never repeats the secret itself.
    expect(run.stderr).not.toContain(`=${value}`);
  });

  test("real vendor keys pass: CallRail's documented 32-hex signing key, a 20-character CTM secret", () => {
    const config = loadConfig({
      CALLRAIL_SIGNING_KEY: '072e77e426f92738a72fe23c4d1953b4',
      CTM_WEBHOOK_SECRET: 'a1b2c3d4e5f6g7h8i9j0',
      ADMIN_TOKEN: 'kR3vQ9xL2mN8pT4wY7zA1bC6dE5fG0hJ',
    });
    expect(config.vendorSecrets.callrailSigningKey).toBe('072e77e426f92738a72fe23c4d1953b4');
  });
});

describe('failed authentication is rate-limited per client address', () => {
  const LIMIT = 5;
  const TOKEN = 'generic-limit-token-0123456789abcdefghij';
  const ctx = serveDuringSuite('authlimit', {
    env: { GENERIC_WEBHOOK_TOKEN: TOKEN, AUTH_FAILURE_LIMIT: String(LIMIT) },
  });

  /** A request from a chosen loopback source address (127.0.0.0/8 all reach the server on 127.0.0.1). */
  function post(from: string, path: string, token: string): Promise<number> {
    const url = new URL(path, ctx.server.url);
    const body = `call_id=RL-${Math.random().toString(36).slice(2)}&start_time=2026-03-10T12:00:00Z`;
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          localAddress: from,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-webhook-token': token,
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  test(`the ${LIMIT + 1}th failed attempt answers 429, a right token from another address still works`, async () => {
    for (let i = 0; i < LIMIT; i++)
      expect(await post('127.0.0.3', '/webhooks/generic', 'wrong-token')).toBe(401);
    expect(await post('127.0.0.3', '/webhooks/generic', 'wrong-token')).toBe(429);
    // Failures count across surfaces: the admin API is closed to that address too.
    expect(await post('127.0.0.3', '/api/visitors/x/sessions', 'wrong-token')).toBe(429);
    // Another address with the right token is untouched, and its successes never count.
    for (let i = 0; i < LIMIT + 2; i++) expect(await post('127.0.0.4', '/webhooks/generic', TOKEN)).toBe(202);
  });
});
