import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { startCallPipeline, type CallPipeline } from '../../src/calls/pipeline';
import { loadConfig } from '../../src/config';
import { CLEARED_TASK_FIELDS } from '../../src/erasure/targets';
import { runJoinOnce } from '../../src/join';
import { silentLogger } from '../../src/log';
import { SuppressionList } from '../../src/tracking/suppression';
import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { createWebhookRouter } from '../../src/vendors/router';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * Issue 23, "vendor webhooks for a suppressed number write a Task without our fields" (R24): the real
 * webhook, calls pipeline and join against the local org. The caller's number was erased (suppressed)
 * while a Contact still holds it (`erase --keep-person`) and UNKNOWN_CALLER=create-lead is on: the
 * call still becomes a Task — the business's record of it — but with no BizibleId, no join field, no
 * WhoId found by the number and no Lead made for it; and no later join writes to it, not even a full one.
 */
jest.setTimeout(120_000);

const CALLRAIL_KEY = '072e77e426f92738a72fe23c4d1953b4';
const NUMBER = '+15555550123'; // the fixture's caller

describe('a call from a suppressed number', () => {
  let s: JoinSession;
  let suppression: SuppressionList;
  let pipeline: CallPipeline;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    s = await joinSession('ct-suppressed-call-');
    suppression = await new SuppressionList(s.store, 'suppressed-call-salt-0123456789abcdefgh').start();
    pipeline = startCallPipeline({
      store: s.store,
      salesforce: s.gateway,
      logger: silentLogger,
      unknownCaller: 'create-lead',
      windowMs: 0,
      pollMs: 10,
    });
    const config = loadConfig({ CALLRAIL_SIGNING_KEY: CALLRAIL_KEY });
    const app = express();
    app.use(createWebhookRouter({ calls: pipeline, config, logger: silentLogger, suppression }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await pipeline?.stop();
    suppression?.stop();
    await s?.close();
  });

  it('becomes a Task with none of our fields, even after join --once and a full join', async () => {
    await s.gateway.create('Contact', { LastName: 'Kept', Phone: '(555) 555-0123' });
    await suppression.mark([{ kind: 'phone', value: NUMBER, reason: 'erasure' }]);
    const body = fs.readFileSync(
      path.join(__dirname, '..', 'vendors', 'fixtures', 'callrail-post-call.json'),
      'utf8',
    );
    const res = await fetch(`${base}/webhooks/callrail`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        Signature: crypto.createHmac('sha1', CALLRAIL_KEY).update(body).digest('base64'),
      },
      body,
    });
    expect(res.status).toBe(202);
    for (let k = 0; k < 200 && (await s.store.outboxDepth(CALL_OUTBOX_KIND)) > 0; k++) {
      pipeline.kick();
      await pipeline.drain();
    }
    expect(await s.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);

    const ours = ['BizibleId__c', ...CLEARED_TASK_FIELDS];
    const read = async () =>
      (
        await s.gateway.query<Record<string, unknown>>(
          `SELECT Id, WhoId, Type, Vendor_Call_Id__c, ${ours.join(', ')} FROM Task WHERE Vendor_Call_Id__c LIKE 'callrail:%'`,
        )
      ).map(({ attributes: _a, ...t }) => t);
    const expected = [
      {
        Id: expect.any(String),
        Type: 'Call',
        Vendor_Call_Id__c: expect.stringMatching(/^callrail:/),
        WhoId: null,
        ...Object.fromEntries(ours.map((f) => [f, null])),
      },
    ];
    expect(await read()).toEqual(expected);

    const once = await runJoinOnce({ gateway: s.gateway, store: s.store });
    expect(once.failed).toEqual([]);
    expect(await read()).toEqual(expected);
    await runJoinOnce({ gateway: s.gateway, store: s.store }, { full: true });
    expect(await read()).toEqual(expected);
    // No Lead was made for the number (UNKNOWN_CALLER=create-lead), and no touchpoint for the call.
    expect(await s.gateway.query("SELECT Id FROM Lead WHERE Phone LIKE '%555%0123%'")).toEqual([]);
    const [task] = await read();
    expect(
      await s.gateway.query(`SELECT Id FROM Touchpoint__c WHERE Task_Id__c = '${String(task.Id)}'`),
    ).toEqual([]);
  });
});
