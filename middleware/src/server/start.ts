import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { describeChannelRules, loadChannelRules } from '../channel-sheet-file';
import type { Config } from '../config';
import type { ChannelRules } from '../domain/channels';
import { createLogger, type Logger } from '../log';
import type { LocalOrg } from '@call-touchpoints/local-org';
import { hasOrgConfig, type OrgConnection } from '../salesforce/connection';
import { deploy } from '../salesforce/deploy';
import { describeTally } from '../salesforce/port';
import { checkJoinMemory, JOIN_LOCK, startJoinWatch, type JoinWatch } from '../join';
import { formatDiscovery, type TaskDiscovery } from '../salesforce/cdc/taskDiscovery';
import { startTaskDiscovery } from '../salesforce/cdc/startTaskDiscovery';
import { createStore } from '../store';
import { startRetention } from '../store/retention';
import type { Store } from '../store/types';
import { startCallPipeline } from '../calls/pipeline';
import { exposureOf } from './access';
import { serveBanner } from './banner';
import { openOrg } from './runtime';
import { createApp } from './app';

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

export class StartAbortedError extends Error {
  constructor() {
    super('start-up stopped by a signal');
  }
}

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
  // R12: one sheet for everything that classifies (join watch, admin API); a bad sheet stops start-up.
  const channelsFile = opts.channels ?? config.channelRulesFile;
  const rules =
    opts.rules ?? loadChannelRules(channelsFile, opts.channels ? '--channels' : 'CHANNEL_RULES_FILE');
  const channelsLine = opts.rules ? 'rules given by the caller' : describeChannelRules(channelsFile, rules);
  const cleanups: { step: string; run: () => Promise<void> }[] = [];
  // Each started part registers its undo, then the signal is checked: a stop between steps undoes
  // exactly what started.
  const onClose = (step: string, run: () => Promise<void>) => {
    cleanups.push({ step, run });
    checkpoint();
  };
  const checkpoint = () => {
    if (opts.signal?.aborted) throw new StartAbortedError();
  };
  // Shutdown runs the steps in reverse start order: stop accepting, calls pipeline, join, org, store.
  let stepNow: string | null = null;
  const cleanup = async () => {
    for (const { step, run } of cleanups.reverse()) {
      stepNow = step;
      const started = Date.now();
      await run().catch((err: unknown) => logger.error({ step, err: String(err) }, 'shutdown step failed'));
      logger.info({ step, ms: Date.now() - started }, 'shutdown step done');
    }
    cleanups.length = 0;
  };

  try {
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

    // The org: a configured one, or the embedded local org.
    const local = !hasOrgConfig(config, opts.targetOrg);
    let effective = config;
    let demoCallRailKey: string | null = null;
    let localOrg: LocalOrg | null = null;
    if (local) {
      // Loaded only here: a process with a real org configured never loads the stand-in.
      const { startLocalOrg } = await import('@call-touchpoints/local-org');
      localOrg = await startLocalOrg({
        port: 0,
        dataDir: path.join(config.dataDir, 'local-org'),
        preload: false,
      });
      const started = localOrg;
      onClose('local org', () => started.close());
      demoCallRailKey =
        config.vendorSecrets.callrailSigningKey ?? crypto.randomBytes(24).toString('base64url');
      effective = {
        ...config,
        salesforce: {
          ...config.salesforce,
          instanceUrl: localOrg.instanceUrl,
          accessToken: localOrg.accessToken,
        },
        vendorSecrets: { ...config.vendorSecrets, callrailSigningKey: demoCallRailKey },
      };
    }
    // The one door to the org (salesforce/port.ts): every part below takes its purpose view.
    const { org, gateway } = await openOrg(effective, { targetOrg: opts.targetOrg, logger });
    checkpoint();
    const deployPort = gateway.for('deploy');
    // Runs late in shutdown (steps run in reverse): what this process spent in the org, by purpose.
    onClose('org request count', async () =>
      logger.info(
        { requests: gateway.tally() },
        `org requests since start: ${describeTally(gateway.tally())}`,
      ),
    );

    let metadataLine: string;
    if (local) {
      const result = await deploy(deployPort, { bizibleIdField: config.bizibleIdField });
      checkpoint();
      metadataLine = result.upToDate
        ? 'metadata: up to date'
        : `metadata: deployed (${result.components.filter((c) => c.status === 'created' || c.status === 'updated').length} components)`;
    } else {
      const result = await deploy(deployPort, { check: true, bizibleIdField: config.bizibleIdField });
      checkpoint();
      const missing = result.components.filter((c) => c.status === 'missing' || c.status === 'different');
      metadataLine = missing.length
        ? `metadata: ${missing.length} component(s) missing or different — run \`call-touchpoints deploy\``
        : 'metadata: up to date';
    }

    // Deploy speaks SOAP, which carries no usage header: one REST request learns the org's daily
    // limit for the budget's cap (and the banner). A failure here is /healthz's to report.
    if (gateway.budget().org === null)
      await gateway
        .for('health', { maxAttempts: 1 })
        .limits()
        .catch(() => undefined);
    checkpoint();

    // Never rewrite the org from an empty memory (join/adopt.ts): refuses, or adopts with --adopt.
    const memory = await checkJoinMemory(
      { gateway: gateway.for('join'), store, bizibleIdField: config.bizibleIdField },
      { adopt: opts.adopt },
    );
    if (memory.line) logger.warn(memory.line);
    checkpoint();

    const join = startJoinWatch(
      {
        gateway: gateway.for('join'),
        store,
        rules,
        bizibleIdField: config.bizibleIdField,
        logger: logger.child({ area: 'join' }),
      },
      {
        intervalMs: opts.joinIntervalMs ?? DEFAULT_JOIN_INTERVAL_MS,
        onError: (err) =>
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'join run failed; retrying on the next tick',
          ),
      },
    );
    onClose('join', () =>
      // stop() cancels the run's retries: what it did not write stays out of the ledger and behind
      // the watermark, so the next start redoes it (R11). The deadline only guards a hung request.
      withDeadline(join.stop(), opts.shutdownWaitMs ?? SHUTDOWN_WAIT_MS, () =>
        logger.warn(
          'the running join did not finish in time; stopping without it (the next start redoes it)',
        ),
      ),
    );

    const pollIntervalMs = opts.joinIntervalMs ?? DEFAULT_JOIN_INTERVAL_MS;
    const taskDiscovery = await startTaskDiscovery({
      config,
      org,
      store,
      join,
      pollIntervalMs,
      logger: logger.child({ area: 'task-discovery' }),
      local: localOrg?.pubsubEndpoint
        ? { endpoint: localOrg.pubsubEndpoint, certPem: localOrg.pubsubCertPem!, orgId: localOrg.orgId }
        : null,
    });
    if (taskDiscovery) onClose('task discovery', () => taskDiscovery.stop());
    // The banner says how Tasks are found; the first subscription attempt decides (≤ 5 s).
    const discoveryLine = taskDiscovery
      ? `       task discovery: ${formatDiscovery(await taskDiscovery.settled())}`
      : null;

    const worker = startCallPipeline({
      store,
      salesforce: gateway,
      logger,
      bizibleIdField: config.bizibleIdField,
      ownerId: config.vendors.callTaskOwnerId,
      rules,
      windowMs: config.callBatchWindowMs,
      join,
      // The pipeline joins its calls itself: their change events need no run of their own.
      onTaskWritten: (taskId) => taskDiscovery?.ownWrite(taskId),
    });
    onClose('calls pipeline', () =>
      // stop() starts no new request; a call not fully written stays in the outbox. Same safety net.
      withDeadline(worker.stop(), opts.shutdownWaitMs ?? SHUTDOWN_WAIT_MS, () =>
        logger.warn(
          'the calls pipeline did not stop in time; its current call stays in the outbox for the next start',
        ),
      ),
    );

    const host = opts.host ?? config.host;
    const exposure = exposureOf(config, local, host);
    let baseUrl = '';
    const app = createApp({
      exposure,
      config: effective,
      store,
      logger,
      rules,
      salesforce: gateway,
      recordUrl: local ? () => null : (id) => `${org.instanceUrl}/${encodeURIComponent(id)}`,
      simulateCall: demoCallRailKey
        ? { callrailSigningKey: demoCallRailKey, webhookUrl: () => `${baseUrl}/webhooks/callrail` }
        : null,
      onCallEnqueued: () => worker.kick(),
      // Page views after a call was joined re-plan that visitor (R11); debounced, and free for
      // visitors without calls.
      onEventsAppended: (visitorIds) => join.visitorsChanged(visitorIds),
      taskDiscovery: () =>
        taskDiscovery
          ? formatDiscovery(taskDiscovery.status())
          : `polling (TASK_DISCOVERY=polling, every ${Math.round(pollIntervalMs / 1000)} s)`,
    });

    const server: Server = await new Promise((resolve, reject) => {
      const port = opts.port ?? config.port;
      // Express 5 calls the listen callback with the error when listening fails.
      const s = app.listen(port, host, (err?: NodeJS.ErrnoException) => {
        if (!err) return resolve(s);
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(
                `port ${port} on ${host} is already in use: stop the other process or choose another port (PORT or --port)`,
              )
            : err,
        );
      });
    });
    server.keepAliveTimeout = 5000;
    const port = (server.address() as AddressInfo).port;
    const anyInterface = host === '0.0.0.0' || host === '::';
    const bracketed = host.includes(':') ? `[${host}]` : host;
    const shownHost = anyInterface ? 'localhost' : bracketed;
    baseUrl = `http://${anyInterface ? '127.0.0.1' : bracketed}:${port}`;
    const publicUrl = `http://${shownHost}:${port}`;
    // First step of shutdown: stop accepting, let in-flight requests finish (bounded).
    onClose('http', () => closeServer(server));

    const summary = serveBanner({
      publicUrl,
      listen: `${bracketed}:${port}`,
      exposure,
      config,
      local,
      org,
      metadataLine,
      budget: gateway.budget(),
      storeDescription: store.description,
      retentionDays,
      cdc: !!taskDiscovery,
      pollIntervalMs,
      discoveryLine,
      channelsLine,
    });

    let closing: Promise<void> | null = null;
    return {
      url: baseUrl,
      port,
      org,
      orgMode: local ? 'local' : 'remote',
      localOrg,
      store,
      join,
      taskDiscovery,
      demoCallRailKey,
      summary,
      close: () => (closing ??= cleanup()),
      stopStep: () => stepNow,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
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
