import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import selfsigned from 'selfsigned';
import type { Logger } from '../logger';
import {
  ERROR_CODE_KEY,
  PUBSUB_ERRORS,
  TASK_CHANGE_TOPIC,
  decodeReplayId,
  encodeReplayId,
  pubSubService,
} from '@call-touchpoints/pubsub-codec';
import type { BusEvent, ChangeEventBus } from './changeEventBus';

/**
 * The local org's Pub/Sub API: GetTopic, GetSchema and Subscribe of Salesforce's pubsub_api.proto
 * over TLS (a certificate generated at start; clients trust it through the PEM file it writes),
 * authenticated by the accesstoken / instanceurl / tenantid headers Salesforce requires
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html).
 * Subscribe is pull-based: events go out only as far as FetchRequest.num_requested allows (at most
 * 100 per request), and an idle stream gets an empty FetchResponse with the latest replay id as a
 * keepalive (Salesforce: within 270 s;
 * https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html).
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
    const ok =
      opts.isValidToken(header(md, 'accesstoken')) &&
      header(md, 'instanceurl').replace(/\/+$/, '') === opts.instanceUrl() &&
      header(md, 'tenantid') === opts.orgId;
    return ok
      ? null
      : failure(
          grpc.status.UNAUTHENTICATED,
          PUBSUB_ERRORS.auth,
          'An error occurred while trying to authenticate. Verify your credentials (accesstoken, instanceurl, tenantid) and try again.',
        );
  };
  const topicProblem = (topic: string): Status | null =>
    topic === TASK_CHANGE_TOPIC && bus.selected('Task')
      ? null
      : failure(
          grpc.status.NOT_FOUND,
          PUBSUB_ERRORS.topicNotFound,
          `Topic ${topic} not found: select the entity for Change Data Capture (PlatformEventChannelMember on ChangeEvents).`,
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
        can_subscribe: true,
        schema_id: bus.schemaFor('Task')!.schemaId,
        rpc_id: crypto.randomUUID(),
      });
    },
    GetSchema(call: grpc.ServerUnaryCall<{ schema_id: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      const problem = authProblem(call.metadata);
      if (problem) return cb(problem);
      bus.schemaFor('Task'); // registers the current schema id
      const s = bus.schemaById(call.request.schema_id);
      if (!s)
        return cb(
          failure(
            grpc.status.NOT_FOUND,
            'sfdc.platform.eventbus.grpc.schema.notfound',
            `Schema ${call.request.schema_id} not found.`,
          ),
        );
      cb(null, { schema_json: s.json, schema_id: s.schemaId, rpc_id: crypto.randomUUID() });
    },
    Subscribe(call: grpc.ServerDuplexStream<FetchRequest, unknown>) {
      subscribe(call, { bus, keepaliveMs, authProblem, topicProblem, streams, log });
    },
    Publish: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(unimplemented()),
    PublishStream: (c: grpc.ServerDuplexStream<unknown, unknown>) => c.emit('error', unimplemented()),
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
    'The local org implements GetTopic, GetSchema and Subscribe only.',
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
    streams: Set<grpc.ServerDuplexStream<unknown, unknown>>;
    log: Logger;
  },
): void {
  const { bus } = ctx;
  let position: bigint | null = null;
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
    const events: BusEvent[] = bus.since(position).slice(0, pending);
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
    if (position === null) {
      // The first FetchRequest positions the stream; later ones only ask for more events.
      const topic = ctx.topicProblem(req.topic_name);
      if (topic) return stop(topic);
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
        if (id !== bus.latestReplayId() && bus.after(id) === null)
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
    pending += Math.min(req.num_requested, MAX_NUM_REQUESTED);
    flush();
  });
  call.on('end', () => {
    stop();
    call.end();
  });
  call.on('cancelled', () => stop());
  call.on('error', () => stop());
}
