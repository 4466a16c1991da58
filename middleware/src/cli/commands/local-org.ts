import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createLogger } from '../../log';
import { flagError } from '../errors';

/** A port option's parser; the message names the flag. */
const portOf =
  (flag: string) =>
  (text: string): number => {
    const n = Number(text);
    if (!text.trim() || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw flagError(`${flag} must be a whole number from 0 to 65535 (0 picks a free port).`);
    }
    return n;
  };

function parseToken(text: string): string {
  if (!/^[\x21-\x7e]{8,}$/.test(text)) {
    throw flagError('--token must be at least 8 printable characters without spaces.');
  }
  return text;
}

function readCertificate(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw flagError(`--jwt-cert: cannot read ${file} (${(e as NodeJS.ErrnoException).code}).`);
  }
  if (!/-----BEGIN (CERTIFICATE|PUBLIC KEY)-----/.test(text))
    throw flagError(
      `--jwt-cert: ${file} is not a PEM certificate or public key (the connected app's server.crt).`,
    );
  return text;
}

/**
 * `local-org`: the Salesforce API stand-in (packages/local-org/README.md) on its own, for pointing jsforce or curl at.
 * The first two stdout lines are machine-readable (instance_url=…, access_token=…).
 */
interface LocalOrgCliOptions {
  port: number;
  pubsubPort: number;
  data?: string;
  token?: string;
  preload?: boolean;
  clientId?: string;
  /** The certificate's PEM text (read by the option parser). */
  jwtCert?: string;
}

export function register(program: Command): void {
  program
    .command('local-org')
    .description(
      'Run the local org: a Salesforce REST, Metadata and Pub/Sub API stand-in for development and tests ' +
        '(not a place for production data). Prints instance_url=, access_token=, pubsub_endpoint= and pubsub_cert_file= first.',
    )
    .option('--port <n>', 'port to listen on (0 = a free port)', portOf('--port'), 0)
    .option(
      '--pubsub-port <n>',
      'port of the Pub/Sub API (gRPC over TLS; 0 = a free port)',
      portOf('--pubsub-port'),
      0,
    )
    .option('--data <dir>', 'directory for its SQLite data (default: $CALL_TOUCHPOINTS_DATA_DIR/local-org)')
    .option('--token <token>', 'access token to accept (default: a random one)', parseToken)
    .option('--preload', 'start with everything in force-app/ deployed (default: standard objects only)')
    .option(
      '--client-id <id>',
      'connected app consumer key for OAuth (default $LOCAL_ORG_CLIENT_ID; the secret: $LOCAL_ORG_CLIENT_SECRET)',
    )
    .option(
      '--jwt-cert <file>',
      'PEM certificate that verifies JWT bearer assertions (default $LOCAL_ORG_JWT_CERT)',
      readCertificate,
    )
    .action(async (opts: LocalOrgCliOptions) => {
      if (opts.port !== 0 && opts.port === opts.pubsubPort)
        throw flagError(
          `--pubsub-port must differ from --port (both are ${opts.port}): the REST and Pub/Sub APIs listen separately.`,
        );
      const config = loadConfig();
      const dataDir = path.resolve(opts.data ?? path.join(config.dataDir, 'local-org'));
      const { startLocalOrg } = await import('@call-touchpoints/local-org');
      const org = await startLocalOrg({
        port: opts.port,
        pubsubPort: opts.pubsubPort,
        dataDir,
        token: opts.token,
        preload: !!opts.preload,
        clientId: opts.clientId,
        jwtCertificate: opts.jwtCert,
        logger: createLogger({ name: 'local-org', level: process.env.LOG_LEVEL ?? 'warn' }),
      });
      process.stdout.write(`instance_url=${org.instanceUrl}\naccess_token=${org.accessToken}\n`);
      // Lines 3 and 4: the Pub/Sub API (Change Data Capture) endpoint and the certificate to trust.
      process.stdout.write(`pubsub_endpoint=${org.pubsubEndpoint}\npubsub_cert_file=${org.pubsubCertFile}\n`);
      process.stdout.write(
        [
          '',
          `Local org listening on ${org.instanceUrl} (Salesforce API v62.0 slice; any vXX.X path works).`,
          `  jsforce: new Connection({ instanceUrl: '${org.instanceUrl}', accessToken: '<access_token>' })`,
          `  curl:    curl -H "Authorization: Bearer <access_token>" '${org.instanceUrl}/services/data/v62.0/limits'`,
          `  sf:      sf org login access-token --instance-url ${org.instanceUrl} --no-prompt  (SF_ACCESS_TOKEN=<access_token>)`,
          `  OAuth:   POST ${org.loginUrl}/services/oauth2/token (client_credentials, JWT bearer, password) — only for the`,
          '           connected app given by --client-id/$LOCAL_ORG_CLIENT_SECRET and --jwt-cert; none otherwise.',
          `  Control: GET ${org.instanceUrl}/_local/requests, PUT ${org.instanceUrl}/_local/faults`,
          `  Pub/Sub: SF_PUBSUB_ENDPOINT=${org.pubsubEndpoint} SF_PUBSUB_CA_FILE=${org.pubsubCertFile}`,
          `           (TaskChangeEvent on /data/TaskChangeEvent once \`call-touchpoints deploy\` selected Task)`,
          `Data lives in ${dataDir}. This is a development and test tool, not a place for production data.`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await org.close();
      process.stdout.write('Local org stopped.\n');
    });
}
