import { Option, type Command } from 'commander';
import { UserError } from '../../user-error';
import { ADOPT_HELP, flagError, reportingErrors } from '../errors';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig, type Config } from '../../config';
import { createLogger, type Logger } from '../../log';
import {
  checkJoinMemory,
  formatSummary,
  runJoinOnce,
  startJoinWatch,
  type JoinDeps,
  type JoinProgress,
  type JoinSummary,
} from '../../join';
import { hasOrgConfig, SF_ENV_HELP, type OrgConnection } from '../../salesforce';
import { openRuntime } from '../../server/runtime';
import type { Store } from '../../store/types';
import { startTaskDiscovery } from '../../salesforce/cdc/startTaskDiscovery';
import { formatDiscovery } from '../../salesforce/cdc/taskDiscovery';

interface JoinFlags {
  once?: boolean;
  watch?: boolean;
  interval: string;
  channels?: string;
  full?: boolean;
  targetOrg?: string;
  adopt?: boolean;
}

/** A bar on a terminal; otherwise a log line about every 10%, so CI logs stay readable. */
function progressReporter(): JoinProgress {
  if (process.stdout.isTTY) {
    const bar = new SingleBar(
      { format: 'writing {bar} {value}/{total} records', hideCursor: true },
      Presets.shades_classic,
    );
    let active = false;
    return {
      start(total) {
        active = total >= 400;
        if (active) bar.start(total, 0);
      },
      increment(n) {
        if (active) bar.increment(n);
      },
      stop() {
        if (active) bar.stop();
        active = false;
      },
    };
  }
  let total = 0;
  let done = 0;
  let next = 0;
  return {
    start(t) {
      total = t;
      done = 0;
      next = Math.max(1000, Math.ceil(t / 10));
    },
    increment(n) {
      done += n;
      if (total >= 1000 && done >= next) {
        process.stdout.write(`  written ${done}/${total} records\n`);
        next += Math.ceil(total / 10);
      }
    },
    stop() {},
  };
}

function printSummary(s: JoinSummary): void {
  process.stdout.write(formatSummary(s).join('\n') + '\n');
}

/** The flags that cannot go together, then --interval in seconds. */
function checkedInterval(opts: JoinFlags): number {
  if (Boolean(opts.once) === Boolean(opts.watch))
    throw flagError('choose one of --once (a single run) or --watch (keep running)');
  if (opts.adopt && opts.full)
    throw flagError(
      "--adopt keeps the org's joined Tasks as they are; --full re-plans every one of them: choose one",
    );
  const interval = Number(opts.interval);
  if (!Number.isFinite(interval) || interval < 1)
    throw flagError(`--interval must be a number of seconds >= 1, got "${opts.interval}"`);
  return interval;
}

/** Keeps the process alive until Ctrl-C or SIGTERM, and says which came. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise<NodeJS.Signals>((resolve) => {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const stop = (sig: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(sig);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function register(program: Command): void {
  program
    .command('join')
    .description(
      'Join call Tasks to the web sessions in the store and write Web Sessions, Touchpoints and the Task ' +
        'join fields to the org. Reads Tasks changed since the last run; writes only what changed.',
    )
    .option('--once', 'run one join and exit')
    .option(
      '--watch',
      'keep running: join Tasks as Change Data Capture reports them (else a join every --interval seconds)',
    )
    // The default's description is the plain number: a string default prints as "60", quoted.
    .addOption(
      new Option(
        '--interval <seconds>',
        'seconds between runs with --watch while CDC is unavailable',
      ).default('60', '60'),
    )
    .option(
      '--channels <file>',
      'channel rules CSV (Marketo Measure layout); default: CHANNEL_RULES_FILE, else the built-in sheet',
    )
    .option(
      '--full',
      're-read every call Task, not only those changed since the last run (still writes only changes)',
    )
    .option(
      '--target-org <alias>',
      'use an org the Salesforce CLI (sf) is logged in to instead of SF_* variables',
    )
    .option('--adopt', ADOPT_HELP)
    .action(reportingErrors('join', joinCommand));
}

/** `join --once` or `join --watch`, on the runtime (org, store, channel rules) of the configuration. */
async function joinCommand(opts: JoinFlags): Promise<void> {
  const interval = checkedInterval(opts);
  const config = loadConfig();
  if (!hasOrgConfig(config, opts.targetOrg)) throw new UserError(SF_ENV_HELP);
  const logger = createLogger({ name: 'join', level: process.env.LOG_LEVEL ?? 'warn' });
  let store: Store | null = null;
  try {
    const runtime = await openRuntime(config, {
      targetOrg: opts.targetOrg,
      logger,
      purpose: 'join',
      channels: opts.channels,
    });
    store = runtime.store;
    const { org, gateway, rules } = runtime;
    process.stdout.write(`Joining calls in ${org.describe()} with sessions from ${store.description}\n`);
    const memory = await checkJoinMemory(
      { gateway, store, bizibleIdField: config.bizibleIdField },
      { adopt: opts.adopt },
    );
    if (memory.line) process.stdout.write(`${memory.line}\n`);
    const deps = {
      gateway,
      store,
      rules,
      bizibleIdField: config.bizibleIdField,
      privacySalt: config.privacySalt,
      logger,
      progress: progressReporter(),
      opportunities: { mapping: config.opportunityMapping },
    };
    if (opts.once) {
      const summary = await runJoinOnce(deps, { full: opts.full, pollOpportunities: true });
      printSummary(summary);
      if (summary.failed.length > 0) process.exitCode = 1;
      return;
    }
    if (opts.full) await runJoinOnce(deps, { full: true }).then(printSummary);
    await watchJoins(deps, { config, org, intervalS: interval });
  } finally {
    await store?.close();
  }
}

/** `join --watch`: runs as Change Data Capture reports Tasks (else every interval) until Ctrl-C or SIGTERM. */
async function watchJoins(
  deps: JoinDeps & { store: Store; logger: Logger },
  { config, org, intervalS }: { config: Config; org: OrgConnection; intervalS: number },
): Promise<void> {
  let runs = 0;
  const watch = startJoinWatch(deps, {
    intervalMs: intervalS * 1000,
    opportunityIntervalMs: config.opportunityPollSeconds * 1000,
    onSummary: (s) => {
      runs++;
      process.stdout.write(`[${new Date().toISOString()}] `);
      printSummary(s);
    },
    onError: (err) => process.stderr.write(`join: ${(err as Error).message}\n`),
  });
  // Tasks written by others arrive as change events; --interval polling only while CDC is unavailable.
  const discovery = await startTaskDiscovery({
    config,
    org,
    store: deps.store,
    join: watch,
    pollIntervalMs: intervalS * 1000,
    logger: deps.logger,
  });
  process.stdout.write(
    `Task discovery: ${discovery ? formatDiscovery(await discovery.settled()) : `polling every ${intervalS} s (TASK_DISCOVERY=polling)`}\n`,
  );
  // The watch's timers are unref'd (serve keeps its process alive with the HTTP server); here
  // the wait for Ctrl-C/SIGTERM is what keeps the process running.
  const signal = await untilStopSignal();
  await discovery?.stop();
  await watch.stop();
  process.stdout.write(
    `${signal}: join --watch stopped after ${runs} run(s) (the next run picks up anything not written).\n`,
  );
}
