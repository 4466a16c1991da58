import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { Connection } from 'jsforce';
import { loadConfig, type Config } from '../../src/config';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { silentLogger } from '../../src/log';
import type { Gateway } from '../../src/salesforce/gateway';
import { upsertCallTask } from '../../src/calls/single-call';
import { createStore, type Store } from '../../src/store';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import {
  startCallPipeline as startCallPipeline,
  type CallPipeline as CallPipeline,
} from '../../src/calls/pipeline';
import { createWebhookRouter } from '../../src/vendors/router';
import { orgRequestsByKind, portTo, requestsBetween } from '../salesforce/helpers';

/**
 * End to end: a real express server on 127.0.0.1, the SQLite store in a temp dir, the calls pipeline,
 * and the local org reached through jsforce, unchanged.
 */

// jsforce retries a refused connection for ~15 s before giving up (the org-down test waits that out).
jest.setTimeout(120_000);

const FIXTURES = path.join(__dirname, 'fixtures');
const fixtureText = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fixtureText(name)) as Record<string, unknown>;

const SECRETS = {
  CALLRAIL_SIGNING_KEY: '072e77e426f92738a72fe23c4d1953b4',
  CTM_WEBHOOK_SECRET: 'ctm-test-secret-0123456789',
  INVOCA_WEBHOOK_TOKEN: 'invoca-test-token-0123456789abcdefghij',
  DIALOGTECH_WEBHOOK_TOKEN: 'dialogtech-test-token-0123456789abcdefgh',
  GENERIC_WEBHOOK_TOKEN: 'generic-test-token-0123456789abcdefghijk',
};
const TOKEN = 'local-org-test-token';

const hmac = (key: string, ...parts: string[]): string => {
  const mac = crypto.createHmac('sha1', key);
  for (const p of parts) mac.update(p);
  return mac.digest('base64');
};

interface Harness {
  dir: string;
  org: LocalOrg;
  store: Store;
  worker: CallPipeline;
  server: http.Server;
  base: string;
  written: string[];
  /** CALL_TASK_OWNER_ID given to the worker: a User of the local org. */
  ownerId: string;
  conn(): Connection;
  /** The middleware's port to the org (salesforce/port.ts). */
  port: Gateway;
  /** Shifts the worker's clock forward so rescheduled items become due without waiting. */
  skew: { ms: number };
}

async function listen(app: express.Express): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startHarness(env: Record<string, string> = SECRETS, allowUnsigned = false): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-vendors-'));
  const org = await startLocalOrg({ port: 0, dataDir: path.join(dir, 'org'), preload: true, token: TOKEN });
  const store = await createStore({ dataDir: dir });
  const h = { dir, org, store, written: [] as string[], skew: { ms: 0 } } as Harness;
  h.conn = () => new Connection({ instanceUrl: h.org.instanceUrl, accessToken: TOKEN, version: '62.0' });
  h.port = await portTo(h.org.instanceUrl, TOKEN);
  h.ownerId = (await h.conn().query<{ Id: string }>('SELECT Id FROM User LIMIT 1')).records[0].Id;
  h.worker = startWorker(h);
  const config: Config = loadConfig({ ...env, CALL_TOUCHPOINTS_DATA_DIR: dir });
  const app = express();
  app.use(
    createWebhookRouter({
      calls: h.worker,
      config,
      logger: silentLogger,
      allowUnsigned,
    }),
  );
  Object.assign(h, await listen(app));
  return h;
}

/** The calls pipeline on the harness's store, org and (skewable) clock; drained by the tests, not by a timer. */
function startWorker(h: Harness): CallPipeline {
  return startCallPipeline({
    store: h.store,
    ownerId: h.ownerId,
    salesforce: h.port,
    logger: silentLogger,
    onTaskWritten: (id) => void h.written.push(id),
    pollMs: 60_000,
    backoff: { baseMs: 50, maxMs: 200 },
    now: () => Date.now() + h.skew.ms,
  });
}

async function stopHarness(h: Harness): Promise<void> {
  await h.worker.stop();
  await new Promise<void>((r) => h.server.close(() => r()));
  await h.store.close();
  await h.org.close();
  fs.rmSync(h.dir, { recursive: true, force: true });
}

type Post = { path: string; body: string; headers?: Record<string, string>; contentType?: string };

async function post(h: Harness, p: Post): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${h.base}${p.path}`, {
    method: 'POST',
    headers: { 'content-type': p.contentType ?? 'application/json', ...(p.headers ?? {}) },
    body: p.body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function callrailPost(body: string, key = SECRETS.CALLRAIL_SIGNING_KEY): Post {
  return { path: '/webhooks/callrail', body, headers: { Signature: hmac(key, body) } };
}
function ctmPost(
  body: string,
  secret = SECRETS.CTM_WEBHOOK_SECRET,
  time = Math.floor(Date.now() / 1000),
): Post {
  const t = String(time);
  return {
    path: '/webhooks/calltrackingmetrics',
    body,
    headers: { 'X-CTM-Time': t, 'X-CTM-Signature': hmac(secret, t, body) },
  };
}
function invocaPost(body: string, token = SECRETS.INVOCA_WEBHOOK_TOKEN): Post {
  return { path: '/webhooks/invoca', body, headers: { 'X-Webhook-Token': token } };
}
function dialogtechPost(token = SECRETS.DIALOGTECH_WEBHOOK_TOKEN): Post {
  const form = fixture('dialogtech-post-call-action.json').form as Record<string, string>;
  return {
    path: `/webhooks/dialogtech?token=${encodeURIComponent(token)}`,
    body: new URLSearchParams(form).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}
function genericPost(token = SECRETS.GENERIC_WEBHOOK_TOKEN): Post {
  return {
    path: '/webhooks/generic',
    body: fixtureText('generic-call.json'),
    headers: { 'X-Webhook-Token': token },
  };
}

interface TaskRow {
  Id: string;
  Subject: string;
  Type: string;
  TaskSubtype: string;
  CallType: string;
  CallDurationInSeconds: number;
  CallObject: string;
  CallDisposition: string;
  Status: string;
  ActivityDate: string;
  Call_Started_At__c: string;
  BizibleId__c: string | null;
  Vendor_Call_Id__c: string;
  Description: string;
  WhoId: string | null;
  OwnerId: string;
}

async function tasksFor(h: Harness, vendorCallId: string): Promise<TaskRow[]> {
  const res = await h
    .conn()
    .query<TaskRow>(
      `SELECT Id, Subject, Type, TaskSubtype, CallType, CallDurationInSeconds, CallObject, CallDisposition, Status, ` +
        `ActivityDate, Call_Started_At__c, BizibleId__c, Vendor_Call_Id__c, Description, WhoId, OwnerId ` +
        `FROM Task WHERE Vendor_Call_Id__c = '${vendorCallId}'`,
    );
  return res.records;
}

describe('vendor webhooks → outbox → Salesforce Tasks (local org via jsforce)', () => {
  let h: Harness;
  let leadId: string;
  let firstContactId: string;

  beforeAll(async () => {
    h = await startHarness();
    const conn = h.conn();
    // One Lead with the CallRail/CTM/DialogTech caller (typed in a local format), two Contacts sharing
    // the Invoca caller's number (several matches → R20 picks one: Contact, most recently modified,
    // then the lowest Id — the first Contact, created in the same instant as the second).
    const lead = (await conn.sobject('Lead').create({
      LastName: 'Caller',
      Company: 'Acme',
      Phone: '(555) 555-0123',
    })) as { id: string };
    leadId = lead.id;
    const contacts = (await conn.sobject('Contact').create([
      { LastName: 'One', Phone: '866-555-1234' },
      { LastName: 'Two', MobilePhone: '+1 866 555 1234' },
    ])) as { id: string }[];
    firstContactId = contacts.map((c) => c.id).sort()[0];
  });
  afterAll(async () => {
    await stopHarness(h);
  });

  const cases: {
    vendor: string;
    request: () => Post;
    badRequest: () => Post;
    vendorCallId: string;
    expect: Partial<TaskRow>;
    startedAt: string;
    recording: string;
    linkedToLead: boolean;
    linkedToFirstContact?: boolean;
  }[] = [
    {
      vendor: 'callrail',
      request: () => callrailPost(fixtureText('callrail-post-call.json')),
      badRequest: () => callrailPost(fixtureText('callrail-post-call.json'), 'wrong-key'),
      vendorCallId: 'callrail:CAL8154748ae6bd4e278a7cddd38a662f4f',
      expect: {
        Subject: 'Call from +1 555 555 0123 (Google Ads)',
        CallDurationInSeconds: 184,
        CallDisposition: 'answered',
        BizibleId__c: '0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b',
        ActivityDate: '2026-03-10',
      },
      startedAt: '2026-03-10T13:03:56.000Z',
      recording:
        'https://app.callrail.com/calls/CAL8154748ae6bd4e278a7cddd38a662f4f/recording?access_key=abc',
      linkedToLead: true,
    },
    {
      vendor: 'calltrackingmetrics',
      request: () => ctmPost(fixtureText('calltrackingmetrics-end-call.json')),
      badRequest: () => ctmPost(fixtureText('calltrackingmetrics-end-call.json'), 'wrong-secret'),
      vendorCallId: 'calltrackingmetrics:2184733102',
      expect: {
        Subject: 'Call from +1 555 555 0123 (Bing Ads)',
        CallDurationInSeconds: 95,
        CallDisposition: 'answered',
        BizibleId__c: '9a8b7c6d5e4f30211203f4e5d6c7b8a9',
      },
      startedAt: '2026-03-10T15:15:00.000Z',
      recording: 'https://app.calltrackingmetrics.com/calls/2184733102/audio',
      linkedToLead: true,
    },
    {
      vendor: 'invoca',
      request: () => invocaPost(fixtureText('invoca-post-call.json')),
      badRequest: () => invocaPost(fixtureText('invoca-post-call.json'), 'wrong-token'),
      vendorCallId: 'invoca:3B81-6BEEE19C255F',
      expect: {
        Subject: 'Call from +1 866 555 1234 (google)',
        CallDurationInSeconds: 7,
        BizibleId__c: '1234567890abcdef1234567890abcdef',
      },
      startedAt: '2026-03-10T15:04:14.945Z',
      recording: 'https://invoca.net/recordings/3B81-6BEEE19C255F',
      linkedToLead: false,
      linkedToFirstContact: true,
    },
    {
      vendor: 'dialogtech',
      request: () => dialogtechPost(),
      badRequest: () => dialogtechPost('wrong-token'),
      vendorCallId: 'dialogtech:DT-20260310-000417',
      expect: {
        Subject: 'Call from +1 555 555 0123 (Yelp)',
        CallDurationInSeconds: 42,
        CallDisposition: 'voicemail',
        BizibleId__c: 'abcdef0123456789abcdef0123456789',
      },
      startedAt: '2026-03-10T16:20:05.000Z',
      recording: 'https://secure.dialogtech.com/recordings/DT-20260310-000417.mp3',
      linkedToLead: true,
    },
    {
      vendor: 'generic',
      request: () => genericPost(),
      badRequest: () => genericPost('wrong-token'),
      vendorCallId: 'generic:pbx-77123',
      // The malformed visitor id was dropped: the Task exists, without BizibleId (→ Missing BizibleId).
      expect: { CallDisposition: 'missed', CallDurationInSeconds: 0, BizibleId__c: null },
      startedAt: '2026-03-10T16:00:00.000Z',
      recording: '',
      linkedToLead: false,
    },
  ];

  it.each(cases)('$vendor: a wrong signature/token is refused with 401 and writes nothing', async (c) => {
    const res = await post(h, c.badRequest());
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('unauthorized');
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    await h.worker.drain();
    expect(await tasksFor(h, c.vendorCallId)).toHaveLength(0);
  });

  it.each(cases)(
    '$vendor: a signed delivery is stored (202) and becomes one Task with the call fields',
    async (c) => {
      const res = await post(h, c.request());
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ status: 'accepted', vendorCallId: c.vendorCallId });
      await h.worker.drain();
      expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
      const tasks = await tasksFor(h, c.vendorCallId);
      expect(tasks).toHaveLength(1);
      const t = tasks[0];
      expect(t).toMatchObject({
        Type: 'Call',
        TaskSubtype: 'Call',
        CallType: 'Inbound',
        CallObject: c.vendorCallId,
        Status: 'Completed',
        ...c.expect,
      });
      expect(new Date(t.Call_Started_At__c).toISOString()).toBe(c.startedAt);
      expect(t.ActivityDate).toBe(c.startedAt.slice(0, 10));
      if (c.recording) expect(t.Description).toContain(`Recording: ${c.recording}`);
      expect(t.WhoId).toBe(c.linkedToLead ? leadId : c.linkedToFirstContact ? firstContactId : null);
      expect(t.OwnerId).toBe(h.ownerId);
      // The join is triggered for this Task right away.
      expect(h.written).toContain(t.Id);
    },
  );

  it('10 parallel copies of one delivery give exactly one Task', async () => {
    const body = JSON.stringify({ ...fixture('calltrackingmetrics-end-call.json'), id: 990001 });
    const results = await Promise.all(Array.from({ length: 10 }, () => post(h, ctmPost(body))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
    await h.worker.drain();
    expect(await tasksFor(h, 'calltrackingmetrics:990001')).toHaveLength(1);
  });

  it('concurrent writers racing on Salesforce (DUPLICATE_VALUE) still leave one Task, TaskSubtype kept', async () => {
    const call: NormalizedCall = {
      vendor: 'generic',
      vendorCallId: 'generic:race-1',
      startedAt: '2026-03-10T17:00:00.000Z',
      durationSeconds: 30,
      direction: 'outbound',
      outcome: 'answered',
      callerNumber: '+15555550999',
      trackingNumber: null,
      source: null,
      campaign: null,
      recordingUrl: null,
      visitorId: null,
    };
    const calls = h.port.for('calls', { maxAttempts: 1 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        upsertCallTask(calls, call, { bizibleIdField: 'BizibleId__c', logger: silentLogger }),
      ),
    );
    expect(new Set(results.map((r) => r.taskId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const tasks = await tasksFor(h, 'generic:race-1');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      TaskSubtype: 'Call',
      CallType: 'Outbound',
      Subject: 'Call to +1 555 555 0999',
    });
  });

  it('API cost: a call, new or repeated, takes 2 Salesforce requests (one Composite, one Composite Graph) with its join', async () => {
    const body = JSON.stringify({ ...fixture('calltrackingmetrics-end-call.json'), id: 990003 });
    const before = await orgRequestsByKind(h.org);
    expect((await post(h, ctmPost(body))).status).toBe(202);
    await h.worker.drain();
    const created = await orgRequestsByKind(h.org);
    // Create + caller lookup + the Tasks of the call and its visitor; then the Task's WhoId and join
    // status with its sessions and touchpoints.
    expect(requestsBetween(before, created)).toEqual({ composite: 1, graph: 1 });
    expect((await post(h, ctmPost(body))).status).toBe(202);
    await h.worker.drain();
    // The create answers DUPLICATE_VALUE inside the same Composite request whose query reads the
    // Task's state (is this delivery stale?); the update rides in the graph.
    expect(requestsBetween(created, await orgRequestsByKind(h.org))).toEqual({ composite: 1, graph: 1 });
    const [task] = await tasksFor(h, 'calltrackingmetrics:990003');
    expect(await tasksFor(h, 'calltrackingmetrics:990003')).toHaveLength(1);
    expect(task).toMatchObject({ TaskSubtype: 'Call' });
  });

  it('an Invoca correction (same complete_call_id, new transaction_id) updates the same Task', async () => {
    const before = await tasksFor(h, 'invoca:3B81-6BEEE19C255F');
    expect(before).toHaveLength(1);
    const res = await post(h, invocaPost(fixtureText('invoca-correction.json')));
    expect(res.status).toBe(202);
    await h.worker.drain();
    const after = await tasksFor(h, 'invoca:3B81-6BEEE19C255F');
    expect(after).toHaveLength(1);
    expect(after[0].Id).toBe(before[0].Id);
    expect(after[0].CallDurationInSeconds).toBe(240);
    expect(after[0].Description).toContain('Campaign: Summer Sale (corrected)');
    expect(after[0].TaskSubtype).toBe('Call');
  });

  it('a CallRail call-modified delivery (same id) updates the Task and keeps its BizibleId', async () => {
    const modified = { ...fixture('callrail-post-call.json'), duration: '200', custom: '' };
    const res = await post(h, callrailPost(JSON.stringify(modified)));
    expect(res.status).toBe(202);
    await h.worker.drain();
    const tasks = await tasksFor(h, 'callrail:CAL8154748ae6bd4e278a7cddd38a662f4f');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].CallDurationInSeconds).toBe(200);
    expect(tasks[0].BizibleId__c).toBe('0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b');
  });

  it('a replayed older CallRail delivery never reverts the Task: A (10 s missed), B (99 s answered), A → B', async () => {
    const base = { ...fixture('callrail-post-call.json'), id: 'CALREPLAY1', resource_id: 'CALREPLAY1' };
    const a = JSON.stringify({ ...base, duration: '10', answered: false });
    const b = JSON.stringify({ ...base, duration: '99', answered: true, source_name: 'Bing Ads' });
    for (const body of [a, b, a]) {
      const res = await post(h, callrailPost(body));
      // The stale replay is acknowledged like any delivery, so CallRail stops retrying it.
      expect(res.status).toBe(202);
      await h.worker.drain();
    }
    const tasks = await tasksFor(h, 'callrail:CALREPLAY1');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ CallDurationInSeconds: 99, CallDisposition: 'answered' });
    expect(tasks[0].Subject).toContain('(Bing Ads)');
    // A later state still lands (call-modified with a longer duration).
    expect((await post(h, callrailPost(JSON.stringify({ ...JSON.parse(b), duration: '120' })))).status).toBe(
      202,
    );
    await h.worker.drain();
    expect((await tasksFor(h, 'callrail:CALREPLAY1'))[0].CallDurationInSeconds).toBe(120);

    // The same while nothing is written yet (worker stopped, as when the org is down): A, B, A wait
    // in the outbox together and the Task still ends with B.
    await h.worker.stop();
    const pendingA = JSON.stringify({ ...JSON.parse(a), id: 'CALREPLAY2', resource_id: 'CALREPLAY2' });
    const pendingB = JSON.stringify({ ...JSON.parse(b), id: 'CALREPLAY2', resource_id: 'CALREPLAY2' });
    for (const body of [pendingA, pendingB, pendingA])
      expect((await post(h, callrailPost(body))).status).toBe(202);
    h.worker = startWorker(h);
    await h.worker.drain();
    const replay2 = await tasksFor(h, 'callrail:CALREPLAY2');
    expect(replay2).toHaveLength(1);
    expect(replay2[0]).toMatchObject({ CallDurationInSeconds: 99, CallDisposition: 'answered' });
  });

  it('CTM: a genuine signature with an old X-CTM-Time (replay) is refused', async () => {
    const body = JSON.stringify({ ...fixture('calltrackingmetrics-end-call.json'), id: 990002 });
    const res = await post(
      h,
      ctmPost(body, SECRETS.CTM_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
    );
    expect(res.status).toBe(401);
    expect(String(res.json.reason)).toMatch(/X-CTM-Time/);
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
  });

  it('a bad payload answers 400 naming the field; nothing is stored', async () => {
    const body = JSON.stringify({ ...fixture('invoca-post-call.json'), complete_call_id: null });
    const res = await post(h, invocaPost(body));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid payload', field: 'complete_call_id' });
    const broken = await post(h, invocaPost('{"complete_call_id":'));
    expect(broken).toMatchObject({ status: 400, json: { field: 'body' } });
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
  });

  it('an unknown vendor path is a 404 listing the known vendors', async () => {
    const res = await post(h, { path: '/webhooks/ringcentral', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.json.knownVendors).toEqual([
      'calltrackingmetrics',
      'callrail',
      'invoca',
      'dialogtech',
      'generic',
    ]);
  });

  it('a DialogTech Post-Call Action sent as a GET URL works too', async () => {
    const form = fixture('dialogtech-post-call-action.json').form as Record<string, string>;
    const qs = new URLSearchParams({ ...form, call_id: 'DT-GET-1', token: SECRETS.DIALOGTECH_WEBHOOK_TOKEN });
    const res = await fetch(`${h.base}/webhooks/dialogtech?${qs.toString()}`);
    expect(res.status).toBe(202);
    await h.worker.drain();
    expect(await tasksFor(h, 'dialogtech:DT-GET-1')).toHaveLength(1);
  });

  it('a body over the limit is refused with 413', async () => {
    const res = await post(h, callrailPost(JSON.stringify({ id: 'CALbig', pad: 'x'.repeat(300 * 1024) })));
    expect(res.status).toBe(413);
  });
});

describe('secrets required unless explicitly disabled for local use', () => {
  let h: Harness;
  afterEach(async () => {
    await stopHarness(h);
  });

  it('a vendor without a secret answers 401 naming the env var to set', async () => {
    h = await startHarness({ CTM_WEBHOOK_SECRET: SECRETS.CTM_WEBHOOK_SECRET });
    const res = await post(h, { path: '/webhooks/callrail', body: fixtureText('callrail-post-call.json') });
    expect(res.status).toBe(401);
    expect(String(res.json.reason)).toContain('CALLRAIL_SIGNING_KEY');
    expect(await h.store.outboxDepth()).toBe(0);
  });

  it('allowUnsigned (local demo) accepts unsigned deliveries for vendors without a secret', async () => {
    h = await startHarness({ CTM_WEBHOOK_SECRET: SECRETS.CTM_WEBHOOK_SECRET }, true);
    const res = await post(h, { path: '/webhooks/callrail', body: fixtureText('callrail-post-call.json') });
    expect(res.status).toBe(202);
    // A vendor WITH a secret still checks it.
    const ctm = await post(h, ctmPost(fixtureText('calltrackingmetrics-end-call.json'), 'wrong'));
    expect(ctm.status).toBe(401);
  });
});

describe('Salesforce down: calls wait in the durable outbox, survive a restart, then drain once', () => {
  let h: Harness;
  afterAll(async () => {
    await stopHarness(h);
  });

  it('accepts webhooks while the org is closed and writes every Task exactly once when it is back', async () => {
    h = await startHarness();
    const orgDir = path.join(h.dir, 'org');
    await h.org.close();

    const ids = ['CALdown1', 'CALdown2', 'CALdown3'];
    for (const id of ids) {
      const body = JSON.stringify({ ...fixture('callrail-post-call.json'), id, resource_id: id });
      expect((await post(h, callrailPost(body))).status).toBe(202);
    }
    // A duplicate of the first while the org is still down: still one outbox item for it.
    const dup = JSON.stringify({ ...fixture('callrail-post-call.json'), id: ids[0], resource_id: ids[0] });
    expect((await post(h, callrailPost(dup))).status).toBe(202);
    await h.worker.drain();
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(3);
    const pending = await h.store.due(CALL_OUTBOX_KIND, Date.now() + 3_600_000, 10);
    expect(pending.every((i) => i.attempts >= 1 && i.lastError)).toBe(true);

    // Process restart: stop the worker, close the store, open it again from the same directory.
    await h.worker.stop();
    await h.store.close();
    h.store = await createStore({ dataDir: h.dir });
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(3);

    // The org comes back with its data; a new worker drains the outbox (clock moved past the backoff).
    h.org = await startLocalOrg({ port: 0, dataDir: orgDir, preload: true, token: TOKEN });
    // The test's org comes back on another free port; a real org keeps its instance URL.
    h.port = await portTo(h.org.instanceUrl, TOKEN);
    h.skew.ms = 3_600_000;
    h.worker = startWorker(h);
    await h.worker.drain();
    expect(await h.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    for (const id of ids) expect(await tasksFor(h, `callrail:${id}`)).toHaveLength(1);
    expect(h.written).toHaveLength(3);
  });
});
