import type { CountryCode } from 'libphonenumber-js';
import { getCountries } from 'libphonenumber-js';
import { ConfigError } from '../config';
import { CTM_CLOCK_WINDOW_SECONDS } from './signatures';
import { DEFAULT_PHONE_REGION } from './phone';

/**
 * Vendor-side settings read from the environment (names documented in docs/vendors.md). Kept next to
 * the adapters because only they use them; secrets stay in Config.vendorSecrets (design §4).
 */

/** Which payload key carries each normalized field, for vendors whose payload the customer designs. */
export interface FieldMap {
  callId: string;
  startTime: string;
  duration: string;
  callerNumber: string;
  trackingNumber: string;
  direction: string;
  outcome: string;
  source: string;
  campaign: string;
  recordingUrl: string;
  visitorId: string;
  /** Offset to assume for a start time without one (e.g. "-05:00"); unset → such times are refused. */
  startTimeOffset: string | null;
}

export const DEFAULT_FIELD_MAP: FieldMap = {
  callId: 'call_id',
  startTime: 'start_time',
  duration: 'duration',
  callerNumber: 'caller_number',
  trackingNumber: 'tracking_number',
  direction: 'direction',
  outcome: 'outcome',
  source: 'source',
  campaign: 'campaign',
  recordingUrl: 'recording_url',
  visitorId: 'visitor_id',
  startTimeOffset: null,
};

export interface VendorOptions {
  /** Region assumed for numbers without a country code (PHONE_DEFAULT_REGION, default US). */
  phoneRegion: CountryCode;
  /** CTM replay window (CTM_SIGNATURE_WINDOW_SECONDS, default 300). */
  ctmClockWindowSeconds: number;
  /** Key under which CTM custom_fields, CallRail custom and Invoca custom_data carry the cookie. */
  visitorIdKey: string;
  dialogtechFieldMap: FieldMap;
  genericFieldMap: FieldMap;
  /** CALL_TASK_OWNER_ID: User who owns new call Tasks; null → the integration user. */
  callTaskOwnerId: string | null;
}

export const DEFAULT_VENDOR_OPTIONS: VendorOptions = {
  phoneRegion: DEFAULT_PHONE_REGION,
  ctmClockWindowSeconds: CTM_CLOCK_WINDOW_SECONDS,
  visitorIdKey: '_biz_uid',
  dialogtechFieldMap: DEFAULT_FIELD_MAP,
  genericFieldMap: DEFAULT_FIELD_MAP,
  callTaskOwnerId: null,
};

function fieldMap(env: NodeJS.ProcessEnv, name: string): FieldMap {
  const raw = env[name]?.trim();
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

export function loadVendorOptions(env: NodeJS.ProcessEnv = process.env): VendorOptions {
  const region = (env.PHONE_DEFAULT_REGION?.trim() || DEFAULT_PHONE_REGION).toUpperCase();
  if (!(getCountries() as string[]).includes(region)) {
    throw new ConfigError(
      `PHONE_DEFAULT_REGION must be a two-letter country code such as US or GB, got "${region}"`,
    );
  }
  const windowText = env.CTM_SIGNATURE_WINDOW_SECONDS?.trim();
  const window = windowText ? Number(windowText) : CTM_CLOCK_WINDOW_SECONDS;
  if (!Number.isInteger(window) || window < 1 || window > 3600) {
    throw new ConfigError('CTM_SIGNATURE_WINDOW_SECONDS must be a whole number of seconds from 1 to 3600');
  }
  const key = env.VISITOR_ID_KEY?.trim() || '_biz_uid';
  const owner = env.CALL_TASK_OWNER_ID?.trim() || null;
  if (owner && !/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(owner)) {
    throw new ConfigError(
      `CALL_TASK_OWNER_ID must be a User id (15 or 18 characters starting with 005), got "${owner}"`,
    );
  }
  return {
    phoneRegion: region as CountryCode,
    ctmClockWindowSeconds: window,
    visitorIdKey: key,
    dialogtechFieldMap: fieldMap(env, 'DIALOGTECH_FIELD_MAP'),
    genericFieldMap: fieldMap(env, 'GENERIC_FIELD_MAP'),
    callTaskOwnerId: owner,
  };
}
