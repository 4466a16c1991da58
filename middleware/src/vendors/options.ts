import type { CountryCode } from 'libphonenumber-js';
import { CTM_CLOCK_WINDOW_SECONDS } from './signatures';
import { DEFAULT_PHONE_REGION } from './phone';

/**
 * Vendor-side settings: their shapes and defaults. They are read and validated from the environment
 * by vendors/config.ts (`loadConfig().vendors`; names documented in docs/vendors.md); secrets stay in
 * Config.vendorSecrets, read and checked by secrets.ts (docs/configuration.md).
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

/** What the fixed-schema parsers (CallRail, CTM, Invoca) read from the options. */
export type ParseOptions = Pick<VendorOptions, 'phoneRegion' | 'visitorIdKey'>;

export const DEFAULT_VENDOR_OPTIONS: VendorOptions = {
  phoneRegion: DEFAULT_PHONE_REGION,
  ctmClockWindowSeconds: CTM_CLOCK_WINDOW_SECONDS,
  visitorIdKey: '_biz_uid',
  dialogtechFieldMap: DEFAULT_FIELD_MAP,
  genericFieldMap: DEFAULT_FIELD_MAP,
  callTaskOwnerId: null,
};
