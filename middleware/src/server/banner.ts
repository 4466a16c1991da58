import path from 'node:path';
import type { Config } from '../config';
import { describeBudget, type BudgetStatus } from '../salesforce/budget';
import type { OrgConnection } from '../salesforce/connection';
import { VENDOR_SECRET_ENV } from '../secrets';
import { describeExposure, type Exposure } from './access';

/** What serve prints once it listens: where it is, which org and store, how Tasks are found, the URLs. */
export interface BannerInput {
  publicUrl: string;
  /** host:port as bound. */
  listen: string;
  exposure: Exposure;
  config: Config;
  /** The embedded local org (no Salesforce org configured). */
  local: boolean;
  org: Pick<OrgConnection, 'instanceUrl' | 'describe'>;
  metadataLine: string;
  budget: BudgetStatus;
  storeDescription: string;
  retentionDays: number;
  /** Task discovery by Change Data Capture (else polling). */
  cdc: boolean;
  pollIntervalMs: number;
  discoveryLine: string | null;
  channelsLine: string;
}

export function serveBanner(b: BannerInput): string[] {
  const { publicUrl, exposure, config, local, org, metadataLine, retentionDays, cdc, pollIntervalMs } = b;
  const { discoveryLine, channelsLine } = b;
  const summary = [
    `call-touchpoints serve — listening on ${publicUrl}`,
    ...describeExposure(exposure, config, b.listen, local),
    `org:   ${local ? `embedded local org ${org.instanceUrl} (no Salesforce org configured; data in ${path.join(config.dataDir, 'local-org')})` : org.describe()}`,
    `       ${metadataLine}`,
    `       API budget: ${describeBudget(b.budget)}`,
    `store: ${b.storeDescription}; ${retentionDays > 0 ? `events kept ${retentionDays} days (EVENT_RETENTION_DAYS)` : 'events kept forever (EVENT_RETENTION_DAYS=0)'}`,
    cdc
      ? `join:  Tasks written by others (vendor connectors) by Change Data Capture (/data/TaskChangeEvent);`
      : `join:  Tasks written by others: polling every ${Math.round(pollIntervalMs / 1000)} s (TASK_DISCOVERY=polling),`,
    cdc
      ? `       polling every ${Math.round(pollIntervalMs / 1000)} s only while CDC is unavailable (GET /healthz shows taskDiscovery)`
      : `       set TASK_DISCOVERY=cdc to be told about them at no API cost`,
    `       webhook calls: written with their join in batches (CALL_BATCH_WINDOW_MS ${config.callBatchWindowMs} ms, 2 org requests a batch); re-planned ~1 s after new page views of a visitor who called`,
    ...(discoveryLine ? [discoveryLine] : []),
    `       channels: ${channelsLine}`,
    '',
    `  demo site        ${publicUrl}/demo/${local ? '   (with the local-only "simulate a call" helper)' : ''}`,
    `  recent calls     ${publicUrl}/tasks${exposure.signInRequired ? '   (sign in at /login with ADMIN_TOKEN)' : ''}`,
    `  opportunities    ${publicUrl}/opportunities${exposure.signInRequired ? '   (signed in)' : ''}   (touchpoints, positions and revenue per Opportunity)`,
    `  report           ${publicUrl}/reports/calls-by-channel${exposure.signInRequired ? '   (signed in)' : ''}`,
    `  health           ${publicUrl}/healthz`,
    `  metrics          ${publicUrl}/metrics${exposure.metricsTokenRequired ? ' (bearer METRICS_TOKEN)' : ''}`,
    `  snippet          ${publicUrl}/t.js     events: POST ${publicUrl}/collect`,
    `  admin API        ${publicUrl}/api/visitors/:id/sessions ${config.adminToken ? '(bearer ADMIN_TOKEN)' : '(disabled: set ADMIN_TOKEN)'}`,
    `  webhooks         POST ${publicUrl}/webhooks/{callrail,calltrackingmetrics,invoca,dialogtech,generic}`,
  ];
  if (local)
    summary.push(
      '',
      `  CallRail webhooks are signed with ${config.vendorSecrets.callrailSigningKey ? VENDOR_SECRET_ENV.callrailSigningKey : `a per-process demo key (set ${VENDOR_SECRET_ENV.callrailSigningKey} to use your own)`}.`,
    );
  return summary;
}
