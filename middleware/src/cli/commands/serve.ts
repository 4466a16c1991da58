import type { Command } from 'commander';
import { ADOPT_HELP, flagError, refuseStart } from '../errors';
import { loadConfig } from '../../config';
import { createLogger } from '../../log';
import { logOutput } from '../../log-output';
import { boundedStop } from '../bounded-stop';
import { signalsTakenOver, STOPPED_DURING_START_UP } from '../early-signals';
import { startServer, StartAbortedError, type ServerHandle } from '../../server/start';

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw flagError(`--port must be a whole number from 0 to 65535 (got "${value}")`);
  }
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 3600) {
    throw flagError(`--join-interval must be a number of seconds from 1 to 3600 (got "${value}")`);
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Run everything in one process: the tracking snippet and POST /collect, the vendor webhooks with ' +
        'their outbox worker, the join in watch mode, the admin API, the demo site, the Task preview and ' +
        'the calls-by-channel report, /healthz and /metrics. With no org configured (no SF_* variables, ' +
        'no --target-org) it embeds the local org and deploys the metadata into it. `npm start` runs this.',
    )
    .option('-p, --port <port>', 'HTTP port (default: PORT or 8080; 0 = any free port)', portNumber)
    .option(
      '--host <host>',
      'interface to listen on (default: HOST, else 127.0.0.1 = this machine only; 0.0.0.0 opens it to the network, ' +
        'and then the pages need sign-in with ADMIN_TOKEN and /metrics needs METRICS_TOKEN)',
    )
    .option(
      '--target-org <alias>',
      'use an org the Salesforce CLI (sf) is logged in to, instead of SF_* variables',
    )
    .option(
      '--join-interval <seconds>',
      'how often the join polls for new or changed call Tasks while Change Data Capture is unavailable',
      seconds,
      60,
    )
    .option(
      '--channels <file>',
      'channel rules CSV (Marketo Measure layout) for the join and the admin API; default: CHANNEL_RULES_FILE, else the built-in sheet',
    )
    .option('--adopt', ADOPT_HELP)
    .action((opts: ServeFlags) => serveCommand(program, opts));
}

interface ServeFlags {
  adopt?: boolean;
  port?: number;
  host?: string;
  targetOrg?: string;
  joinInterval: number;
  channels?: string;
}

/** serve: start-up with Ctrl-C handled at every step, then the banner; the stop is bounded (bounded-stop.ts). */
async function serveCommand(program: Command, opts: ServeFlags): Promise<void> {
  let config;
  let logger;
  // Logs and terminal lines never block: a log reader that stopped reading cannot hold a stop.
  const out = logOutput();
  try {
    config = loadConfig();
    logger = createLogger({ destination: out.destination });
  } catch (err) {
    refuseStart(program, err);
  }
  const exit = (code: number) => void out.release().then(() => process.exit(code));
  // Signals are ours from here on, also during start-up: Ctrl-C while the local org or the
  // metadata deploy is starting stops at the next step and cleans up (lock released).
  const startup = new AbortController();
  let server: ServerHandle | null = null;
  const whileRunning = boundedStop({
    deadlineMs: config.shutdownDeadlineS * 1000,
    close: () => server!.close(),
    step: () => server?.stopStep() ?? null,
    say: out.say,
    exit,
  });
  let startupStopped = false;
  const stop = (signal: string) => {
    if (server) return whileRunning(signal);
    if (startupStopped) {
      out.say(`${signal} again: exiting now.`);
      return exit(1);
    }
    startupStopped = true;
    out.say(`\n${signal}: stopping start-up…`);
    startup.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // bin/call-touchpoints.js said "starting…" and caught signals until now (early-signals.ts).
  if (!signalsTakenOver()) out.say('call-touchpoints serve: starting…');
  try {
    server = await startServer(config, {
      port: opts.port,
      host: opts.host,
      targetOrg: opts.targetOrg,
      joinIntervalMs: opts.joinInterval * 1000,
      channels: opts.channels,
      adopt: opts.adopt,
      logger,
      signal: startup.signal,
    });
  } catch (err) {
    if (err instanceof StartAbortedError) {
      out.say(STOPPED_DURING_START_UP);
      return exit(0);
    }
    // A bad channel sheet: the message names the flag or variable, the file, row and column.
    // A store that cannot be opened: the message names the file, the cause and the fix.
    refuseStart(program, err);
  }
  if (startup.signal.aborted) {
    // The signal came as start-up returned: nothing checks it any more, so stop here.
    await server.close();
    out.say(STOPPED_DURING_START_UP);
    return exit(0);
  }
  out.say(server.summary.join('\n') + '\n\nPress Ctrl-C to stop.');
}
