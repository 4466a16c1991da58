import net from 'node:net';
import path from 'node:path';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { DEFAULT_BIZIBLE_ID_FIELD } from './domain';
import { SECRET_RULES, VENDOR_SECRET_ENV, weakSecrets, type VendorSecrets } from './secrets';
import {
  DEFAULT_FIELD_MAP,
  DEFAULT_VENDOR_OPTIONS,
  type FieldMap,
  type VendorOptions,
} from './vendors/options';
import { UserError } from './user-error';

/**
 * Configuration from the environment. Names are a contract (README.md, "Configuration"): docs, tests,
 * deployments and scripts rely on them.
 */
export interface Config {
  port: number;
  /** HOST: the interface serve listens on (default 127.0.0.1; 0.0.0.0 opens it to the network). */
  host: string;
  /**
   * TRUST_PROXY: which clients may set X-Forwarded-For/-Proto (express `trust proxy`): a number of
   * hops, or a list of addresses, CIDRs and the names loopback, linklocal, uniquelocal.
   */
  trustProxy: number | string[];
  /** METRICS_TOKEN: bearer token for /metrics (required there with a real org or an opened HOST). */
  metricsToken: string | null;
  /** PUBLIC_HOSTNAMES: host names (Host header) serve answers besides the loopback names. */
  publicHostnames: string[];
  dataDir: string;
  databaseUrl: string | null;
  /**
   * SF_DAILY_REQUEST_BUDGET: org API requests this middleware may spend per rolling 24 h before it
   * defers work that can wait (null: 10% of the org's daily limit, salesforce/budget.ts).
   */
  dailyRequestBudget: number | null;
  /** CALL_BATCH_WINDOW_MS: calls arriving within it share one batch write (calls/pipeline.ts). */
  callBatchWindowMs: number;
  adminToken: string | null;
  /** AUTH_FAILURE_LIMIT: failed authentications per client address per 15 minutes before 429 (default 20). */
  authFailureLimit: number;
  bizibleIdField: string;
  siteOrigins: string[];
  /** CHANNEL_RULES_FILE: channel sheet CSV for serve and join (R12); null → the built-in sheet. */
  channelRulesFile: string | null;
  /** Web tracking (docs/tracking.md): POST /collect rate limit and the privacy opt-out signals. */
  tracking: {
    /** COLLECT_RATE_LIMIT: requests per minute per client IP on /collect (default 300). */
    collectRateLimitPerMinute: number;
    /** TRACKING_HONOR_OPT_OUT: drop events sent with `Sec-GPC: 1` or `DNT: 1` (default true). */
    honorOptOut: boolean;
    /**
     * TRACKING_BOT_FILTER: drop events from automated browsers (crawlers, headless Chromium, curl;
     * default on). `off` tracks them too: for testing with automated browsers only.
     */
    botFilter: boolean;
    /** VISITOR_DAILY_EVENT_CAP: events kept per visitor per UTC day, per process (0: no cap). */
    visitorDailyEventCap: number;
  };
  /** Storage bounds (docs/operations.md). */
  storage: {
    /** EVENT_RETENTION_DAYS: events (and sessions of visitors without Salesforce records) older than this are deleted (0: keep all). */
    eventRetentionDays: number;
    /** SQLITE_MAX_SIZE_MB, in bytes: the SQLite file's ceiling (null: none). */
    sqliteMaxBytes: number | null;
  };
  salesforce: {
    instanceUrl: string | null;
    accessToken: string | null;
    loginUrl: string | null;
    clientId: string | null;
    clientSecret: string | null;
    username: string | null;
    jwtKeyFile: string | null;
  };
  vendorSecrets: VendorSecrets;
  /** Vendor webhook settings (docs/vendors.md): phone region, CTM window, cookie key, field maps, Task owner. */
  vendors: VendorOptions;
  /** Task discovery (docs/salesforce.md): Change Data Capture over the Pub/Sub API, or polling. */
  taskDiscovery?: {
    /** TASK_DISCOVERY: cdc (default; falls back to polling when unavailable) or polling. */
    mode: 'cdc' | 'polling';
    /** SF_PUBSUB_ENDPOINT: host:port (default Salesforce's api.pubsub.salesforce.com:7443). */
    pubsubEndpoint: string | null;
    /** SF_PUBSUB_CA_FILE: PEM to trust for that endpoint (the local org's pubsub-cert.pem). */
    pubsubCaFile: string | null;
  };
}

/** A Task field API name (BIZIBLE_ID_FIELD, simulate --bizible-id-field): BizibleId__c, bizible2__BizibleId__c. */
export const TASK_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;

function opt(env: NodeJS.ProcessEnv, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** A setting that cannot be used; the message names the variable and the fix. */
export class ConfigError extends UserError {}

/** A whole number setting with a default, from `min` up; the error names the variable and the unit. */
function callBatchWindow(env: NodeJS.ProcessEnv): number {
  const text = opt(env, 'CALL_BATCH_WINDOW_MS');
  if (text === null) return 1000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw new ConfigError(
      `CALL_BATCH_WINDOW_MS must be a whole number of milliseconds from 0 to 1000 (got "${text}"); 0 writes each call at once, 1000 (the default) collects calls for up to a second`,
    );
  return n;
}

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  unit: string,
): number {
  const text = opt(env, name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`${name} must be a whole number of ${unit} (${min} or more), got "${text}"`);
  }
  return n;
}

/** EVENT_RETENTION_DAYS default: the `_biz_uid` cookie's one-year lifetime (docs/operations.md). */
export const DEFAULT_EVENT_RETENTION_DAYS = 365;
/** VISITOR_DAILY_EVENT_CAP default: far above any person's page views in a day. */
export const DEFAULT_VISITOR_DAILY_EVENT_CAP = 1000;

/** DIALOGTECH_FIELD_MAP / GENERIC_FIELD_MAP: only the keys the customer changes, over the defaults. */
function fieldMap(env: NodeJS.ProcessEnv, name: string): FieldMap {
  const raw = opt(env, name);
  if (!raw) return DEFAULT_FIELD_MAP;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be a JSON object such as {"callId":"CallID","startTime":"CallDate"}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${name} must be a JSON object mapping our field names to your parameter names`);
  }
  const out: FieldMap = { ...DEFAULT_FIELD_MAP };
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(k in DEFAULT_FIELD_MAP)) {
      throw new ConfigError(
        `${name}: unknown key "${k}"; known keys: ${Object.keys(DEFAULT_FIELD_MAP).join(', ')}`,
      );
    }
    if (k === 'startTimeOffset') {
      if (v !== null && (typeof v !== 'string' || !/^[+-]\d{2}:\d{2}$/.test(v))) {
        throw new ConfigError(`${name}: startTimeOffset must look like "-05:00" or "+01:00"`);
      }
      out.startTimeOffset = v as string | null;
    } else {
      if (typeof v !== 'string' || v.trim() === '')
        throw new ConfigError(`${name}: "${k}" must name a parameter`);
      (out as unknown as Record<string, string>)[k] = v.trim();
    }
  }
  return out;
}

function vendorOptions(env: NodeJS.ProcessEnv): VendorOptions {
  const region = (opt(env, 'PHONE_DEFAULT_REGION') ?? DEFAULT_VENDOR_OPTIONS.phoneRegion).toUpperCase();
  if (!(getCountries() as string[]).includes(region)) {
    throw new ConfigError(
      `PHONE_DEFAULT_REGION must be a two-letter country code such as US or GB, got "${region}"`,
    );
  }
  const windowText = opt(env, 'CTM_SIGNATURE_WINDOW_SECONDS');
  const window = windowText ? Number(windowText) : DEFAULT_VENDOR_OPTIONS.ctmClockWindowSeconds;
  if (!Number.isInteger(window) || window < 1 || window > 3600) {
    throw new ConfigError('CTM_SIGNATURE_WINDOW_SECONDS must be a whole number of seconds from 1 to 3600');
  }
  const owner = opt(env, 'CALL_TASK_OWNER_ID');
  if (owner && !/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(owner)) {
    throw new ConfigError(
      `CALL_TASK_OWNER_ID must be a User id (15 or 18 characters starting with 005), got "${owner}"`,
    );
  }
  return {
    phoneRegion: region as CountryCode,
    ctmClockWindowSeconds: window,
    visitorIdKey: opt(env, 'VISITOR_ID_KEY') ?? DEFAULT_VENDOR_OPTIONS.visitorIdKey,
    dialogtechFieldMap: fieldMap(env, 'DIALOGTECH_FIELD_MAP'),
    genericFieldMap: fieldMap(env, 'GENERIC_FIELD_MAP'),
    callTaskOwnerId: owner,
  };
}

/** The names express's `trust proxy` (proxy-addr) knows besides addresses and CIDRs. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: NodeJS.ProcessEnv): number | string[] {
  const text = opt(env, 'TRUST_PROXY') ?? 'loopback';
  const fix =
    'set it to a number of proxy hops (e.g. 1), or a comma-separated list of proxy addresses or CIDRs ' +
    `and the names ${TRUST_PROXY_NAMES.join(', ')} (default loopback)`;
  if (/^\d+$/.test(text)) return Number(text);
  const items = text.split(',').map((s) => s.trim());
  for (const item of items) {
    if (TRUST_PROXY_NAMES.includes(item)) continue;
    const [address, bits, extra] = item.split('/');
    const family = net.isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))
    ) {
      throw new ConfigError(`TRUST_PROXY: "${item}" is not an address, CIDR or known name; ${fix}`);
    }
  }
  return items;
}

/** Host names as the Host header carries them: lower case, no port; IPv6 in brackets. */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

function publicHostnames(env: NodeJS.ProcessEnv): string[] {
  const names = (opt(env, 'PUBLIC_HOSTNAMES') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!HOST_NAME.test(name))
      throw new ConfigError(
        `PUBLIC_HOSTNAMES: "${name}" is not a host name; list names without scheme or port, e.g. calls.example.com,10.0.0.5`,
      );
  }
  return names;
}

/** BIZIBLE_ID_FIELD (R1): the Task field holding the cookie id; `simulate` reads only this setting. */
export function loadBizibleIdField(env: NodeJS.ProcessEnv = process.env): string {
  const field = opt(env, 'BIZIBLE_ID_FIELD') ?? DEFAULT_BIZIBLE_ID_FIELD;
  if (!TASK_FIELD_NAME.test(field)) {
    throw new ConfigError(
      `BIZIBLE_ID_FIELD must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "${field}"`,
    );
  }
  return field;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portText = opt(env, 'PORT') ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${portText}"`);
  }
  const bizibleIdField = loadBizibleIdField(env);
  const databaseUrl = opt(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite)',
    );
  }
  const rateText = opt(env, 'COLLECT_RATE_LIMIT') ?? '300';
  const collectRateLimitPerMinute = Number(rateText);
  if (!Number.isInteger(collectRateLimitPerMinute) || collectRateLimitPerMinute < 1) {
    throw new ConfigError(
      `COLLECT_RATE_LIMIT must be a whole number of requests per minute (1 or more), got "${rateText}"`,
    );
  }
  const optOutText = (opt(env, 'TRACKING_HONOR_OPT_OUT') ?? 'true').toLowerCase();
  if (optOutText !== 'true' && optOutText !== 'false') {
    throw new ConfigError(`TRACKING_HONOR_OPT_OUT must be true or false, got "${optOutText}"`);
  }
  const authLimitText = opt(env, 'AUTH_FAILURE_LIMIT') ?? '20';
  const authFailureLimit = Number(authLimitText);
  if (!Number.isInteger(authFailureLimit) || authFailureLimit < 1) {
    throw new ConfigError(
      `AUTH_FAILURE_LIMIT must be a whole number of failed attempts per 15 minutes (1 or more), got "${authLimitText}"`,
    );
  }
  // Weak secrets stop start-up, each named with its minimum (secrets.ts).
  const weak = weakSecrets(Object.fromEntries(SECRET_RULES.map((r) => [r.env, opt(env, r.env)])));
  if (weak.length > 0) throw new ConfigError(weak.join('\n'));
  const botFilterText = (opt(env, 'TRACKING_BOT_FILTER') ?? 'on').toLowerCase();
  if (botFilterText !== 'on' && botFilterText !== 'off') {
    throw new ConfigError(
      `TRACKING_BOT_FILTER must be on or off (off only for testing with automated browsers), got "${botFilterText}"`,
    );
  }
  return {
    port,
    host: opt(env, 'HOST') ?? '127.0.0.1',
    trustProxy: trustProxy(env),
    metricsToken: opt(env, 'METRICS_TOKEN'),
    publicHostnames: publicHostnames(env),
    dataDir: path.resolve(opt(env, 'CALL_TOUCHPOINTS_DATA_DIR') ?? './.data'),
    databaseUrl,
    adminToken: opt(env, 'ADMIN_TOKEN'),
    authFailureLimit,
    bizibleIdField,
    siteOrigins: (opt(env, 'SITE_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    channelRulesFile: opt(env, 'CHANNEL_RULES_FILE'),
    tracking: {
      collectRateLimitPerMinute,
      honorOptOut: optOutText === 'true',
      botFilter: botFilterText === 'on',
      visitorDailyEventCap: wholeNumber(
        env,
        'VISITOR_DAILY_EVENT_CAP',
        DEFAULT_VISITOR_DAILY_EVENT_CAP,
        0,
        'events per visitor per day; 0 turns the cap off',
      ),
    },
    storage: {
      eventRetentionDays: wholeNumber(
        env,
        'EVENT_RETENTION_DAYS',
        DEFAULT_EVENT_RETENTION_DAYS,
        0,
        'days; 0 keeps everything',
      ),
      sqliteMaxBytes: opt(env, 'SQLITE_MAX_SIZE_MB')
        ? wholeNumber(env, 'SQLITE_MAX_SIZE_MB', 0, 1, 'megabytes') * 1024 * 1024
        : null,
    },
    callBatchWindowMs: callBatchWindow(env),
    dailyRequestBudget: opt(env, 'SF_DAILY_REQUEST_BUDGET')
      ? wholeNumber(env, 'SF_DAILY_REQUEST_BUDGET', 0, 1, 'API requests per 24 hours')
      : null,
    salesforce: {
      instanceUrl: opt(env, 'SF_INSTANCE_URL'),
      accessToken: opt(env, 'SF_ACCESS_TOKEN'),
      loginUrl: opt(env, 'SF_LOGIN_URL'),
      clientId: opt(env, 'SF_CLIENT_ID'),
      clientSecret: opt(env, 'SF_CLIENT_SECRET'),
      username: opt(env, 'SF_USERNAME'),
      jwtKeyFile: opt(env, 'SF_JWT_KEY_FILE'),
    },
    vendorSecrets: Object.fromEntries(
      Object.entries(VENDOR_SECRET_ENV).map(([key, name]) => [key, opt(env, name)]),
    ) as VendorSecrets,
    vendors: vendorOptions(env),
    taskDiscovery: taskDiscoveryOptions(env),
  };
}

function taskDiscoveryOptions(env: NodeJS.ProcessEnv): NonNullable<Config['taskDiscovery']> {
  const mode = (opt(env, 'TASK_DISCOVERY') ?? 'cdc').toLowerCase();
  if (mode !== 'cdc' && mode !== 'polling')
    throw new ConfigError(`TASK_DISCOVERY must be cdc or polling, got "${mode}"`);
  const endpoint = opt(env, 'SF_PUBSUB_ENDPOINT');
  if (endpoint && !/^[\w.-]+:\d+$|^\[[\da-f:]+\]:\d+$/i.test(endpoint))
    throw new ConfigError(
      `SF_PUBSUB_ENDPOINT must be host:port (e.g. api.pubsub.salesforce.com:7443), got "${endpoint}"`,
    );
  return { mode, pubsubEndpoint: endpoint, pubsubCaFile: opt(env, 'SF_PUBSUB_CA_FILE') };
}
