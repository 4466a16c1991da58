import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import jwt from 'jsonwebtoken';
import type { SalesforceSettings } from './config';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { UserError } from '../user-error';

/**
 * How the middleware reaches an org (docs/configuration.md). Tokens live only inside the
 * jsforce Connection and are never logged or put into error messages.
 */
export type AuthKind = 'access-token' | 'client-credentials' | 'jwt' | 'sf-cli';

export interface OrgConnection {
  conn: Connection;
  auth: AuthKind;
  instanceUrl: string;
  /** For start-up output: "local org http://127.0.0.1:N" or the instance URL. */
  describe(): string;
}

export const API_VERSION = '62.0';

/** Raised for configuration and authentication problems; the message tells the user what to do. */
export class ConnectionError extends UserError {}

export const SF_ENV_HELP =
  'No Salesforce org configured. Set one of:\n' +
  '  SF_INSTANCE_URL + SF_ACCESS_TOKEN                          (an existing session)\n' +
  '  SF_LOGIN_URL + SF_CLIENT_ID + SF_CLIENT_SECRET             (OAuth client credentials)\n' +
  '  SF_LOGIN_URL + SF_CLIENT_ID + SF_USERNAME + SF_JWT_KEY_FILE (JWT bearer flow)\n' +
  'or pass --target-org ALIAS to reuse an org the Salesforce CLI (sf) is logged in to.\n' +
  'To try it without an org: run `call-touchpoints local-org` and point SF_INSTANCE_URL and\n' +
  'SF_ACCESS_TOKEN at the instance_url and access_token it prints (or just `npm start`).';

export function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

export function describeOrg(instanceUrl: string, auth?: AuthKind): string {
  if (isLocalUrl(instanceUrl)) return `local org ${instanceUrl}`;
  return `Salesforce org ${instanceUrl}${auth ? ` (${auth})` : ''}`;
}

/**
 * True when any SF_* variable is set (or a CLI alias is given): the user meant an org, so an
 * incomplete setting is reported by connect() instead of silently falling back to the local org.
 */
export function hasOrgConfig(config: Pick<SalesforceSettings, 'salesforce'>, targetOrg?: string): boolean {
  return Boolean(targetOrg || Object.values(config.salesforce).some((v) => v !== null));
}

interface Session {
  instanceUrl: string;
  accessToken: string;
}
type Authenticate = () => Promise<Session>;

/** A refresh that fails right after another one means the new token is rejected too: stop. */
const REFRESH_GUARD_MS = 30_000;

export async function connect(
  config: Pick<SalesforceSettings, 'salesforce'>,
  opts: { targetOrg?: string; logger?: Logger; sfBinary?: string } = {},
): Promise<OrgConnection> {
  const log = opts.logger ?? silentLogger;
  const sf = config.salesforce;
  let auth: AuthKind;
  let authenticate: Authenticate | null;

  if (opts.targetOrg) {
    auth = 'sf-cli';
    const alias = opts.targetOrg;
    authenticate = () => sfCliSession(alias, opts.sfBinary);
  } else if (sf.loginUrl && sf.clientId && sf.clientSecret) {
    auth = 'client-credentials';
    const form = { grant_type: 'client_credentials', client_id: sf.clientId, client_secret: sf.clientSecret };
    const loginUrl = sf.loginUrl;
    authenticate = () => tokenRequest(loginUrl, form);
  } else if (sf.loginUrl && sf.clientId && sf.username && sf.jwtKeyFile) {
    auth = 'jwt';
    const [loginUrl, clientId, username, keyFile] = [sf.loginUrl, sf.clientId, sf.username, sf.jwtKeyFile];
    authenticate = () => jwtSession(loginUrl, clientId, username, keyFile);
  } else if (sf.instanceUrl && sf.accessToken) {
    auth = 'access-token';
    authenticate = null;
  } else if (sf.loginUrl && sf.clientId) {
    throw new ConnectionError(
      'SF_LOGIN_URL and SF_CLIENT_ID are set but neither SF_CLIENT_SECRET (client credentials) nor ' +
        'SF_USERNAME + SF_JWT_KEY_FILE (JWT bearer) is: set one of them.',
    );
  } else {
    const set = Object.entries({
      SF_INSTANCE_URL: sf.instanceUrl,
      SF_ACCESS_TOKEN: sf.accessToken,
      SF_LOGIN_URL: sf.loginUrl,
      SF_CLIENT_ID: sf.clientId,
      SF_CLIENT_SECRET: sf.clientSecret,
      SF_USERNAME: sf.username,
      SF_JWT_KEY_FILE: sf.jwtKeyFile,
    })
      .filter(([, v]) => v !== null)
      .map(([k]) => k);
    throw new ConnectionError(
      set.length ? `Incomplete Salesforce settings (${set.join(', ')} set). ${SF_ENV_HELP}` : SF_ENV_HELP,
    );
  }

  const session: Session = authenticate
    ? await authenticate()
    : { instanceUrl: sf.instanceUrl as string, accessToken: sf.accessToken as string };

  let lastRefreshAt = 0;
  const conn = new Connection({
    instanceUrl: session.instanceUrl,
    accessToken: session.accessToken,
    version: API_VERSION,
    // jsforce calls this on INVALID_SESSION_ID and retries the request. Refresh once; if the new
    // session is rejected again at once, fail instead of looping.
    refreshFn: authenticate
      ? (c, callback) => {
          const now = Date.now();
          if (now - lastRefreshAt < REFRESH_GUARD_MS) {
            callback(
              new Error('Salesforce rejected the session right after it was refreshed; not retrying again'),
            );
            return;
          }
          lastRefreshAt = now;
          log.info({ auth }, 'salesforce session expired, re-authenticating once');
          authenticate().then(
            (s) => {
              c.instanceUrl = s.instanceUrl;
              callback(null, s.accessToken);
            },
            (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
          );
        }
      : undefined,
  });
  const instanceUrl = session.instanceUrl.replace(/\/+$/, '');
  log.info({ auth, org: describeOrg(instanceUrl) }, 'salesforce connection ready');
  return { conn, auth, instanceUrl, describe: () => describeOrg(instanceUrl, auth) };
}

async function tokenRequest(loginUrl: string, form: Record<string, string>): Promise<Session> {
  const url = `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (err) {
    throw new ConnectionError(`cannot reach ${url}: ${(err as Error).message} (check SF_LOGIN_URL)`);
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // non-JSON answer: reported below by status
  }
  if (!res.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
    const reason = [body.error, body.error_description].filter(Boolean).join(': ') || `HTTP ${res.status}`;
    throw new ConnectionError(
      `Salesforce login (${form.grant_type === 'client_credentials' ? 'client credentials' : 'JWT bearer'}) failed: ${reason}. ` +
        'Check SF_LOGIN_URL, SF_CLIENT_ID and the secret or key, and that the connected app allows this flow.',
    );
  }
  return { instanceUrl: body.instance_url, accessToken: body.access_token };
}

function jwtSession(loginUrl: string, clientId: string, username: string, keyFile: string): Promise<Session> {
  let key: string;
  try {
    key = fs.readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new ConnectionError(
      `cannot read SF_JWT_KEY_FILE ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  const assertion = jwt.sign({}, key, {
    algorithm: 'RS256',
    issuer: clientId,
    subject: username,
    audience: loginUrl.replace(/\/+$/, ''),
    expiresIn: 180,
  });
  return tokenRequest(loginUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
}

function findSfBinary(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', '.bin', 'sf');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return 'sf';
    dir = parent;
  }
}

interface SfJson {
  status?: number;
  message?: string;
  result?: { instanceUrl?: string; accessToken?: string };
}

/** Runs `sf ARGS --json`; resolves with its parsed answer (or an error text). */
function sfJson(bin: string, args: string[]): Promise<{ parsed: SfJson; error: string | null }> {
  return new Promise((resolve) => {
    execFile(
      bin,
      [...args, '--json'],
      {
        timeout: 120_000,
        maxBuffer: 4 * 1024 * 1024,
        env: {
          ...process.env,
          SF_DISABLE_TELEMETRY: 'true',
          SF_AUTOUPDATE_DISABLE: 'true',
          SF_DISABLE_AUTOUPDATE: 'true',
        },
      },
      (err, stdout) => {
        let parsed: SfJson = {};
        try {
          parsed = JSON.parse(stdout) as SfJson;
        } catch {
          // reported through error below
        }
        resolve({ parsed, error: err ? err.message.split('\n')[0] : null });
      },
    );
  });
}

/**
 * Reuses the sf CLI's stored auth: `sf org display --target-org ALIAS --json` for the instance URL, and
 * `sf org auth show-access-token` for the token, because current CLIs print "[REDACTED] …" in place of
 * the token in `org display`.
 */
async function sfCliSession(alias: string, sfBinary?: string): Promise<Session> {
  const bin = sfBinary ?? findSfBinary();
  const display = await sfJson(bin, ['org', 'display', '--target-org', alias]);
  let token = display.parsed.result?.accessToken;
  if (display.parsed.result?.instanceUrl && (!token || token.startsWith('[REDACTED]'))) {
    token = (await sfJson(bin, ['org', 'auth', 'show-access-token', '--target-org', alias])).parsed.result
      ?.accessToken;
  }
  const instanceUrl = display.parsed.result?.instanceUrl;
  if (instanceUrl && token && !token.startsWith('[REDACTED]')) return { instanceUrl, accessToken: token };
  const why = (display.parsed.message ?? display.error ?? 'no session in its answer')
    .replace(/\s+/g, ' ')
    .trim();
  throw new ConnectionError(
    `The Salesforce CLI has no usable org "${alias}" (${why}). ` +
      `Log in with \`sf org login web --alias ${alias}\` or check \`sf org list\`.`,
  );
}
