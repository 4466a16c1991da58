import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { connect, type OrgConnection } from '../../src/salesforce/connection';
import { Gateway, type GatewayOptions } from '../../src/salesforce/gateway';
import { createPubSubClient, type PubSubClient } from '../../src/salesforce/cdc/pubsubClient';
import type { TrackedEvent } from '../../src/domain/types';
import { createStore, type Store } from '../../src/store';
import { trackedEvents } from './fixtures';

/** The port (salesforce/port.ts) to an org reached with a bare access token, as serve builds it. */
export async function portTo(instanceUrl: string, accessToken: string): Promise<Gateway> {
  return new Gateway(
    await connect(loadConfig({ SF_INSTANCE_URL: instanceUrl, SF_ACCESS_TOKEN: accessToken })),
  );
}

/** A local org on a free port and a jsforce connection to it through SF_INSTANCE_URL/SF_ACCESS_TOKEN. */
export async function localOrgSession(opts: { preload?: boolean; retry?: GatewayOptions } = {}): Promise<{
  org: LocalOrg;
  config: Config;
  conn: OrgConnection;
  gateway: Gateway;
}> {
  const org = await startLocalOrg({ port: 0, dataDir: null, preload: opts.preload ?? false });
  const config = loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken });
  const conn = await connect(config);
  // Fast backoff keeps fault-injection tests short; the policy is the same.
  const gateway = new Gateway(conn, opts.retry ?? { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 8 });
  return { org, config, conn, gateway };
}

export type JoinSession = Awaited<ReturnType<typeof localOrgSession>> & {
  store: Store;
  /** Closes the store and the org and removes the store's temp folder. */
  close(): Promise<void>;
};

/** A SQLite store in a temp folder holding `events`; close() closes it and removes the folder. */
export async function tempStore(
  tempPrefix: string,
  events: readonly TrackedEvent[],
): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  const store = await createStore({ dataDir: dir });
  if (events.length) await store.appendEvents([...events]);
  return {
    store,
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The join tests' setup: a local org with the data model deployed (its config, connection and
 * gateway) and a SQLite store (temp folder) holding `events` (default: the fixture events).
 * `retry`: the gateway's backoff (default fast, for fault-injection tests).
 */
export async function joinSession(
  tempPrefix: string,
  opts: { events?: readonly TrackedEvent[]; retry?: GatewayOptions } = {},
): Promise<JoinSession> {
  const session = await localOrgSession({ preload: true, retry: opts.retry });
  const temp = await tempStore(tempPrefix, opts.events ?? trackedEvents());
  return {
    ...session,
    store: temp.store,
    async close() {
      await temp.close();
      await session.org.close();
    },
  };
}

/** Selects Task for Change Data Capture, as `deploy` does (PlatformEventChannelMember on ChangeEvents). */
export async function selectTaskForCdc(conn: Connection): Promise<void> {
  await conn.metadata.upsert('PlatformEventChannelMember', {
    fullName: 'ChangeEvents_TaskChangeEvent',
    eventChannel: 'ChangeEvents',
    selectedEntity: 'TaskChangeEvent',
  } as never);
}

/**
 * Selects more entities for Change Data Capture, as an admin does in Setup (PlatformEventChannelMember
 * on ChangeEvents, one per entity; the org allows 5 selections).
 */
export async function selectForCdc(conn: Connection, entities: readonly string[]): Promise<void> {
  for (const e of entities)
    await conn.metadata.upsert('PlatformEventChannelMember', {
      fullName: `ChangeEvents_${e}ChangeEvent`,
      eventChannel: 'ChangeEvents',
      selectedEntity: `${e}ChangeEvent`,
    } as never);
}

/** The connected app a local org started with these options accepts password logins for. */
export const LOCAL_CLIENT = { clientId: 'ct-test-client', clientSecret: 'ct-test-secret' };

/**
 * A second user of the org, as an admin would create the integration user: no permission set, so no
 * View All Data (packages/local-org/src/permissions.ts). Logs in with the password flow through
 * LOCAL_CLIENT (the org must have been started with it) and returns its session.
 */
export async function integrationUser(
  org: LocalOrg,
  admin: Connection,
): Promise<{ userId: string; accessToken: string }> {
  const username = `integration.${Date.now()}@example.com`;
  const created = (await admin.sobject('User').create({
    Username: username,
    LastName: 'Integration',
    Email: 'integration@example.com',
  } as never)) as unknown as { id: string };
  const res = await fetch(`${org.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: LOCAL_CLIENT.clientId,
      client_secret: LOCAL_CLIENT.clientSecret,
      username,
      password: 'pw',
    }),
  });
  const token = (await res.json()) as { access_token: string };
  return { userId: created.id, accessToken: token.access_token };
}

/** Deploys a permission set granting View All Data and assigns it, as an admin does knowingly. */
export async function grantViewAllData(admin: Connection, userId: string, name: string): Promise<void> {
  await admin.metadata.upsert('PermissionSet', {
    fullName: name,
    label: name.replace(/_/g, ' '),
    userPermissions: [{ enabled: true, name: 'ViewAllData' }],
  } as never);
  const ps = await admin.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = '${name}'`);
  await admin.sobject('PermissionSetAssignment').create({
    AssigneeId: userId,
    PermissionSetId: ps.records[0].Id,
  } as never);
}

/** The local org's own count of API requests by class (GET /_local/requests, itself not counted). */
export async function orgRequestsByKind(org: {
  instanceUrl: string;
  accessToken: string;
}): Promise<Record<string, number>> {
  const res = await fetch(`${org.instanceUrl}/_local/requests`, {
    headers: { authorization: `Bearer ${org.accessToken}` },
  });
  return ((await res.json()) as { byKind: Record<string, number> }).byKind;
}

/** Requests of each class sent between two `orgRequestsByKind` readings (classes with none left out). */
export function requestsBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
}

/** A Pub/Sub API client to the local org as its admin user, over real gRPC + TLS (the org's own CA). */
export function orgPubSubClient(org: LocalOrg): PubSubClient {
  return createPubSubClient({
    endpoint: org.pubsubEndpoint!,
    caPem: org.pubsubCertPem,
    session: () => ({ accessToken: org.accessToken, instanceUrl: org.instanceUrl, tenantId: org.orgId }),
  });
}

/** serve's settings for the local org `org` with its Change Data Capture (Pub/Sub API) and data in `dataDir`. */
export function localOrgCdcEnv(org: LocalOrg, dataDir: string): Record<string, string> {
  return {
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
    PORT: '0',
    SF_INSTANCE_URL: org.instanceUrl,
    SF_ACCESS_TOKEN: org.accessToken,
    SF_PUBSUB_ENDPOINT: org.pubsubEndpoint!,
    SF_PUBSUB_CA_FILE: org.pubsubCertFile!,
  };
}
