import path from 'node:path';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import {
  DEFAULT_FIELD_MAP,
  DEFAULT_VENDOR_OPTIONS,
  type FieldMap,
  type VendorOptions,
} from './vendors/options';

/**
 * Configuration from the environment. Names are a contract (design §4): docs, tests,
 * deployments and scripts rely on them.
 */
export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  adminToken: string | null;
  bizibleIdField: string;
  siteOrigins: string[];
  /** CHANNEL_RULES_FILE: channel sheet CSV for serve and join (R12); null → the built-in sheet. */
  channelRulesFile: string | null;
  /** Web tracking (issue 5): POST /collect rate limit and the privacy opt-out signals. */
  tracking: {
    /** COLLECT_RATE_LIMIT: requests per minute per client IP on /collect (default 300). */
    collectRateLimitPerMinute: number;
    /** TRACKING_HONOR_OPT_OUT: drop events sent with `Sec-GPC: 1` or `DNT: 1` (default true). */
    honorOptOut: boolean;
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
  vendorSecrets: {
    callrailSigningKey: string | null;
    ctmWebhookSecret: string | null;
    invocaWebhookToken: string | null;
    dialogtechWebhookToken: string | null;
    genericWebhookToken: string | null;
  };
  /** Vendor webhook settings (docs/vendors.md): phone region, CTM window, cookie key, field maps, Task owner. */
  vendors: VendorOptions;
  /** Task discovery (issue 13): Change Data Capture over the Pub/Sub API, or polling. */
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

export class ConfigError extends Error {}

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portText = opt(env, 'PORT') ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${portText}"`);
  }
  const bizibleIdField = opt(env, 'BIZIBLE_ID_FIELD') ?? 'BizibleId__c';
  if (!TASK_FIELD_NAME.test(bizibleIdField)) {
    throw new ConfigError(
      `BIZIBLE_ID_FIELD must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "${bizibleIdField}"`,
    );
  }
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
  return {
    port,
    dataDir: path.resolve(opt(env, 'CALL_TOUCHPOINTS_DATA_DIR') ?? './.data'),
    databaseUrl,
    adminToken: opt(env, 'ADMIN_TOKEN'),
    bizibleIdField,
    siteOrigins: (opt(env, 'SITE_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    channelRulesFile: opt(env, 'CHANNEL_RULES_FILE'),
    tracking: { collectRateLimitPerMinute, honorOptOut: optOutText === 'true' },
    salesforce: {
      instanceUrl: opt(env, 'SF_INSTANCE_URL'),
      accessToken: opt(env, 'SF_ACCESS_TOKEN'),
      loginUrl: opt(env, 'SF_LOGIN_URL'),
      clientId: opt(env, 'SF_CLIENT_ID'),
      clientSecret: opt(env, 'SF_CLIENT_SECRET'),
      username: opt(env, 'SF_USERNAME'),
      jwtKeyFile: opt(env, 'SF_JWT_KEY_FILE'),
    },
    vendorSecrets: {
      callrailSigningKey: opt(env, 'CALLRAIL_SIGNING_KEY'),
      ctmWebhookSecret: opt(env, 'CTM_WEBHOOK_SECRET'),
      invocaWebhookToken: opt(env, 'INVOCA_WEBHOOK_TOKEN'),
      dialogtechWebhookToken: opt(env, 'DIALOGTECH_WEBHOOK_TOKEN'),
      genericWebhookToken: opt(env, 'GENERIC_WEBHOOK_TOKEN'),
    },
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
