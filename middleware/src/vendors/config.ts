import { getCountries, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { envSchema, integer, matching, setting, text, type Message } from '../env-setting';
import { DEFAULT_FIELD_MAP, DEFAULT_VENDOR_OPTIONS, type FieldMap, type VendorOptions } from './options';

/** Vendor webhook settings (docs/vendors.md); their secrets are read with the others (secrets.ts). */
export interface VendorSettings {
  /** Phone region, CTM window, cookie key, field maps, Task owner. */
  vendors: VendorOptions;
}

const FIELD_MAP_KEYS = Object.keys(DEFAULT_FIELD_MAP) as (keyof FieldMap)[];
const parameter = z.string().trim().min(1);

/** DIALOGTECH_FIELD_MAP / GENERIC_FIELD_MAP: a JSON object of only the keys the customer changes. */
const fieldMap = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', params: { notJson: true } });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .strictObject({
        ...(Object.fromEntries(FIELD_MAP_KEYS.map((k) => [k, parameter])) as Record<
          Exclude<keyof FieldMap, 'startTimeOffset'>,
          typeof parameter
        >),
        startTimeOffset: z
          .string()
          .regex(/^[+-]\d{2}:\d{2}$/)
          .nullable(),
      })
      .partial(),
  )
  .transform((changes): FieldMap => ({ ...DEFAULT_FIELD_MAP, ...changes }));

const fieldMapMessage: Message = (name, _value, issue) => {
  const key = issue.path[0];
  if (issue.code === 'unrecognized_keys')
    return `${name}: unknown key "${issue.keys[0]}"; known keys: ${FIELD_MAP_KEYS.join(', ')}`;
  if (key === 'startTimeOffset') return `${name}: startTimeOffset must look like "-05:00" or "+01:00"`;
  if (key !== undefined) return `${name}: "${String(key)}" must name a parameter`;
  if (issue.code === 'custom')
    return `${name} must be a JSON object such as {"callId":"CallID","startTime":"CallDate"}`;
  return `${name} must be a JSON object mapping our field names to your parameter names`;
};

const region = z
  .string()
  .toUpperCase()
  .refine((code) => (getCountries() as string[]).includes(code))
  .transform((code) => code as CountryCode);

export const vendorSettings = envSchema(
  {
    PHONE_DEFAULT_REGION: setting(
      region,
      DEFAULT_VENDOR_OPTIONS.phoneRegion,
      (name, value) =>
        `${name} must be a two-letter country code such as US or GB, got "${value.toUpperCase()}"`,
    ),
    CTM_SIGNATURE_WINDOW_SECONDS: setting(
      integer(1, 3600),
      DEFAULT_VENDOR_OPTIONS.ctmClockWindowSeconds,
      (name) => `${name} must be a whole number of seconds from 1 to 3600`,
    ),
    CALL_TASK_OWNER_ID: matching(
      /^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
      null,
      (name, value) => `${name} must be a User id (15 or 18 characters starting with 005), got "${value}"`,
    ),
    VISITOR_ID_KEY: text(DEFAULT_VENDOR_OPTIONS.visitorIdKey),
    DIALOGTECH_FIELD_MAP: setting(fieldMap, DEFAULT_FIELD_MAP, fieldMapMessage),
    GENERIC_FIELD_MAP: setting(fieldMap, DEFAULT_FIELD_MAP, fieldMapMessage),
  },
  (s): VendorSettings => ({
    vendors: {
      phoneRegion: s.PHONE_DEFAULT_REGION,
      ctmClockWindowSeconds: s.CTM_SIGNATURE_WINDOW_SECONDS,
      visitorIdKey: s.VISITOR_ID_KEY,
      dialogtechFieldMap: s.DIALOGTECH_FIELD_MAP,
      genericFieldMap: s.GENERIC_FIELD_MAP,
      callTaskOwnerId: s.CALL_TASK_OWNER_ID,
    },
  }),
);
