import { type Command, InvalidArgumentError } from 'commander';
import { refuseStart } from '../errors';
import { loadConfig } from '../../config';
import { createLogger } from '../../log';
import { startServer, StartAbortedError, type ServerHandle } from '../../server/start';

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`--port must be a whole number from 0 to 65535 (got "${value}")`);
  }
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 3600) {
    throw new InvalidArgumentError(
      `--join-interval must be a number of seconds from 1 to 3600 (got "${value}")`,
    );
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
    .action(
      async (opts: {
        port?: number;
        host?: string;
        targetOrg?: string;
        joinInterval: number;
        channels?: string;
      }) => {
        let config;
        let logger;
        try {
          config = loadConfig();
          logger = createLogger();
        } catch (err) {
          refuseStart(program, err);
        }
        // Signals are ours from here on, also during start-up: Ctrl-C while the local org or the
        // metadata deploy is starting stops at the next step and cleans up (lock released).
        const startup = new AbortController();
        let server: ServerHandle | null = null;
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          if (!server) {
            process.stdout.write(`\n${signal}: stopping start-up…\n`);
            startup.abort();
            return;
          }
          process.stdout.write(
            `\n${signal}: stopping (no new Salesforce request starts; unfinished work stays for the next start)…\n`,
          );
          server.close().then(
            () => {
              process.stdout.write('stopped cleanly.\n');
              process.exit(0);
            },
            (err: unknown) => {
              process.stderr.write(
                `stopped with an error: ${err instanceof Error ? err.message : String(err)}\n`,
              );
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.stdout.write('call-touchpoints serve: starting…\n');
        try {
          server = await startServer(config, {
            port: opts.port,
            host: opts.host,
            targetOrg: opts.targetOrg,
            joinIntervalMs: opts.joinInterval * 1000,
            channels: opts.channels,
            logger,
            signal: startup.signal,
          });
        } catch (err) {
          if (err instanceof StartAbortedError) {
            process.stdout.write('stopped cleanly before start-up finished (nothing left running).\n');
            process.exit(0);
          }
          // A bad channel sheet: the message names the flag or variable, the file, row and column.
          // A store that cannot be opened: the message names the file, the cause and the fix.
          refuseStart(program, err);
        }
        if (startup.signal.aborted) {
          // The signal came as start-up returned: nothing checks it any more, so stop here.
          await server.close();
          process.stdout.write('stopped cleanly before start-up finished (nothing left running).\n');
          process.exit(0);
        }
        process.stdout.write(server.summary.join('\n') + '\n\nPress Ctrl-C to stop.\n');
      },
    );
}
