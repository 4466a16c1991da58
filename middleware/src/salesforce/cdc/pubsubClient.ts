import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_KEY, pubSubService } from '@call-touchpoints/pubsub-codec';

/**
 * A thin Pub/Sub API client over @grpc/grpc-js with Salesforce's proto. Not the
 * salesforce-pubsub-api-client package: it pins its own bundled CA (so it can trust the local org's
 * certificate only by switching verification off), drives flow control itself (we request more only
 * as events are handled) and, with avro-js 1.12.2, fails to load (`underscore` is required but not
 * declared). Injected into the Task discovery, so it can move behind the one Salesforce port later.
 */
export const SALESFORCE_PUBSUB_ENDPOINT = 'api.pubsub.salesforce.com:7443';

export interface PubSubSession {
  accessToken: string;
  instanceUrl: string;
  /** The org id. */
  tenantId: string;
}

export interface FetchRequest {
  topic_name: string;
  replay_preset?: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id?: Buffer;
  num_requested: number;
}

export interface FetchResponse {
  events: Array<{ event: { id: string; schema_id: string; payload: Buffer }; replay_id: Buffer }>;
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export type SubscribeStream = grpc.ClientDuplexStream<FetchRequest, FetchResponse>;

export interface PubSubClient {
  getTopic(topic: string): Promise<{ schema_id: string; can_subscribe: boolean }>;
  getSchema(schemaId: string): Promise<{ schema_json: string; schema_id: string }>;
  subscribe(): SubscribeStream;
  close(): void;
}

/** Salesforce's error code (trailer) of a failed call, e.g. sfdc.platform.eventbus.grpc.service.auth.error. */
export function pubSubErrorCode(err: unknown): string | null {
  const md = (err as { metadata?: grpc.Metadata }).metadata;
  const v = md?.get?.(ERROR_CODE_KEY)?.[0];
  return v === undefined ? null : String(v);
}

export function grpcCode(err: unknown): grpc.status | null {
  const c = (err as { code?: unknown }).code;
  return typeof c === 'number' ? c : null;
}

export function createPubSubClient(opts: {
  endpoint: string;
  /** PEM to trust instead of the public CAs (the local org's self-signed certificate). */
  caPem?: string | null;
  session: () => PubSubSession;
  unaryTimeoutMs?: number;
}): PubSubClient {
  const callCreds = grpc.credentials.createFromMetadataGenerator((_params, cb) => {
    const s = opts.session();
    const md = new grpc.Metadata();
    md.set('accesstoken', s.accessToken);
    md.set('instanceurl', s.instanceUrl);
    md.set('tenantid', s.tenantId);
    cb(null, md);
  });
  const creds = grpc.credentials.combineChannelCredentials(
    grpc.credentials.createSsl(opts.caPem ? Buffer.from(opts.caPem) : null),
    callCreds,
  );
  const Client = pubSubService();
  const client = new Client(opts.endpoint, creds) as grpc.Client &
    Record<string, (...a: unknown[]) => unknown>;
  const unary = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + (opts.unaryTimeoutMs ?? 10_000);
      client[method](req, { deadline }, (err: grpc.ServiceError | null, res: T) =>
        err ? reject(err) : resolve(res),
      );
    });
  return {
    getTopic: (topic) => unary('GetTopic', { topic_name: topic }),
    getSchema: (schemaId) => unary('GetSchema', { schema_id: schemaId }),
    subscribe: () => client.Subscribe() as SubscribeStream,
    close: () => client.close(),
  };
}
