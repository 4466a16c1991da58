import fs from 'node:fs';
import type { BizibleIdSettings, SalesforceSettings } from '../config';
import type { Logger } from '../../log';
import type { KeyValueState } from '../../store/types';
import type { OrgConnection } from '../connection';
import { API_VERSION, isLocalUrl } from '../connection';
import { taskFields, type JoinWatch } from '../../join';
import { SALESFORCE_PUBSUB_ENDPOINT, createPubSubClient } from './pubsubClient';
import { OpportunityDiscovery } from './opportunityDiscovery';
import { TaskDiscovery } from './taskDiscovery';

/** Fields whose change makes the join re-plan a Task (its inputs; SystemModstamp and Id are not). */
export function joinInputFields(bizibleIdField: string): string[] {
  return taskFields(bizibleIdField).filter(
    (f) => f !== 'Id' && f !== 'SystemModstamp' && f !== 'CreatedDate',
  );
}

export function localOrgPubSubHint(instanceUrl: string): string {
  return (
    `Task discovery: polling for Tasks. ${instanceUrl} is a local org, whose Change Data Capture is not at ` +
    'api.pubsub.salesforce.com: to stream instead, set SF_PUBSUB_ENDPOINT and SF_PUBSUB_CA_FILE to the ' +
    'values `call-touchpoints local-org` printed.'
  );
}

/**
 * Wires the Task discovery for serve and `join --watch`: the Pub/Sub endpoint (the embedded local
 * org's, SF_PUBSUB_ENDPOINT, or Salesforce's), the session headers from the jsforce connection, and
 * the org id (the local org knows it; a real org's comes from the identity URL, one request).
 * When the join keeps Opportunity touchpoints, the Opportunity, OpportunityContactRole and Lead
 * channels are subscribed beside it (opportunityDiscovery.ts; its own Pub/Sub connection, stopped with
 * the Task discovery). Returns null with TASK_DISCOVERY=polling (then Opportunities are polled too).
 */
export async function startTaskDiscovery(opts: {
  config: BizibleIdSettings & Pick<SalesforceSettings, 'taskDiscovery'>;
  org: OrgConnection;
  store: KeyValueState;
  join: JoinWatch;
  pollIntervalMs: number;
  /** How long change events are collected into one join run (CALL_BATCH_WINDOW_MS in serve). */
  batchMs?: number;
  logger: Logger;
  /** The embedded local org's endpoint, certificate and org id. */
  local?: { endpoint: string; certPem: string; orgId: string } | null;
}): Promise<TaskDiscovery | null> {
  const settings = opts.config.taskDiscovery ?? { mode: 'cdc', pubsubEndpoint: null, pubsubCaFile: null };
  if (settings.mode === 'polling') return null;
  // A local org reached through SF_INSTANCE_URL or `--target-org` has no api.pubsub.salesforce.com:
  // its Pub/Sub endpoint is the one `call-touchpoints local-org` printed. Poll, and say how to stream.
  if (!opts.local && !settings.pubsubEndpoint && isLocalUrl(opts.org.instanceUrl)) {
    opts.logger.info(localOrgPubSubHint(opts.org.instanceUrl));
    return null;
  }
  const { conn } = opts.org;
  let tenantId = opts.local?.orgId ?? '';
  const caPem =
    opts.local?.certPem ?? (settings.pubsubCaFile ? fs.readFileSync(settings.pubsubCaFile, 'utf8') : null);
  const endpoint = opts.local?.endpoint ?? settings.pubsubEndpoint ?? SALESFORCE_PUBSUB_ENDPOINT;
  const refresh = async () => {
    // jsforce re-authenticates on INVALID_SESSION_ID and replays the request (connection.ts).
    await conn.request({ method: 'GET', url: `/services/data/v${API_VERSION}/limits` });
  };
  const client = () =>
    createPubSubClient({
      endpoint,
      caPem,
      session: () => ({ accessToken: conn.accessToken ?? '', instanceUrl: conn.instanceUrl, tenantId }),
    });
  const discovery = new TaskDiscovery({
    client: client(),
    store: opts.store,
    join: opts.join,
    joinInputFields: joinInputFields(opts.config.bizibleIdField),
    taskFields: taskFields(opts.config.bizibleIdField),
    batchMs: opts.batchMs,
    refreshSession: refresh,
    pollIntervalMs: opts.pollIntervalMs,
    logger: opts.logger,
  });
  if (!tenantId) {
    try {
      tenantId = (await conn.identity()).organization_id;
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'could not read the org id for the Pub/Sub API');
    }
  }
  discovery.start();
  if (opts.join.keepsOpportunities) {
    discovery.opportunities = new OpportunityDiscovery({
      client: client(),
      store: opts.store,
      join: opts.join,
      refreshSession: refresh,
      batchMs: opts.batchMs,
      logger: opts.logger.child({ area: 'opportunity-discovery' }),
    });
    discovery.opportunities.start();
  }
  return discovery;
}
