import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import selfsigned from 'selfsigned';
import type { Logger } from '../logger';
import {
  ERROR_CODE_KEY,
  PUBSUB_ERRORS,
  decodeReplayId,
  encodeReplayId,
  pubSubService,
} from '@call-touchpoints/pubsub-codec';
import { CDC_ENTITIES, type BusEvent, type ChangeEventBus } from './changeEventBus';
import { entityOfChangeEvent } from './channelMember';

/**
 * The entity a change event channel names: /data/<Entity>ChangeEvent (custom objects
 * /data/<Name>__ChangeEvent), one channel per selected entity (CDC Developer Guide, "Subscription
 * Channels": https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_subscribe_channels.htm).
 * Null for any other topic, and for an entity whose change events the local org does not publish.
 */
export function entityOfTopic(topic: string): string | null {
  const m = /^\/data\/(\w+ChangeEvent)$/.exec(topic);
  const entity = m ? entityOfChangeEvent(m[1]) : null;
  return entity && CDC_ENTITIES.includes(entity) ? entity : null;
}

/**
 * The local org's Pub/Sub API: GetTopic, GetSchema, Subscribe, Publish and PublishStream of
 * Salesforce's pubsub_api.proto over TLS (a certificate generated at start; clients trust it through
 * the PEM file it writes), authenticated by the accesstoken / instanceurl / tenantid headers
 * Salesforce requires, tenantid being the org id in its 18- or 15-character form
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html).
 * Subscribe is pull-based: events go out only as far as the stream's outstanding num_requested
 * allows, at most 100 outstanding across all FetchRequests of the stream, and an idle stream gets an
 * empty FetchResponse with the latest replay id as a keepalive (Salesforce: within 270 s;
 * https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html).
 * Topics: /data/<Entity>ChangeEvent of each entity selected for Change Data Capture (Task, Opportunity,
 * OpportunityContactRole, Lead; changeEventBus.ts), each with its own schema and replay ids.
 * A single-entity change event channel checks the user's permission when the subscription starts:
 * Task has no View All Records, so its change events need View All Data, and a user without it is
 * refused (Change Data Capture Developer Guide, "Required Permissions for Change Event Subscribers",
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_security_perms.htm);
 * GetTopic answers can_subscribe false for that user. The local org asks View All Data for the other
 * entities too (stricter: Salesforce also accepts View All on the object). Change events are published by Salesforce only:
 * GetTopic answers can_publish false and Publish/PublishStream refuse them.
 * Errors carry Salesforce's error code in the `error-code` trailer and "rpcId: …" in the message
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/handling-errors.html).
 */
export const SALESFORCE_KEEPALIVE_MS = 270_000;
const MAX_NUM_REQUESTED = 100;

export interface PubSubServerOptions {
  bus: ChangeEventBus;
  host: string;
  port?: number;
  /** Where the certificate PEM goes (clients' CA file); null = not written. */
  certDir: string | null;
  orgId: string;
  instanceUrl: () => string;
  isValidToken: (token: string) => boolean;
  /** Whether the token's user may receive Task change events (View All Data). */
  mayReadChangeEvents: (token: string) => boolean;
  keepaliveMs?: number;
  log: Logger;
}

export interface PubSubServer {
  /** host:port, as Salesforce's api.pubsub.salesforce.com:7443. */
  endpoint: string;
  port: number;
  /** PEM of the self-signed certificate (its own CA). */
  certPem: string;
  certFile: string | null;
  close(): Promise<void>;
}

type Status = { code: grpc.status; details: string; metadata: grpc.Metadata };

function failure(code: grpc.status, errorCode: string, message: string): Status {
  const metadata = new grpc.Metadata();
  const rpcId = crypto.randomUUID();
  metadata.set(ERROR_CODE_KEY, errorCode);
  metadata.set('rpc-id', rpcId);
  return { code, details: `${message} rpcId: ${rpcId}`, metadata };
}

function header(md: grpc.Metadata, key: string): string {
  return String(md.get(key)[0] ?? '');
}

async function certificate(host: string): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'local-org-pubsub' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2 as const, value: 'localhost' },
          { type: 7 as const, ip: '127.0.0.1' },
          ...(host !== '127.0.0.1' && /^[\d.]+$/.test(host) ? [{ type: 7 as const, ip: host }] : []),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startPubSubServer(opts: PubSubServerOptions): Promise<PubSubServer> {
  const { bus, log } = opts;
  const keepaliveMs = opts.keepaliveMs ?? SALESFORCE_KEEPALIVE_MS;
  const authProblem = (md: grpc.Metadata): Status | null => {
    const token = header(md, 'accesstoken');
    const instanceUrl = header(md, 'instanceurl').replace(/\/+$/, '');
    const tenant = header(md, 'tenantid');
    // A blank header, or one not of its form (an org id has 15 or 18 characters).
    if (!token || !/^https?:\/\/\S+$/.test(instanceUrl) || !/^00D\w{12}(\w{3})?$/.test(tenant))
      return failure(
        grpc.status.UNAUTHENTICATED,
        PUBSUB_ERRORS.authHeadersInvalid,
        'The authentication header values (accesstoken, instanceurl, tenantid) are blank or invalid. Provide valid values.',
      );
    const ok =
      opts.isValidToken(token) &&
      instanceUrl === opts.instanceUrl() &&
      (tenant === opts.orgId || tenant === opts.orgId.slice(0, 15));
    return ok
      ? null
      : failure(
          grpc.status.UNAUTHENTICATED,
          PUBSUB_ERRORS.auth,
          'An error occurred while trying to authenticate. Verify your credentials (accesstoken, instanceurl, tenantid) and try again.',
        );
  };
  const topicProblem = (topic: string): Status | null => {
    if (!topic)
      return failure(grpc.status.INVALID_ARGUMENT, PUBSUB_ERRORS.topicEmpty, 'The topic name is blank.');
    const entity = entityOfTopic(topic);
    return entity && bus.selected(entity)
      ? null
      : failure(
          grpc.status.NOT_FOUND,
          PUBSUB_ERRORS.topicNotFound,
          `Topic ${topic} not found: select the entity for Change Data Capture (PlatformEventChannelMember on ChangeEvents).`,
        );
  };
  const permissionProblem = (md: grpc.Metadata): Status | null =>
    opts.mayReadChangeEvents(header(md, 'accesstoken'))
      ? null
      : failure(
          grpc.status.PERMISSION_DENIED,
          PUBSUB_ERRORS.cannotSubscribe,
          `Insufficient permissions to subscribe to this change event channel: the local org requires the View All Data user permission (Task change events always do).`,
        );

  const streams = new Set<grpc.ServerDuplexStream<unknown, unknown>>();
  const server = new grpc.Server();
  server.addService(pubSubService().service, {
    GetTopic(call: grpc.ServerUnaryCall<{ topic_name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const problem = authProblem(call.metadata) ?? topicProblem(call.request.topic_name);
      if (problem) return cb(problem);
      cb(null, {
        topic_name: call.request.topic_name,
        tenant_guid: opts.orgId,
        can_publish: false,
        can_subscribe: opts.mayReadChangeEvents(header(call.metadata, 'accesstoken')),
        schema_id: bus.schemaFor(entityOfTopic(call.request.topic_name)!)!.schemaId,
        rpc_id: crypto.randomUUID(),
      });
    },
    GetSchema(call: grpc.ServerUnaryCall<{ schema_id: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const problem = authProblem(call.metadata);
      if (problem) return cb(problem);
      if (!call.request.schema_id)
        return cb(
          failure(grpc.status.INVALID_ARGUMENT, PUBSUB_ERRORS.schemaEmpty, 'The schema ID is blank.'),
        );
      for (const e of CDC_ENTITIES) bus.schemaFor(e); // registers the current schema ids
      const s = bus.schemaById(call.request.schema_id);
      if (!s)
        return cb(
          failure(
            grpc.status.NOT_FOUND,
            PUBSUB_ERRORS.schemaPermission,
            `An error occurred while getting schema ${call.request.schema_id}: verify the schema ID and your credentials.`,
          ),
        );
      cb(null, { schema_json: s.json, schema_id: s.schemaId, rpc_id: crypto.randomUUID() });
    },
    Subscribe(call: grpc.ServerDuplexStream<FetchRequest, unknown>) {
      subscribe(call, { bus, keepaliveMs, authProblem, topicProblem, permissionProblem, streams, log });
    },
    Publish(call: grpc.ServerUnaryCall<PublishRequest, unknown>, cb: grpc.sendUnaryData<unknown>) {
      cb(authProblem(call.metadata) ?? publishProblem(call.request, topicProblem));
    },
    PublishStream(call: grpc.ServerDuplexStream<PublishRequest, unknown>) {
      const auth = authProblem(call.metadata);
      if (auth) return void call.emit('error', auth);
      call.on('data', (req: PublishRequest) => call.emit('error', publishProblem(req, topicProblem)));
    },
    ManagedSubscribe: (c: grpc.ServerDuplexStream<unknown, unknown>) => c.emit('error', unimplemented()),
  });

  const { key, cert } = await certificate(opts.host);
  const creds = grpc.ServerCredentials.createSsl(
    null,
    [{ private_key: Buffer.from(key), cert_chain: Buffer.from(cert) }],
    false,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${opts.host}:${opts.port ?? 0}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  let certFile: string | null = null;
  if (opts.certDir) {
    certFile = path.join(opts.certDir, 'pubsub-cert.pem');
    fs.writeFileSync(certFile, cert);
  }
  // Advertised by name, as Salesforce's is (api.pubsub.salesforce.com:7443): TLS clients send the
  // name as SNI, and an IP address there is not allowed (RFC 6066; Node warns, DEP0123).
  const endpoint = `${opts.host === '127.0.0.1' ? 'localhost' : opts.host}:${port}`;
  log.info({ endpoint, certFile }, 'local org: Pub/Sub API listening');
  return {
    endpoint,
    port,
    certPem: cert,
    certFile,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 500).unref();
      }),
  };
}

function unimplemented(): Status {
  return failure(
    grpc.status.UNIMPLEMENTED,
    'sfdc.platform.eventbus.grpc.service.unimplemented',
    'The local org does not implement ManagedSubscribe (beta).',
  );
}

interface PublishRequest {
  topic_name: string;
  events: unknown[];
}

/**
 * Why a publish is refused: the documented request checks first (blank topic, no events), then the
 * topic. The local org's topics are change event channels, which Salesforce alone publishes to
 * (GetTopic's can_publish is false); Salesforce's exact code for publishing to one is not documented,
 * so the topic-permission code stands for it.
 */
function publishProblem(req: PublishRequest, topicProblem: (topic: string) => Status | null): Status {
  if (!req.topic_name)
    return failure(grpc.status.INVALID_ARGUMENT, PUBSUB_ERRORS.publishTopicEmpty, 'The topic name is blank.');
  if (!req.events?.length)
    return failure(
      grpc.status.INVALID_ARGUMENT,
      PUBSUB_ERRORS.publishEventCountInvalid,
      'The publish request contains no events.',
    );
  return (
    topicProblem(req.topic_name) ??
    failure(
      grpc.status.PERMISSION_DENIED,
      PUBSUB_ERRORS.topicPermission,
      `You can't publish to ${req.topic_name}: change events are published by Salesforce only.`,
    )
  );
}

interface FetchRequest {
  topic_name: string;
  replay_preset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id: Buffer;
  num_requested: number;
}

function subscribe(
  call: grpc.ServerDuplexStream<FetchRequest, unknown>,
  ctx: {
    bus: ChangeEventBus;
    keepaliveMs: number;
    authProblem: (md: grpc.Metadata) => Status | null;
    topicProblem: (topic: string) => Status | null;
    permissionProblem: (md: grpc.Metadata) => Status | null;
    streams: Set<grpc.ServerDuplexStream<unknown, unknown>>;
    log: Logger;
  },
): void {
  const { bus } = ctx;
  let position: bigint | null = null;
  let topicName = '';
  let entity = 'Task';
  let pending = 0;
  let sentSinceTick = false;
  let done = false;
  const stop = (status?: Status) => {
    if (done) return;
    done = true;
    unlisten();
    clearInterval(keepalive);
    ctx.streams.delete(call);
    if (status) call.emit('error', status);
  };
  const unlisten = bus.onEvent(() => flush());
  const keepalive = setInterval(() => {
    if (!sentSinceTick && position !== null)
      call.write({
        events: [],
        latest_replay_id: encodeReplayId(position),
        rpc_id: crypto.randomUUID(),
        pending_num_requested: pending,
      });
    sentSinceTick = false;
  }, ctx.keepaliveMs);
  keepalive.unref();
  ctx.streams.add(call);

  const flush = () => {
    if (done || position === null || pending <= 0) return;
    const events: BusEvent[] = bus.since(position, entity).slice(0, pending);
    if (!events.length) return;
    position = events[events.length - 1].replayId;
    pending -= events.length;
    sentSinceTick = true;
    call.write({
      events: events.map((e) => ({
        event: { id: e.id, schema_id: e.schemaId, payload: e.payload, headers: [] },
        replay_id: encodeReplayId(e.replayId),
      })),
      latest_replay_id: encodeReplayId(position),
      rpc_id: crypto.randomUUID(),
      pending_num_requested: pending,
    });
  };

  const auth = ctx.authProblem(call.metadata);
  if (auth) return stop(auth);
  call.on('data', (req: FetchRequest) => {
    if (done) return;
    if (!Number.isInteger(req.num_requested) || req.num_requested <= 0) {
      return stop(
        failure(
          grpc.status.INVALID_ARGUMENT,
          PUBSUB_ERRORS.requestedEventsInvalid,
          'The requested number of events in a fetch request must be greater than zero.',
        ),
      );
    }
    if (position !== null && req.topic_name && req.topic_name !== topicName)
      return stop(
        failure(
          grpc.status.INVALID_ARGUMENT,
          PUBSUB_ERRORS.fetchTopicMismatch,
          `The topic name in the fetch request (${req.topic_name}) doesn't match the stream's topic (${topicName}).`,
        ),
      );
    if (position === null) {
      // The first FetchRequest positions the stream; later ones only ask for more events.
      const topic = ctx.topicProblem(req.topic_name) ?? ctx.permissionProblem(call.metadata);
      if (topic) return stop(topic);
      topicName = req.topic_name;
      entity = entityOfTopic(topicName)!;
      if (req.replay_preset === 'EARLIEST') position = 0n;
      else if (req.replay_preset === 'CUSTOM') {
        const id = decodeReplayId(req.replay_id);
        if (id === null)
          return stop(
            failure(
              grpc.status.INVALID_ARGUMENT,
              PUBSUB_ERRORS.replayValidation,
              'The replay_preset field in FetchRequest is set to ReplayPreset.CUSTOM, but no valid Replay ID value is set.',
            ),
          );
        // An id no retained event has: purged after the retention window, or never issued.
        if (id !== bus.latestReplayId() && bus.after(id, entity) === null)
          return stop(
            failure(
              grpc.status.INVALID_ARGUMENT,
              PUBSUB_ERRORS.replayCorrupted,
              'The Replay ID validation failed. The Replay ID is invalid or outside the retention window.',
            ),
          );
        position = id;
      } else position = bus.latestReplayId();
    }
    // At most 100 events outstanding on the stream, however many requests asked for them.
    pending = Math.min(pending + req.num_requested, MAX_NUM_REQUESTED);
    flush();
  });
  call.on('end', () => {
    stop();
    call.end();
  });
  call.on('cancelled', () => stop());
  call.on('error', () => stop());
}
