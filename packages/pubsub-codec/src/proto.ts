import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Salesforce's published Pub/Sub API service definition (pubsub_api.proto, shipped with the
 * salesforce-pubsub-api-client package), loaded once for the local org's server and our client.
 * https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html
 */
let loaded: grpc.GrpcObject | null = null;

function protoFile(): string {
  // The package's exports hide package.json; its main entry sits in dist/, next to the root proto.
  return path.join(path.dirname(require.resolve('salesforce-pubsub-api-client')), '..', 'pubsub_api.proto');
}

/** keepCase: field names as in the proto (replay_preset, num_requested …), bytes as Buffers. */
export function pubSubPackage(): grpc.GrpcObject {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(protoFile(), { keepCase: true, longs: String, enums: String, defaults: true }),
  );
  return (loaded.eventbus as grpc.GrpcObject).v1 as grpc.GrpcObject;
}

export function pubSubService(): grpc.ServiceClientConstructor {
  return pubSubPackage().PubSub as grpc.ServiceClientConstructor;
}

/** The trailer key Salesforce puts its own error code under (Handle Errors, "Error Codes"). */
export const ERROR_CODE_KEY = 'error-code';

/**
 * Error codes from https://developer.salesforce.com/docs/platform/pub-sub-api/guide/handling-errors.html
 * (General, Topic and Schema, Subscribe and Publish errors).
 */
export const PUBSUB_ERRORS = {
  /** Authentication failed: the token, instance URL or org is not accepted. */
  auth: 'sfdc.platform.eventbus.grpc.service.auth.error',
  /** An auth header (accesstoken, instanceurl, tenantid) is blank or not of its form. */
  authHeadersInvalid: 'sfdc.platform.eventbus.grpc.service.auth.headers.invalid',
  replayCorrupted: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  replayValidation: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed',
  requestedEventsInvalid: 'sfdc.platform.eventbus.grpc.subscription.fetch.requested.events.invalid',
  /** A later FetchRequest of a stream names another topic than the first. */
  fetchTopicMismatch: 'sfdc.platform.eventbus.grpc.subscription.fetch.topic.mismatch',
  /** The user may not subscribe to the topic (CDC: View All Data for Task). */
  cannotSubscribe: 'sfdc.platform.eventbus.grpc.subscription.topic.cannot.subscribe',
  topicNotFound: 'sfdc.platform.eventbus.grpc.topic.not.found',
  topicEmpty: 'sfdc.platform.eventbus.grpc.topic.validation.empty',
  /** Topic metadata access error (the user may not use the topic this way). */
  topicPermission: 'sfdc.platform.eventbus.grpc.topic.meta.permission',
  /** Schema access error: no schema with that id for this user. */
  schemaPermission: 'sfdc.platform.eventbus.grpc.schema.meta.permission',
  schemaEmpty: 'sfdc.platform.eventbus.grpc.schema.validation.failed',
  publishTopicEmpty: 'sfdc.platform.eventbus.grpc.publish.topic.validation.empty',
  publishEventCountInvalid: 'sfdc.platform.eventbus.grpc.publish.event.count.invalid',
  publishTopicMismatch: 'sfdc.platform.eventbus.grpc.publish.topic.mismatch',
} as const;

/** Replay ids are opaque 8-byte values on the wire; we only ever compare our own. */
export function encodeReplayId(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

export function decodeReplayId(b: Buffer | Uint8Array | null | undefined): bigint | null {
  if (!b || b.length !== 8) return null;
  return Buffer.from(b).readBigUInt64BE();
}

/** The change event channel of an entity, e.g. /data/TaskChangeEvent. */
export const TASK_CHANGE_TOPIC = '/data/TaskChangeEvent';
