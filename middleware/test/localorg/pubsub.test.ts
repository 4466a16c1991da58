import * as grpc from '@grpc/grpc-js';
import { Connection } from 'jsforce';
import type { LocalOrg } from '@call-touchpoints/local-org';
import {
  PUBSUB_ERRORS,
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
import { pubSubService } from '@call-touchpoints/pubsub-codec';
import {
  LOCAL_CLIENT,
  grantViewAllData,
  integrationUser,
  orgPubSubClient,
  selectTaskForCdc,
} from '../salesforce/helpers';
import { untilTruthy } from '../until';

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
    client = orgPubSubClient(org);
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
    await untilTruthy('two events', () => sub.events().length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.events()).toHaveLength(2); // flow control: no more than asked for
    sub.more(100);
    await conn.sobject('Task').update({ Id: rest.id, BizibleId__c: 'v1', Description: null } as never);
    await conn.sobject('Task').destroy(coll[1].id);
    await conn.bulk2.loadAndWaitForResults({ object: 'Task', operation: 'insert', input: 'Subject\nbulk\n' });
    await untilTruthy('all six events', () => sub.events().length === 6);

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
    await untilTruthy('a keepalive', () => sub.responses.length > before);
    expect(sub.responses[sub.responses.length - 1].events).toEqual([]);
    sub.close();

    // CUSTOM from the third event replays exactly the three after it.
    const replay = subscribe({
      replay_preset: 'CUSTOM',
      replay_id: sub.events()[2].replay_id,
      num_requested: 10,
    });
    await untilTruthy('the replay', () => replay.events().length === 3);
    expect(replay.events().map((e) => decodeReplayId(e.replay_id))).toEqual(ids.slice(3));
    replay.close();
  });

  it('answers a replay id it does not retain, and a bad token, as Salesforce does', async () => {
    const bad = subscribe({
      replay_preset: 'CUSTOM',
      replay_id: Buffer.from('0000000000000001', 'hex'),
      num_requested: 1,
    });
    await untilTruthy('an error', () => bad.error() !== null);
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

/** What Salesforce's Pub/Sub API documents and the local org used to get wrong (issue 25). */
describe('local org Pub/Sub API: Salesforce parity', () => {
  let org: LocalOrg;
  let conn: Connection;

  beforeAll(async () => {
    ({ org, conn } = await startOrg({ preload: true, pubsubKeepaliveMs: 60_000, ...LOCAL_CLIENT }));
    conn.bulk2.pollInterval = 50;
    await selectTaskForCdc(conn);
  });
  afterAll(async () => {
    await org?.close();
  });

  const clientFor = (session: { accessToken?: string; instanceUrl?: string; tenantId?: string } = {}) =>
    createPubSubClient({
      endpoint: org.pubsubEndpoint!,
      caPem: org.pubsubCertPem,
      session: () => ({
        accessToken: org.accessToken,
        instanceUrl: org.instanceUrl,
        tenantId: org.orgId,
        ...session,
      }),
    });

  /** Opens a stream, sends the requests one by one, resolves with its events or its error. */
  const stream = (client: PubSubClient, requests: Record<string, unknown>[]) => {
    const s = client.subscribe();
    const responses: FetchResponse[] = [];
    let error: unknown = null;
    s.on('data', (r: FetchResponse) => responses.push(r));
    s.on('error', (e) => (error = e));
    for (const r of requests) s.write(r as never);
    return {
      responses,
      events: () => responses.flatMap((r) => r.events),
      error: () => error,
      write: (r: Record<string, unknown>) => s.write(r as never),
      close: () => s.cancel(),
    };
  };
  /**
   * Waits until the stream is positioned (LATEST starts where the server is when it reads the first
   * request): creates marker Tasks until one arrives. Events of markers are left out by `ours`.
   */
  const ready = async (sub: { events: () => FetchResponse['events'] }) => {
    const end = Date.now() + 10_000;
    while (sub.events().length === 0) {
      if (Date.now() > end) throw new Error('the stream did not start');
      await conn.sobject('Task').create({ Subject: 'marker' } as never);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ours = (events: FetchResponse['events']) =>
    events.filter(
      (e) => unwrapUnion(avroType(e.event.schema_id).fromBuffer(e.event.payload).Subject) !== 'marker',
    );
  const decodeHeaders = (events: FetchResponse['events']) =>
    events.map((e) => avroType(e.event.schema_id).fromBuffer(e.event.payload).ChangeEventHeader) as Record<
      string,
      unknown
    >[];

  it('refuses a subscriber without View All Data, as Salesforce does for Task; subscribes once it is granted', async () => {
    const user = await integrationUser(org, conn);
    const client = clientFor({ accessToken: user.accessToken });
    try {
      const topic = await client.getTopic(TASK_CHANGE_TOPIC);
      expect(topic.can_subscribe).toBe(false);
      const refused = stream(client, [
        { topic_name: TASK_CHANGE_TOPIC, replay_preset: 'LATEST', num_requested: 1 },
      ]);
      await untilTruthy('the refusal', () => refused.error() !== null);
      expect((refused.error() as { code: number }).code).toBe(grpc.status.PERMISSION_DENIED);
      expect(pubSubErrorCode(refused.error())).toBe(PUBSUB_ERRORS.cannotSubscribe);
      expect((refused.error() as Error).message).toMatch(/View All Data.*rpcId: /);

      await grantViewAllData(conn, user.userId, 'Call_Touchpoints_Change_Events');
      expect((await client.getTopic(TASK_CHANGE_TOPIC)).can_subscribe).toBe(true);
      const sub = stream(client, [
        { topic_name: TASK_CHANGE_TOPIC, replay_preset: 'LATEST', num_requested: 1 },
      ]);
      await new Promise((r) => setTimeout(r, 100));
      await conn.sobject('Task').create({ Subject: 'seen' } as never);
      await untilTruthy('the event', () => sub.events().length === 1);
      expect(sub.error()).toBeNull();
      sub.close();
    } finally {
      client.close();
    }
  });

  it('changeOrigin names the API (rest, bulkapi) and the Sforce-Call-Options client id', async () => {
    const client = clientFor();
    const sub = stream(client, [
      { topic_name: TASK_CHANGE_TOPIC, replay_preset: 'LATEST', num_requested: 10 },
    ]);
    try {
      await ready(sub);
      const named = new Connection({
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        version: '62.0',
        callOptions: { client: 'CallTouchpoints' },
      });
      await named.sobject('Task').create({ Subject: 'with client' } as never);
      await conn.sobject('Task').create({ Subject: 'without client' } as never);
      await conn.bulk2.loadAndWaitForResults({
        object: 'Task',
        operation: 'insert',
        input: 'Subject\nbulk\n',
      });
      await untilTruthy('three events', () => ours(sub.events()).length === 3);
      expect(decodeHeaders(ours(sub.events())).map((h) => h.changeOrigin)).toEqual([
        'com/salesforce/api/rest/62.0;client=CallTouchpoints',
        'com/salesforce/api/rest/62.0',
        'com/salesforce/api/bulkapi/62.0',
      ]);
    } finally {
      sub.close();
      client.close();
    }
  });

  it('writes changed and nulled field bitmaps in whole bytes', async () => {
    const client = clientFor();
    const sub = stream(client, [
      { topic_name: TASK_CHANGE_TOPIC, replay_preset: 'LATEST', num_requested: 10 },
    ]);
    try {
      await ready(sub);
      const t = (await conn
        .sobject('Task')
        .create({ Subject: 'bits', Description: 'd' } as never)) as unknown as {
        id: string;
      };
      await conn.sobject('Task').update({ Id: t.id, Subject: 'bits 2', Description: null } as never);
      const forT = () => decodeHeaders(sub.events()).filter((h) => (h.recordIds as string[]).includes(t.id));
      await untilTruthy('two events', () => forT().length === 2);
      const update = forT()[1];
      for (const bitmap of [...(update.changedFields as string[]), ...(update.nulledFields as string[])])
        expect(bitmap).toMatch(/^0x([0-9A-F]{2})+$/);
      expect((update.nulledFields as string[]).length).toBe(1);
    } finally {
      sub.close();
      client.close();
    }
  });

  it('caps outstanding num_requested at 100 across the stream, and refuses a second request naming another topic', async () => {
    const client = clientFor();
    const sub = stream(client, [
      { topic_name: TASK_CHANGE_TOPIC, replay_preset: 'LATEST', num_requested: 80 },
      { topic_name: TASK_CHANGE_TOPIC, num_requested: 80 },
    ]);
    try {
      await ready(sub); // a marker or two of the 100
      const rows = Array.from({ length: 130 }, (_, i) => `t${i}`).join('\n');
      await conn.bulk2.loadAndWaitForResults({
        object: 'Task',
        operation: 'insert',
        input: `Subject\n${rows}\n`,
      });
      await untilTruthy('100 events', () => sub.events().length === 100);
      await new Promise((r) => setTimeout(r, 200));
      expect(sub.events()).toHaveLength(100); // not 160: the cap is for the stream
      expect(sub.responses[sub.responses.length - 1].pending_num_requested).toBe(0);

      sub.write({ topic_name: '/data/AccountChangeEvent', num_requested: 1 });
      await untilTruthy('the refusal', () => sub.error() !== null);
      expect((sub.error() as { code: number }).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(pubSubErrorCode(sub.error())).toBe(PUBSUB_ERRORS.fetchTopicMismatch);
    } finally {
      sub.close();
      client.close();
    }
  });

  it('authenticates with the 15-character org id; a missing tenantid is auth.headers.invalid', async () => {
    const short = clientFor({ tenantId: org.orgId.slice(0, 15) });
    const missing = clientFor({ tenantId: '' });
    const wrongOrg = clientFor({ tenantId: '00D000000000009AAA' });
    try {
      expect((await short.getTopic(TASK_CHANGE_TOPIC)).can_subscribe).toBe(true);
      const err = await missing.getTopic(TASK_CHANGE_TOPIC).catch((e: unknown) => e);
      expect((err as { code: number }).code).toBe(grpc.status.UNAUTHENTICATED);
      expect(pubSubErrorCode(err)).toBe(PUBSUB_ERRORS.authHeadersInvalid);
      const other = await wrongOrg.getTopic(TASK_CHANGE_TOPIC).catch((e: unknown) => e);
      expect(pubSubErrorCode(other)).toBe(PUBSUB_ERRORS.auth);
    } finally {
      for (const c of [short, missing, wrongOrg]) c.close();
    }
  });

  it("answers an unknown topic and an unknown schema with Salesforce's codes", async () => {
    const client = clientFor();
    try {
      const topic = await client.getTopic('/data/NoSuchChangeEvent').catch((e: unknown) => e);
      expect(pubSubErrorCode(topic)).toBe(PUBSUB_ERRORS.topicNotFound);
      expect((topic as { code: number }).code).toBe(grpc.status.NOT_FOUND);
      const blank = await client.getTopic('').catch((e: unknown) => e);
      expect(pubSubErrorCode(blank)).toBe(PUBSUB_ERRORS.topicEmpty);
      const schema = await client.getSchema('not-a-schema').catch((e: unknown) => e);
      expect(pubSubErrorCode(schema)).toBe(PUBSUB_ERRORS.schemaPermission);
    } finally {
      client.close();
    }
  });

  it('refuses Publish and PublishStream to a change event topic, which only Salesforce publishes', async () => {
    const Client = pubSubService();
    const creds = grpc.credentials.combineChannelCredentials(
      grpc.credentials.createSsl(Buffer.from(org.pubsubCertPem!)),
      grpc.credentials.createFromMetadataGenerator((_p, cb) => {
        const md = new grpc.Metadata();
        md.set('accesstoken', org.accessToken);
        md.set('instanceurl', org.instanceUrl);
        md.set('tenantid', org.orgId);
        cb(null, md);
      }),
    );
    const raw = new Client(org.pubsubEndpoint!, creds) as grpc.Client &
      Record<string, (...a: unknown[]) => any>;
    try {
      const event = { id: 'e1', schema_id: 'x', payload: Buffer.from([0]) };
      const publish = (req: unknown) =>
        new Promise<unknown>((resolve) => raw.Publish(req, (err: unknown) => resolve(err)));
      const denied = await publish({ topic_name: TASK_CHANGE_TOPIC, events: [event] });
      expect((denied as { code: number }).code).toBe(grpc.status.PERMISSION_DENIED);
      expect(pubSubErrorCode(denied)).toBe(PUBSUB_ERRORS.topicPermission);
      expect(pubSubErrorCode(await publish({ topic_name: TASK_CHANGE_TOPIC, events: [] }))).toBe(
        PUBSUB_ERRORS.publishEventCountInvalid,
      );
      expect(pubSubErrorCode(await publish({ topic_name: '', events: [event] }))).toBe(
        PUBSUB_ERRORS.publishTopicEmpty,
      );

      const s = raw.PublishStream() as grpc.ClientDuplexStream<unknown, unknown>;
      const streamErr = await new Promise<unknown>((resolve) => {
        s.on('error', resolve);
        s.write({ topic_name: TASK_CHANGE_TOPIC, events: [event] });
      });
      expect(pubSubErrorCode(streamErr)).toBe(PUBSUB_ERRORS.topicPermission);
    } finally {
      raw.close();
    }
  });
});
