import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { startCallPipeline, type CallPipeline } from '../../src/calls/pipeline';
import { loadConfig } from '../../src/config';
import { NO_CONSENT_CALL_DETAIL, NO_CONSENT_DETAIL } from '../../src/domain';
import { runJoinOnce } from '../../src/join';
import { silentLogger } from '../../src/log';
import { SuppressionList } from '../../src/tracking/suppression';
import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { createWebhookRouter } from '../../src/vendors/router';
import { trackedEvents } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * R8/R23 `No_Consent` against the local org: the fixture's cookie withdrew tracking consent (or sent
 * Global Privacy Control) after it was tracked — its session, a Google Ads visit minutes before the
 * call, is still in the store. (a) The vendor's webhook call carrying that cookie becomes a Task
 * without BizibleId whose reason says No_Consent, not No_BizibleId, with no touchpoint of web data;
 * `join --once` afterwards writes nothing. (b) A Task the vendor wrote itself with that BizibleId is
 * planned as No_Consent, standalone, its session not joined.
 */
jest.setTimeout(120_000);

const CALLRAIL_KEY = '072e77e426f92738a72fe23c4d1953b4';
const COOKIE = '0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b'; // the fixture's _biz_uid
const SALT = 'no-consent-test-salt-0123456789abcdefgh';
const NO_WRITES = { webSessions: 0, touchpoints: 0, opportunityTouchpoints: 0, tasks: 0, deleted: 0 };

describe('a call whose cookie withdrew tracking consent (R8, R23 No_Consent)', () => {
  let s: JoinSession;
  let suppression: SuppressionList;
  let pipeline: CallPipeline;
  let server: Server;
  let base: string;
  const join = () => runJoinOnce({ gateway: s.gateway, store: s.store, privacySalt: SALT });

  beforeAll(async () => {
    // The cookie's session: a paid visit four minutes before the call (09:03:56 -04:00).
    s = await joinSession('ct-no-consent-', {
      events: trackedEvents([
        {
          type: 'page_view',
          visitorId: COOKIE,
          url: 'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&gclid=consent',
          referrer: 'https://www.google.com/',
          receivedAt: '2026-03-10T13:00:00.000Z',
        },
      ]),
    });
    suppression = await new SuppressionList(s.store, SALT).start();
    pipeline = startCallPipeline({
      store: s.store,
      salesforce: s.gateway,
      logger: silentLogger,
      windowMs: 0,
      pollMs: 10,
      privacySalt: SALT,
    });
    const config = loadConfig({ CALLRAIL_SIGNING_KEY: CALLRAIL_KEY });
    const app = express();
    app.use(createWebhookRouter({ calls: pipeline, config, logger: silentLogger, suppression }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await suppression.mark([{ kind: 'cookie', value: COOKIE, reason: 'gpc' }]);
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await pipeline?.stop();
    suppression?.stop();
    await s?.close();
  });

  const taskWhere = async (where: string) =>
    (
      await s.gateway.query<Record<string, unknown>>(
        `SELECT Id, BizibleId__c, Call_Join_Status__c, Call_Join_Reason__c, Call_Join_Detail__c, Call_Touchpoint__c FROM Task WHERE ${where}`,
      )
    ).map(({ attributes: _a, ...t }) => t);
  const ourRecords = async () => ({
    sessions: await s.gateway.query('SELECT Id FROM Web_Session__c'),
    webTouchpoints: await s.gateway.query(
      'SELECT Id FROM Touchpoint__c WHERE Landing_Page__c != null OR Web_Session__c != null OR Click_Id__c != null',
    ),
  });

  it('(a) the webhook call: no BizibleId, reason No_Consent, no web data; join --once writes nothing', async () => {
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

    const expected = [
      {
        Id: expect.any(String),
        BizibleId__c: null,
        Call_Join_Status__c: 'Missing BizibleId',
        Call_Join_Reason__c: 'No_Consent',
        Call_Join_Detail__c: NO_CONSENT_CALL_DETAIL,
        Call_Touchpoint__c: null,
      },
    ];
    const webhookTask = () => taskWhere("Vendor_Call_Id__c LIKE 'callrail:%'");
    expect(await webhookTask()).toEqual(expected);
    expect(await ourRecords()).toEqual({ sessions: [], webTouchpoints: [] });

    const once = await join();
    expect(once.failed).toEqual([]);
    expect(once.written).toEqual(NO_WRITES);
    expect(await webhookTask()).toEqual(expected);
  });

  it('(b) a vendor-written Task with the BizibleId: standalone, No_Consent, its session not joined', async () => {
    const { id } = await s.gateway.create('Task', {
      Subject: 'Call from the vendor',
      Type: 'Call',
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      Status: 'Completed',
      BizibleId__c: COOKIE,
      Call_Started_At__c: '2026-03-10T13:03:56.000Z',
    });
    const first = await join();
    expect(first.failed).toEqual([]);
    const [task] = await taskWhere(`Id = '${id}'`);
    expect(task).toMatchObject({
      BizibleId__c: COOKIE,
      Call_Join_Status__c: 'Standalone',
      Call_Join_Reason__c: 'No_Consent',
      Call_Join_Detail__c: NO_CONSENT_DETAIL,
    });
    // Its touchpoint is the call's own: no Web_Session__c, no landing page, no click id.
    expect(await ourRecords()).toEqual({ sessions: [], webTouchpoints: [] });
    const [tp] = await s.gateway.query<Record<string, unknown>>(
      `SELECT Landing_Page__c, Web_Session__c, Click_Id__c FROM Touchpoint__c WHERE Id = '${String(task.Call_Touchpoint__c)}'`,
    );
    expect(tp).toMatchObject({ Landing_Page__c: null, Web_Session__c: null, Click_Id__c: null });

    const again = await join();
    expect(again.written).toEqual(NO_WRITES);
  });
});
