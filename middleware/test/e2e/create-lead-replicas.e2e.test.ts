import crypto from 'node:crypto';
import { Connection } from 'jsforce';
import { callRailWebhook, describeWithPostgres, replicaSuite, startReplica } from './replicas';

/**
 * Issue 22 item 2 (R19) across replicas: two `serve` processes with UNKNOWN_CALLER=create-lead on one
 * PostgreSQL and one org. Five calls from one unknown number within five minutes, posted to both
 * replicas at once (so both batch them), create exactly one Lead and all five Tasks point to it; so
 * do five more from a second number posted one after another, alternating replicas.
 */
const maybe = describeWithPostgres();

jest.setTimeout(180_000);

const KEY = crypto.randomBytes(24).toString('base64url');
async function postCall(url: string, id: string, number: string, minutesAgo: number): Promise<number> {
  const { body, headers } = callRailWebhook(KEY, {
    id,
    startTime: new Date(Date.now() - minutesAgo * 60_000),
    caller: number,
  });
  const res = await fetch(`${url}/webhooks/callrail`, {
    method: 'POST',
    body,
    headers,
  });
  await res.arrayBuffer();
  return res.status;
}

maybe('UNKNOWN_CALLER=create-lead on two serve replicas, one PostgreSQL', () => {
  const suite = replicaSuite('ct_create_lead', ['A', 'B']);
  const urls: string[] = [];

  beforeAll(async () => {
    for (const r of suite.replicas) {
      await startReplica(
        r,
        suite.env(r.name, {
          CALLRAIL_SIGNING_KEY: KEY,
          UNKNOWN_CALLER: 'create-lead',
          CALL_BATCH_WINDOW_MS: '200',
          LOG_LEVEL: 'warn',
        }),
      );
      urls.push(r.url);
    }
  });

  it('five calls from one number, at once on both replicas or one after another: one Lead, five Tasks on it', async () => {
    const together = '+14155550201';
    const oneByOne = '+14155550202';
    const ids = (n: string) => Array.from({ length: 5 }, (_, i) => `CAL${n.slice(-3)}${i}x${Date.now()}`);
    const first = ids(together);
    const second = ids(oneByOne);
    const statuses = await Promise.all(first.map((id, i) => postCall(urls[i % 2], id, together, 5 - i)));
    for (const [i, id] of second.entries()) {
      statuses.push(await postCall(urls[i % 2], id, oneByOne, 5 - i));
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);

    const conn = new Connection({
      instanceUrl: suite.org.instanceUrl,
      accessToken: suite.org.accessToken,
      version: '62.0',
    });
    type Row = { Vendor_Call_Id__c: string; WhoId: string | null };
    let tasks: Row[] = [];
    for (const until = Date.now() + 90_000; Date.now() < until;) {
      tasks = (
        await conn.query<Row>(
          "SELECT Vendor_Call_Id__c, WhoId FROM Task WHERE Vendor_Call_Id__c LIKE 'callrail:%'",
        )
      ).records;
      if (tasks.length === 10 && tasks.every((t) => t.WhoId)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const [number, calls] of [
      [together, first],
      [oneByOne, second],
    ] as const) {
      const leads = (await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE Phone = '${number}'`))
        .records;
      expect({ number, leads: leads.length }).toEqual({ number, leads: 1 });
      const whoIds = calls.map((id) => tasks.find((t) => t.Vendor_Call_Id__c === `callrail:${id}`)?.WhoId);
      expect(whoIds).toEqual(Array(5).fill(leads[0].Id));
    }
  });
});
