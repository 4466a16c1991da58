import crypto from 'node:crypto';
import { createLogger } from '../../src/log';
import type { ServerHandle } from '../../src/server/start';
import { phoneSpellings } from '../../src/vendors/phone';
import { startTestServer, suiteTempDirs } from './helpers';

/**
 * docs/security.md, "What is logged": no caller number (in any spelling) and no URL query string reaches the
 * log, through the real serve with the embedded local org: a call whose number matches no Lead/Contact, then
 * Task writes that fail: the org answers 503 (fault injected in the local org), then the org is gone (the
 * connection error carries the SOQL request URL).
 */
jest.setTimeout(90_000);

const newDir = suiteTempDirs();
const KEY = '072e77e426f92738a72fe23c4d1953b4';
const CALLER = '+14155550167';
const EMAIL = 'jane.doe@acme.example';

let server: ServerHandle;
const lines: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
  server = await startTestServer(newDir('logs'), { logger, env: { CALLRAIL_SIGNING_KEY: KEY } });
}, 60_000);
afterAll(() => server?.close());

async function postCall(id: string): Promise<number | string> {
  const body = JSON.stringify({
    id,
    start_time: new Date().toISOString(),
    duration: '42',
    answered: true,
    customer_phone_number: '(415) 555-0167',
    tracking_phone_number: '+15550104477',
    source_name: `Website ${EMAIL}`,
  });
  const signature = crypto.createHmac('sha1', KEY).update(body).digest('base64');
  const res = await fetch(`${server.url}/webhooks/callrail?caller=${encodeURIComponent(CALLER)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', signature },
    body,
  });
  if (res.status !== 202) return `${res.status} ${await res.text()}\n${lines.join('')}`;
  return res.status;
}

async function faults(method: 'PUT' | 'DELETE', body?: unknown): Promise<void> {
  const org = server.localOrg!;
  const res = await fetch(`${org.instanceUrl}/_local/faults`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
}

async function until(what: string, found: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!found()) {
    if (Date.now() > deadline) throw new Error(`no log line "${what}" within 30 s:\n${lines.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('caller numbers, e-mail addresses and URL query strings never reach the log', async () => {
  expect(await postCall('CALLOG1')).toBe(202);
  await until('no Lead or Contact', () =>
    lines.some((l) => l.includes('no Lead or Contact has this caller number')),
  );

  await faults('PUT', { errorRate503: 1 });
  try {
    expect(await postCall('CALLOG2')).toBe(202);
    await until('write failed', () => lines.some((l) => l.includes('call Task write failed')));
  } finally {
    await faults('DELETE');
  }
  // The org gone: the connection error names the request URL, SOQL query string and all.
  await server.localOrg!.close();
  expect(await postCall('CALLOG3')).toBe(202);
  await until('write failed for the unreachable org', () =>
    lines.some((l) => l.includes('call Task write failed') && l.includes('CALLOG3')),
  );

  const log = lines.join('');
  // The lines are there, with the number masked to its last two digits, and the unreachable org
  // named by its instance URL only (the port's message leaves the request URL out) …
  expect(log).toMatch(/"callerNumber":"\+•+67"/);
  expect(log).toContain('cannot reach the org at http://127.0.0.1:');
  // … and no spelling of it, no 7-digit run of it, no address, no query string anywhere.
  for (const spelling of [...phoneSpellings(CALLER), '4155550167', '5550167', encodeURIComponent(CALLER)]) {
    expect({ spelling, found: log.includes(spelling) }).toEqual({ spelling, found: false });
  }
  expect(log).not.toContain(EMAIL);
  expect(log).not.toContain('?q=');
  expect(log).not.toContain('?caller=');
});
