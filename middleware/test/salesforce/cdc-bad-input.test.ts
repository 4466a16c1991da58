import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { registry } from '../../src/metrics';
import {
  encodeFieldBitmap,
  avroType,
  TASK_CHANGE_TOPIC,
  encodeReplayId,
  pubSubService,
} from '@call-touchpoints/pubsub-codec';
import { createPubSubClient } from '../../src/salesforce/cdc/pubsubClient';
import { TaskDiscovery } from '../../src/salesforce/cdc/taskDiscovery';
import { createStore, type Store } from '../../src/store';
import type { JoinSummary } from '../../src/join';
import type { JoinTrigger } from '../../src/join';

jest.setTimeout(30_000);

/**
 * Payloads the local org never sends, from a Pub/Sub server of our own (real gRPC over TLS): a
 * rejected (expired) token, a malformed payload, a change type we do not know, an event for a
 * deleted record, record ids that are not Salesforce ids, then the server closes the stream, and the next one stays silent. The discovery
 * logs and counts each, joins what it can, never crashes, and resubscribes from the stored replay id.
 */
const SCHEMA = {
  type: 'record',
  name: 'TaskChangeEvent',
  fields: [
    {
      name: 'ChangeEventHeader',
      type: {
        type: 'record',
        name: 'ChangeEventHeader',
        fields: [
          { name: 'entityName', type: 'string' },
          { name: 'recordIds', type: { type: 'array', items: 'string' } },
          {
            name: 'changeType',
            type: { type: 'enum', name: 'ChangeType', symbols: ['CREATE', 'DELETE', 'SHRED'] },
          },
          { name: 'commitUser', type: 'string' },
          { name: 'changedFields', type: { type: 'array', items: 'string' } },
        ],
      },
    },
    { name: 'Subject', type: ['null', 'string'], default: null },
  ],
};
const SCHEMA_ID = 'bad-input-schema';
const type = avroType(SCHEMA_ID, SCHEMA);
const event = (replayId: number, changeType: string, id: string | string[]) => ({
  event: {
    id: `e${replayId}`,
    schema_id: SCHEMA_ID,
    payload: type.toBuffer({
      ChangeEventHeader: {
        entityName: 'Task',
        recordIds: Array.isArray(id) ? id : [id],
        changeType,
        commitUser: '005000000000001AAA',
        changedFields: encodeFieldBitmap(['ChangeEventHeader', 'Subject'], []),
      },
      Subject: { string: 'x' },
    }),
  },
  replay_id: encodeReplayId(BigInt(replayId)),
});

describe('Task discovery with unexpected payloads and a closing stream', () => {
  let server: grpc.Server;
  let port = 0;
  let cert = '';
  const fetches: Array<{ replay_preset: string; replay_id: Buffer }> = [];
  const tokens: string[] = [];
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' });
    cert = pems.cert;
    server = new grpc.Server();
    let subscriptions = 0;
    server.addService(pubSubService().service, {
      GetTopic: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        tokens.push(String(call.metadata.get('accesstoken')[0]));
        // The first token has expired, as Salesforce answers it (Handle Errors: auth.error).
        if (tokens.length === 1) {
          const md = new grpc.Metadata();
          md.set('error-code', 'sfdc.platform.eventbus.grpc.service.auth.error');
          return cb({ code: grpc.status.UNAUTHENTICATED, details: 'auth error', metadata: md });
        }
        cb(null, { topic_name: TASK_CHANGE_TOPIC, schema_id: SCHEMA_ID, can_subscribe: true });
      },
      GetSchema: (_c: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb(null, { schema_id: SCHEMA_ID, schema_json: JSON.stringify(SCHEMA) }),
      Subscribe: (call: grpc.ServerDuplexStream<{ replay_preset: string; replay_id: Buffer }, unknown>) => {
        call.once('data', (req) => {
          fetches.push(req);
          if (++subscriptions > 1) return; // later subscriptions stay open and silent: stalled
          call.write({
            events: [
              // Issue 24: ids that are not Salesforce ids are skipped (and logged), never queried.
              event(1, 'CREATE', ["00T' OR Id != '", '00T000000000001AAA', 'x\u0000'.repeat(9)]),
              {
                event: { id: 'bad', schema_id: SCHEMA_ID, payload: Buffer.from([0xff, 0x01, 0x02]) },
                replay_id: encodeReplayId(2n),
              },
              event(3, 'SHRED', '00T000000000003AAA'),
              event(4, 'DELETE', '00T000000000004AAA'),
            ],
            latest_replay_id: encodeReplayId(4n),
            rpc_id: 'r1',
            pending_num_requested: 96,
          });
          setTimeout(() => call.end(), 300);
        });
      },
    });
    const creds = grpc.ServerCredentials.createSsl(
      null,
      [{ private_key: Buffer.from(pems.private), cert_chain: Buffer.from(cert) }],
      false,
    );
    port = await new Promise((res, rej) =>
      server.bindAsync('localhost:0', creds, (e, p) => (e ? rej(e) : res(p))),
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-bad-'));
    store = await createStore({ dataDir: dir });
  });
  afterAll(async () => {
    server.forceShutdown();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts each on /metrics, joins the created Task, catches up for the unreadable one, resubscribes', async () => {
    const triggers: string[][] = [];
    let token = 'expired';
    let refreshes = 0;
    const join = {
      trigger: async (what: JoinTrigger) => {
        triggers.push([...(what.taskIds ?? [])]);
        return { failed: [], aborted: false } as unknown as JoinSummary;
      },
      setIntervalMs: () => undefined,
    };
    const discovery = new TaskDiscovery({
      client: createPubSubClient({
        endpoint: `localhost:${port}`,
        caPem: cert,
        session: () => ({ accessToken: token, instanceUrl: 'https://x', tenantId: '00D' }),
      }),
      store,
      join,
      joinInputFields: ['Type', 'BizibleId__c'],
      refreshSession: async () => {
        refreshes++;
        token = 'fresh';
      },
      batchMs: 50,
      stallMs: 1000,
      backoffMs: { initial: 50, max: 100 },
    });
    discovery.start();
    const end = Date.now() + 10_000;
    while (fetches.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await discovery.stop();

    // One batch: the created Task, with a catch-up run for the event we could not read.
    expect(triggers).toEqual([['00T000000000001AAA']]);
    const metrics = await registry.metrics();
    for (const outcome of ['join', 'malformed', 'unknown', 'deleted'])
      expect(metrics).toMatch(new RegExp(`call_touchpoints_cdc_events_total\\{outcome="${outcome}"\\} 1`));
    expect(metrics).toMatch(/call_touchpoints_cdc_stream_errors_total\{reason="closed"\} 1/);
    // Resubscribed after the close, from the stored position (the last event handled).
    expect(await store.getState('cdc.TaskChangeEvent.replayId')).toBe('4');
    expect(fetches[1].replay_preset).toBe('CUSTOM');
    expect(fetches[1].replay_id.readBigUInt64BE()).toBe(4n);
    // A silent stream (no events, no keepalive) is given up and resubscribed.
    expect(metrics).toMatch(/call_touchpoints_cdc_stream_errors_total\{reason="stalled"\} [1-9]/);
    // The expired token: refreshed once, then every call carries the fresh one.
    expect(refreshes).toBe(1);
    expect(tokens[0]).toBe('expired');
    expect(tokens.slice(1).every((t) => t === 'fresh')).toBe(true);
  });
});
