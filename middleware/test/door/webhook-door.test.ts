import type { ServerHandle } from '../../src/server/start';
import { startTestServer, suiteTempDirs } from '../server/helpers';
import { storeCases } from './stores';

/**
 * Issue 24: a signed delivery the org could never take is refused before 202, naming the field (the
 * vendor sees it and does not think the call was recorded); a delivery with odd free text is accepted
 * and cleaned, and its Task reaches the org. On SQLite and PostgreSQL.
 */
jest.setTimeout(90_000);

const newDir = suiteTempDirs();
const TOKEN = 'generic-door-token-0123456789abcdefghijk';
let seq = 0;

function call(overrides: Record<string, unknown>): Record<string, unknown> {
  seq += 1;
  return {
    call_id: `door-${process.pid}-${seq}`,
    start_time: new Date(Date.now() - 60_000).toISOString(),
    duration: 42,
    caller_number: '+14155550100',
    outcome: 'answered',
    source: 'Google Ads',
    ...overrides,
  };
}

const deliver = (server: ServerHandle, body: Record<string, unknown>) =>
  fetch(`${server.url}/webhooks/generic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-token': TOKEN },
    body: JSON.stringify(body),
  });

describe.each(storeCases())('one door for webhook values ($name store)', (store) => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startTestServer(newDir(`hook-${store.name}`), {
      env: { GENERIC_WEBHOOK_TOKEN: TOKEN, CALL_BATCH_WINDOW_MS: '50', ...store.env() },
      joinIntervalMs: 3_600_000,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['a duration of 1e20', { duration: 1e20 }, 'duration', /2147483647/],
    ['a duration of 2^31', { duration: 2 ** 31 }, 'duration', /2147483647/],
    [
      'a start in year 10000',
      { start_time: '+010000-01-01T00:00:00Z' },
      'start_time',
      /1700-01-01 and 4000-12-31/,
    ],
    [
      'a start on 0001-01-01',
      { start_time: '0001-01-01T00:00:00Z' },
      'start_time',
      /1700-01-01 and 4000-12-31/,
    ],
  ])('%s: 400 naming the field, nothing in the outbox', async (_, bad, field, why) => {
    const depth = await server.store.outboxDepth();
    const res = await deliver(server, call(bad));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.field).toBe(field);
    expect(body.message).toMatch(why);
    expect(await server.store.outboxDepth()).toBe(depth);
  });

  it('a 40,000-character source with control characters: 202, cleaned, and its Task is written', async () => {
    const body = call({ source: `=HYPERLINK("x")\u0000${'s'.repeat(40_000)}` });
    const res = await deliver(server, body);
    expect(res.status).toBe(202);
    const vendorCallId = `generic:${body.call_id as string}`;
    const until = Date.now() + 20_000;
    let rows: { Subject: string; Description: string }[] = [];
    while (rows.length === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      rows = (
        await server.org.conn.query<{ Subject: string; Description: string }>(
          `SELECT Subject, Description FROM Task WHERE Vendor_Call_Id__c = '${vendorCallId}'`,
        )
      ).records;
    }
    expect(rows).toHaveLength(1);
    expect(rows[0].Subject.length).toBeLessThanOrEqual(255);
    expect(rows[0].Description).not.toContain('\u0000');
    expect(rows[0].Description.length).toBeLessThan(32_000);
    // The outbox item is completed right after its Task is written.
    while ((await server.store.outboxDepth()) > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(await server.store.outboxDepth()).toBe(0);
  });
});
