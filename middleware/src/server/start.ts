import crypto from 'node:crypto';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { describeChannelRules, loadChannelRules } from '../channel-sheet-file';
import type { Config } from '../config';
import type { ChannelRules } from '../domain/channels';
import { createLogger, type Logger } from '../log';
import type { LocalOrg } from '@call-touchpoints/local-org';
import { hasOrgConfig, type OrgConnection } from '../salesforce/connection';
import { describeTally } from '../salesforce/port';
import { checkJoinMemory, JOIN_LOCK, startJoinWatch, type JoinWatch } from '../join';
import { formatDiscovery, type TaskDiscovery } from '../salesforce/cdc/taskDiscovery';
import { startTaskDiscovery } from '../salesforce/cdc/startTaskDiscovery';
import { createStore } from '../store';
import { joinReplanner, type ErasureDeps } from '../erasure';
import { privacySalt, SuppressionList } from '../tracking/suppression';
import { resumeInBackground } from './erasure-api';
import { clearPageCaches } from '../web/ttl-cache';
import { startRetention } from '../store/retention';
import type { Store } from '../store/types';
import { startCallPipeline, type CallPipeline } from '../calls/pipeline';
import { exposureOf, type Exposure } from './access';
import { serveBanner } from './banner';
import { checkMetadata } from './metadata-check';
import { openOrg } from './runtime';
import type { Gateway } from '../salesforce/gateway';
import { createApp } from './app';
import { listenEarly } from './listen-early';
import { shutdownSteps, StartAbortedError, type ShutdownSteps } from './shutdown-steps';

/**
 * `call-touchpoints serve`: one process with tracking, webhooks + calls pipeline, the join in watch
 * mode, the admin API and the pages. With no org configured (no SF_* variables, no --target-org) it
 * embeds the local org on its own free port, with data under <dataDir>/local-org, and deploys the
 * metadata into it on every start (idempotent: a second start writes nothing).
 */
export interface StartOptions {
  /** sf CLI alias of the org to use instead of the environment (--target-org). */
  targetOrg?: string;
  /** Port override (0 = any free port); defaults to config.port. */
  port?: number;
  /** Interface to listen on (serve --host); defaults to config.host (HOST, else 127.0.0.1). */
  host?: string;
  /** How often the join polls for Tasks while Change Data Capture is unavailable (default 60 s). */
  joinIntervalMs?: number;
  /**
   * Last-resort bound on how long close() waits for the join and the calls pipeline, each
   * (default 10 s). Both stop within one in-flight request; this only matters if that request hangs.
   */
  shutdownWaitMs?: number;
  logger?: Logger;
  /** Channel sheet CSV (serve --channels); overrides CHANNEL_RULES_FILE. */
  channels?: string;
  /** Already-parsed rules (tests); overrides both files. */
  rules?: ChannelRules;
  /** Ctrl-C during start-up: stop at the next step, undo what started, reject with StartAbortedError. */
  signal?: AbortSignal;
  /** serve --adopt: a store that never joined takes the org's joined Tasks as they are (join/adopt.ts). */
  adopt?: boolean;
}

export { StartAbortedError };

export interface ServerHandle {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  org: OrgConnection;
  orgMode: 'local' | 'remote';
  /** The embedded local org (null with a real org); tests inject faults through it. */
  localOrg: LocalOrg | null;
  store: Store;
  join: JoinWatch;
  /** Change Data Capture subscription (null with TASK_DISCOVERY=polling). */
  taskDiscovery: TaskDiscovery | null;
  /** Per-process CallRail signing key of the local demo (null with a real org). */
  demoCallRailKey: string | null;
  /** Start-up lines for the terminal (no secrets). */
  summary: string[];
  /** Stop accepting, finish the in-flight join, stop the calls pipeline, close store and local org. */
  close(): Promise<void>;
  /** The shutdown step running now ("join", "store", …), null before close() (cli/bounded-stop.ts). */
  stopStep(): string | null;
}

/**
 * Polling for Tasks is the fallback when Change Data Capture is unavailable: once a minute costs
 * 1,440 queries a day, against 17,280 at the 5 s it used to be (docs/salesforce.md).
 */
export const DEFAULT_JOIN_INTERVAL_MS = 60_000;
/**
 * Safety net only: join.stop() and worker.stop() cancel their retries and backoff waits and return
 * once the request in flight is answered. This bounds the wait for a request that never is (an org
 * that accepts the connection and then goes silent).
 */
export const SHUTDOWN_WAIT_MS = 10_000;

function withDeadline(work: Promise<void>, ms: number, onLate: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onLate();
      resolve();
    }, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<ServerHandle> {
  const logger = opts.logger ?? createLogger();
  const { rules, channelsLine } = channelRulesOf(config, opts);
  // Each started part registers its undo, then the signal is checked: a stop between steps undoes
  // exactly what started.
  const steps = shutdownSteps(logger, opts.signal);
  const { onClose, checkpoint } = steps;

  try {
    // The port first: a busy PORT is said at once, before seconds of start-up (listen-early.ts).
    const host = opts.host ?? config.host;
    const listener = await listenEarly(opts.port ?? config.port, host);
    let handedOver = false;
    onClose('port', () => (handedOver ? Promise.resolve() : closeServer(listener.server)));

    const store = await openStore(config, logger, onClose);

    // The org: a configured one, or the embedded local org.
    const local = !hasOrgConfig(config, opts.targetOrg);
    const { localOrg, effective, demoCallRailKey } = local
      ? await startEmbeddedOrg(config, onClose)
      : { localOrg: null, effective: config, demoCallRailKey: null };
    // The one door to the org (salesforce/port.ts): every part below takes its purpose view.
    const { org, gateway } = await openOrg(effective, { targetOrg: opts.targetOrg, logger });
    checkpoint();
    // Runs late in shutdown (steps run in reverse): what this process spent in the org, by purpose.
    onClose('org request count', async () =>
      logger.info(
        { requests: gateway.tally() },
        `org requests since start: ${describeTally(gateway.tally())}`,
      ),
    );
    const metadataLine = await checkMetadata(gateway.for('deploy'), store, {
      local,
      bizibleIdField: config.bizibleIdField,
    });
    checkpoint();

    const pollIntervalMs = opts.joinIntervalMs ?? DEFAULT_JOIN_INTERVAL_MS;
    const shutdownWaitMs = opts.shutdownWaitMs ?? SHUTDOWN_WAIT_MS;
    const parts: PartDeps = { gateway, store, rules, config, logger, shutdownWaitMs, onClose };
    // Never rewrite the org from an empty memory (join/adopt.ts): refuses, or adopts with --adopt.
    await guardJoinMemory(parts, opts.adopt);
    checkpoint();
    // A first start's memory check is a REST query with the org's usage header: /limits only without it.
    await learnOrgLimit(gateway);
    checkpoint();
    const join = startJoin({ ...parts, pollIntervalMs });

    const { taskDiscovery, discoveryLine } = await startDiscovery({
      ...parts,
      org,
      join,
      pollIntervalMs,
      localOrg,
    });

    const worker = startCalls({ ...parts, join, taskDiscovery });

    const privacy = await startPrivacy(parts);
    const serving: Serving = {
      ...parts,
      effective,
      org,
      local,
      localOrg,
      exposure: exposureOf(config, local, host),
      demoCallRailKey,
      worker,
      privacy,
      join,
      taskDiscovery,
      pollIntervalMs,
    };
    let baseUrl = '';
    const app = createServeApp(serving, () => baseUrl);

    listener.serve(app);
    handedOver = true;
    const server = listener.server;
    const urls = urlsOf(host, listener.port);
    baseUrl = urls.baseUrl;
    // First step of shutdown: stop accepting, let in-flight requests finish (bounded).
    onClose('http', () => closeServer(server));

    const summary = bannerOf(serving, urls, { metadataLine, discoveryLine, channelsLine });
    return serverHandle(serving, steps, { url: baseUrl, port: urls.port, summary });
  } catch (err) {
    await steps.cleanup();
    throw err;
  }
}

type OnClose = ShutdownSteps['onClose'];

/** R12: one sheet for everything that classifies (join watch, admin API); a bad sheet stops start-up. */
function channelRulesOf(config: Config, opts: StartOptions): { rules: ChannelRules; channelsLine: string } {
  const channelsFile = opts.channels ?? config.channelRulesFile;
  const rules =
    opts.rules ?? loadChannelRules(channelsFile, opts.channels ? '--channels' : 'CHANNEL_RULES_FILE');
  const channelsLine = opts.rules ? 'rules given by the caller' : describeChannelRules(channelsFile, rules);
  return { rules, channelsLine };
}

/** What serve started, as the app, the banner and the handle take it. */
interface Serving extends PartDeps {
  /** The configuration pointing at the org in use (the embedded local org's URL and token). */
  effective: Config;
  org: OrgConnection;
  local: boolean;
  localOrg: LocalOrg | null;
  exposure: Exposure;
  demoCallRailKey: string | null;
  worker: CallPipeline;
  privacy: Awaited<ReturnType<typeof startPrivacy>>;
  join: JoinWatch;
  taskDiscovery: TaskDiscovery | null;
  pollIntervalMs: number;
}

/** The express app over the started parts; `baseUrl` is known once the server listens. */
function createServeApp(s: Serving, baseUrl: () => string): Express {
  const { org, demoCallRailKey, join, taskDiscovery, pollIntervalMs } = s;
  return createApp({
    exposure: s.exposure,
    config: s.effective,
    store: s.store,
    logger: s.logger,
    rules: s.rules,
    salesforce: s.gateway,
    recordUrl: s.local ? () => null : (id) => `${org.instanceUrl}/${encodeURIComponent(id)}`,
    simulateCall: demoCallRailKey
      ? { callrailSigningKey: demoCallRailKey, webhookUrl: () => `${baseUrl()}/webhooks/callrail` }
      : null,
    calls: s.worker,
    privacy: s.privacy,
    // Page views after a call was joined re-plan that visitor (R11); debounced, and free for
    // visitors without calls.
    onEventsAppended: (visitorIds) => join.visitorsChanged(visitorIds),
    taskDiscovery: () =>
      taskDiscovery
        ? formatDiscovery(taskDiscovery.status())
        : `polling (TASK_DISCOVERY=polling, every ${Math.round(pollIntervalMs / 1000)} s)`,
  });
}

/** The start-up lines for the terminal (server/banner.ts). */
function bannerOf(
  s: Serving,
  urls: ReturnType<typeof urlsOf>,
  lines: { metadataLine: string; discoveryLine: string | null; channelsLine: string },
): string[] {
  return serveBanner({
    publicUrl: urls.publicUrl,
    listen: urls.listen,
    exposure: s.exposure,
    config: s.config,
    local: s.local,
    org: s.org,
    metadataLine: lines.metadataLine,
    budget: s.gateway.budget(),
    storeDescription: s.store.description,
    retentionDays: s.config.storage.eventRetentionDays,
    cdc: !!s.taskDiscovery,
    pollIntervalMs: s.pollIntervalMs,
    discoveryLine: lines.discoveryLine,
    channelsLine: lines.channelsLine,
  });
}

/** The running server's handle; close() runs the shutdown steps once, however often it is called. */
function serverHandle(
  s: Serving,
  steps: ReturnType<typeof shutdownSteps>,
  at: { url: string; port: number; summary: string[] },
): ServerHandle {
  let closing: Promise<void> | null = null;
  return {
    url: at.url,
    port: at.port,
    org: s.org,
    orgMode: s.local ? 'local' : 'remote',
    localOrg: s.localOrg,
    store: s.store,
    join: s.join,
    taskDiscovery: s.taskDiscovery,
    demoCallRailKey: s.demoCallRailKey,
    summary: at.summary,
    close: () => (closing ??= steps.cleanup()),
    stopStep: steps.stepNow,
  };
}

/**
 * The suppression list (reloaded every few seconds) and the erasure's dependencies (issue 23); an
 * erasure a crash stopped is finished in the background.
 */
async function startPrivacy(deps: PartDeps): Promise<{ suppression: SuppressionList; erasure: ErasureDeps }> {
  const salt = await privacySalt(deps.store, deps.config.privacySalt);
  const suppression = await new SuppressionList(deps.store, salt, deps.logger).start();
  deps.onClose('suppression list', async () => suppression.stop());
  const erasure: ErasureDeps = {
    store: deps.store,
    gw: deps.gateway.for('erase'),
    salt,
    suppression,
    bizibleIdField: deps.config.bizibleIdField,
    // Counted as 'erase' too: the re-plan is part of the erasure's cost (docs/privacy.md).
    replanOpportunities: joinReplanner({
      gateway: deps.gateway.for('erase'),
      store: deps.store,
      rules: deps.rules,
      bizibleIdField: deps.config.bizibleIdField,
      privacySalt: salt,
      logger: deps.logger.child({ area: 'join' }),
      opportunities: { mapping: deps.config.opportunityMapping },
    }),
    // The pages' in-memory caches of org reads (web/ttl-cache.ts) go at once when an erasure is done.
    onDone: () => clearPageCaches(),
  };
  resumeInBackground(erasure, deps.logger.child({ area: 'erasure' }));
  return { suppression, erasure };
}

/** The store, and its retention job when EVENT_RETENTION_DAYS is set. */
async function openStore(config: Config, logger: Logger, onClose: OnClose): Promise<Store> {
  const store = await createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    sqliteMaxBytes: config.storage.sqliteMaxBytes,
  });
  onClose('store', () => store.close());
  const retentionDays = config.storage.eventRetentionDays;
  if (retentionDays > 0) {
    const retention = startRetention({
      store,
      days: retentionDays,
      lock: JOIN_LOCK,
      logger: logger.child({ area: 'retention' }),
    });
    onClose('retention', () => retention.stop());
  }
  return store;
}

/**
 * Deploy speaks SOAP, which carries no usage header: one REST request learns the org's daily
 * limit for the budget's cap (and the banner). A failure here is /healthz's to report.
 */
async function learnOrgLimit(gateway: Gateway): Promise<void> {
  if (gateway.budget().org === null)
    await gateway
      .for('health', { maxAttempts: 1 })
      .limits()
      .catch(() => undefined);
}

/** Change Data Capture for Tasks (null with TASK_DISCOVERY=polling) and the banner's line about it. */
async function startDiscovery(
  deps: PartDeps & { org: OrgConnection; join: JoinWatch; pollIntervalMs: number; localOrg: LocalOrg | null },
): Promise<{ taskDiscovery: TaskDiscovery | null; discoveryLine: string | null }> {
  const { localOrg } = deps;
  const taskDiscovery = await startTaskDiscovery({
    config: deps.config,
    org: deps.org,
    store: deps.store,
    join: deps.join,
    pollIntervalMs: deps.pollIntervalMs,
    batchMs: deps.config.callBatchWindowMs,
    logger: deps.logger.child({ area: 'task-discovery' }),
    local: localOrg?.pubsubEndpoint
      ? { endpoint: localOrg.pubsubEndpoint, certPem: localOrg.pubsubCertPem!, orgId: localOrg.orgId }
      : null,
  });
  if (!taskDiscovery) return { taskDiscovery, discoveryLine: null };
  deps.onClose('task discovery', () => taskDiscovery.stop());
  // The banner says how Tasks are found; the first subscription attempt decides (≤ 5 s).
  return {
    taskDiscovery,
    discoveryLine: `       task discovery: ${formatDiscovery(await taskDiscovery.settled())}`,
  };
}

/** No org configured: the local org on its own free port, and the configuration pointing at it. */
async function startEmbeddedOrg(
  config: Config,
  onClose: OnClose,
): Promise<{ localOrg: LocalOrg; effective: Config; demoCallRailKey: string }> {
  // Loaded only here: a process with a real org configured never loads the stand-in.
  const { startLocalOrg } = await import('@call-touchpoints/local-org');
  const localOrg = await startLocalOrg({
    port: 0,
    dataDir: path.join(config.dataDir, 'local-org'),
    preload: false,
  });
  onClose('local org', () => localOrg.close());
  const demoCallRailKey =
    config.vendorSecrets.callrailSigningKey ?? crypto.randomBytes(24).toString('base64url');
  const effective = {
    ...config,
    salesforce: {
      ...config.salesforce,
      instanceUrl: localOrg.instanceUrl,
      accessToken: localOrg.accessToken,
    },
    vendorSecrets: { ...config.vendorSecrets, callrailSigningKey: demoCallRailKey },
  };
  return { localOrg, effective, demoCallRailKey };
}

interface PartDeps {
  gateway: Gateway;
  store: Store;
  rules: ChannelRules;
  config: Config;
  logger: Logger;
  shutdownWaitMs: number;
  onClose: OnClose;
}

/** Refuses (throws) a store that never joined against an org with joined Tasks, unless `adopt`. */
async function guardJoinMemory(deps: PartDeps, adopt: boolean | undefined): Promise<void> {
  const memory = await checkJoinMemory(
    { gateway: deps.gateway.for('join'), store: deps.store, bizibleIdField: deps.config.bizibleIdField },
    { adopt },
  );
  if (memory.line) deps.logger.warn(memory.line);
}

/** The join in watch mode, polling every `pollIntervalMs` until Change Data Capture says otherwise. */
function startJoin(deps: PartDeps & { pollIntervalMs: number }): JoinWatch {
  const { logger } = deps;
  const join = startJoinWatch(
    {
      gateway: deps.gateway.for('join'),
      store: deps.store,
      rules: deps.rules,
      bizibleIdField: deps.config.bizibleIdField,
      privacySalt: deps.config.privacySalt,
      logger: logger.child({ area: 'join' }),
      opportunities: { mapping: deps.config.opportunityMapping },
    },
    {
      intervalMs: deps.pollIntervalMs,
      opportunityIntervalMs: deps.config.opportunityPollSeconds * 1000,
      onError: (err) =>
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'join run failed; retrying on the next tick',
        ),
    },
  );
  deps.onClose('join', () =>
    // stop() cancels the run's retries: what it did not write stays out of the ledger and behind
    // the watermark, so the next start redoes it (R11). The deadline only guards a hung request.
    withDeadline(join.stop(), deps.shutdownWaitMs, () =>
      logger.warn('the running join did not finish in time; stopping without it (the next start redoes it)'),
    ),
  );
  return join;
}

/** The calls pipeline: webhook calls from the outbox into Tasks, joined at once. */
function startCalls(deps: PartDeps & { join: JoinWatch; taskDiscovery: TaskDiscovery | null }): CallPipeline {
  const { config, logger, taskDiscovery } = deps;
  const worker = startCallPipeline({
    store: deps.store,
    salesforce: deps.gateway,
    logger,
    bizibleIdField: config.bizibleIdField,
    ownerId: config.vendors.callTaskOwnerId,
    unknownCaller: config.unknownCaller,
    privacySalt: config.privacySalt,
    rules: deps.rules,
    windowMs: config.callBatchWindowMs,
    join: deps.join,
    // The pipeline joins its calls itself: their change events need no run of their own.
    onTaskWritten: (taskId) => taskDiscovery?.ownWrite(taskId),
  });
  deps.onClose('calls pipeline', () =>
    // stop() starts no new request; a call not fully written stays in the outbox. Same safety net.
    withDeadline(worker.stop(), deps.shutdownWaitMs, () =>
      logger.warn(
        'the calls pipeline did not stop in time; its current call stays in the outbox for the next start',
      ),
    ),
  );
  return worker;
}

/** Where the server answers: `baseUrl` for this process's own requests, `publicUrl` for people. */
function urlsOf(host: string, port: number) {
  const anyInterface = host === '0.0.0.0' || host === '::';
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const shownHost = anyInterface ? 'localhost' : bracketed;
  return {
    port,
    listen: `${bracketed}:${port}`,
    baseUrl: `http://${anyInterface ? '127.0.0.1' : bracketed}:${port}`,
    publicUrl: `http://${shownHost}:${port}`,
  };
}

/** Stops accepting connections, waits up to 5 s for open requests, then drops idle keep-alives. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
