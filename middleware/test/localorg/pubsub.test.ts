import type { Connection } from 'jsforce';
import type { LocalOrg } from '@call-touchpoints/local-org';
import {
  TASK_CHANGE_TOPIC,
  avroType,
  decodeFieldBitmap,
  decodeReplayId,
  unwrapUnion,
} from '@call-touchpoints/pubsub-codec';
import {
  createPubSubClient,
  pubSubErrorCode,
  type FetchResponse,
  type PubSubClient,
} from '../../src/salesforce/cdc/pubsubClient';
import { startOrg } from '../../../packages/local-org/test/helpers';
import { selectTaskForCdc } from '../salesforce/helpers';

jest.setTimeout(30_000);

/** The local org's Pub/Sub API, read with our client over real gRPC + TLS. */
describe('local org Pub/Sub API: TaskChangeEvent', () => {
  let org: LocalOrg;
  let conn: Connection;
  let client: PubSubClient;

  beforeAll(async () => {
    ({ org, conn } = await startOrg({ preload: true, pubsubKeepaliveMs: 300 }));
    conn.bulk2.pollInterval = 50;
    await selectTaskForCdc(conn);
    client = createPubSubClient({
      endpoint: org.pubsubEndpoint!,
      caPem: org.pubsubCertPem,
      session: () => ({ accessToken: org.accessToken, instanceUrl: org.instanceUrl, tenantId: org.orgId }),
    });
  });
  afterAll(async () => {
    client?.close();
    await org?.close();
  });

  /** Subscribes and collects what arrives; more() asks for n more events. */
  const subscribe = (req: Record<string, unknown>) => {
    const responses: FetchResponse[] = [];
    const stream = client.subscribe();
    let error: unknown = null;
    stream.on('data', (r: FetchResponse) => responses.push(r));
    stream.on('error', (e) => (error = e));
    stream.write({ topic_name: TASK_CHANGE_TOPIC, ...req } as never);
    return {
      responses,
      events: () => responses.flatMap((r) => r.events),
      error: () => error,
      more: (n: number) => stream.write({ topic_name: TASK_CHANGE_TOPIC, num_requested: n }),
      close: () => stream.cancel(),
    };
  };
  const until = async (what: string, ok: () => boolean) => {
    const end = Date.now() + 10_000;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('publishes creates, updates and deletes from REST, collections and Bulk API 2.0, paced by num_requested', async () => {
    const topic = await client.getTopic(TASK_CHANGE_TOPIC);
    const schema = await client.getSchema(topic.schema_id);
    const type = avroType(schema.schema_id, schema.schema_json);
    const names = type.getFields().map((f) => f.getName());
    const sub = subscribe({ replay_preset: 'LATEST', num_requested: 2 });
    await new Promise((r) => setTimeout(r, 100));

    const rest = (await conn
      .sobject('Task')
      .create({ Subject: 'rest', Type: 'Call' } as never)) as unknown as {
      id: string;
    };
    const coll = (await conn
      .sobject('Task')
      .create([{ Subject: 'c1' }, { Subject: 'c2' }] as never)) as unknown as {
      id: string;
    }[];
    await until('two events', () => sub.events().length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.events()).toHaveLength(2); // flow control: no more than asked for
    sub.more(100);
    await conn.sobject('Task').update({ Id: rest.id, BizibleId__c: 'v1', Description: null } as never);
    await conn.sobject('Task').destroy(coll[1].id);
    await conn.bulk2.loadAndWaitForResults({ object: 'Task', operation: 'insert', input: 'Subject\nbulk\n' });
    await until('all six events', () => sub.events().length === 6);

    const decoded = sub.events().map((e) => {
      const rec = avroType(e.event.schema_id).fromBuffer(e.event.payload);
      const h = rec.ChangeEventHeader as Record<string, unknown>;
      return {
        type: h.changeType,
        ids: h.recordIds,
        changed: decodeFieldBitmap(names, h.changedFields as string[]),
        subject: unwrapUnion(rec.Subject),
        replayId: decodeReplayId(e.replay_id),
      };
    });
    expect(decoded.map((d) => [d.type, d.subject])).toEqual([
      ['CREATE', 'rest'],
      ['CREATE', 'c1'],
      ['CREATE', 'c2'],
      ['UPDATE', null], // an update carries only the changed fields
      ['DELETE', null],
      ['CREATE', 'bulk'],
    ]);
    expect(decoded[3].ids).toEqual([rest.id]);
    expect(decoded[3].changed).toEqual(expect.arrayContaining(['BizibleId__c', 'LastModifiedDate']));
    expect(decoded[3].changed).not.toContain('Subject');
    expect(decoded[4].ids).toEqual([coll[1].id]);
    const ids = decoded.map((d) => d.replayId!);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);

    // Idle: an empty FetchResponse with the latest replay id (keepalive).
    const before = sub.responses.length;
    await until('a keepalive', () => sub.responses.length > before);
    expect(sub.responses[sub.responses.length - 1].events).toEqual([]);
    sub.close();

    // CUSTOM from the third event replays exactly the three after it.
    const replay = subscribe({
      replay_preset: 'CUSTOM',
      replay_id: sub.events()[2].replay_id,
      num_requested: 10,
    });
    await until('the replay', () => replay.events().length === 3);
    expect(replay.events().map((e) => decodeReplayId(e.replay_id))).toEqual(ids.slice(3));
    replay.close();
  });

  it('answers a replay id it does not retain, and a bad token, as Salesforce does', async () => {
    const bad = subscribe({
      replay_preset: 'CUSTOM',
      replay_id: Buffer.from('0000000000000001', 'hex'),
      num_requested: 1,
    });
    await until('an error', () => bad.error() !== null);
    expect(pubSubErrorCode(bad.error())).toBe(
      'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    );
    expect((bad.error() as { code: number }).code).toBe(3); // INVALID_ARGUMENT
    expect((bad.error() as Error).message).toMatch(/rpcId: [0-9a-f-]{36}/);

    const stranger = createPubSubClient({
      endpoint: org.pubsubEndpoint!,
      caPem: org.pubsubCertPem,
      session: () => ({ accessToken: 'not-a-token', instanceUrl: org.instanceUrl, tenantId: org.orgId }),
    });
    try {
      const err = await stranger.getTopic(TASK_CHANGE_TOPIC).catch((e: unknown) => e);
      expect((err as { code: number }).code).toBe(16); // UNAUTHENTICATED
      expect(pubSubErrorCode(err)).toBe('sfdc.platform.eventbus.grpc.service.auth.error');
    } finally {
      stranger.close();
    }
  });
});
