import type { CountryCode } from 'libphonenumber-js';
import { VISITOR_ID } from '../tracking/cookie';
import { PayloadError, type VendorName } from './normalized-call';
import { toE164 } from './phone';
import { ownValue, parseJson } from '../prototype-keys';
import { SALESFORCE_INT_MAX, inSalesforceDateRange } from '../values/salesforce-ranges';

/**
 * Readers shared by the vendor adapters: each takes the decoded payload (JSON object or form/query
 * fields) and either returns a clean value or throws PayloadError naming the field. Pure, no I/O.
 */

export type Fields = Record<string, unknown>;

/** The visitor cookie's name: the key vendors capture it under unless configured otherwise. */
export const BIZ_UID = '_biz_uid';

export function text(f: Fields, key: string): string | null {
  const v = ownValue(f, key);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

export function firstText(f: Fields, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = text(f, k);
    if (v !== null) return v;
  }
  return null;
}

export function requiredText(f: Fields, key: string): string {
  const v = text(f, key);
  if (v === null) throw new PayloadError(key, 'is required');
  return v;
}

/** Whole seconds from a number or a numeric string ("13"); null when absent. */
export function seconds(f: Fields, key: string): number | null {
  const v = ownValue(f, key);
  if (v === undefined || v === null || v === '') return null;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0)
    throw new PayloadError(key, `must be a number of seconds, got ${JSON.stringify(v).slice(0, 100)}`);
  // Task.CallDurationInSeconds is a Salesforce int (values/salesforce-ranges.ts).
  if (Math.round(n) > SALESFORCE_INT_MAX)
    throw new PayloadError(key, `must be at most ${SALESFORCE_INT_MAX} seconds (a Salesforce int), got ${n}`);
  return Math.round(n);
}

export function bool(f: Fields, key: string): boolean | null {
  const v = ownValue(f, key);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'y'].includes(t)) return true;
    if (['false', '0', 'no', 'n', ''].includes(t)) return false;
  }
  if (typeof v === 'number') return v !== 0;
  return null;
}

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A start time as a UTC instant (R3). Accepts ISO-8601 with an offset or Z, "YYYY-MM-DD HH:MM[:SS]
 * [AM|PM] ±HH:MM" (CTM, Invoca local forms), and Unix seconds or milliseconds. A wall-clock time without
 * an offset is refused unless the caller supplies the offset to assume (a configured field map).
 */
export function instant(value: unknown, field: string, assumeOffset?: string | null): string {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d{9,13}\s*$/.test(value))) {
    const n = Number(value);
    const ms = n >= 1e12 ? n : n * 1000;
    // Unix time before 2001 or past 2100 is a unit mix-up, not a call.
    if (!(ms >= 978_307_200_000 && ms < 4_102_444_800_000)) {
      throw new PayloadError(field, `is not a plausible Unix time: ${JSON.stringify(value)}`);
    }
    return new Date(ms).toISOString();
  }
  if (typeof value !== 'string' || value.trim() === '') throw new PayloadError(field, 'is required');
  let t = value.trim();
  // "2016-07-12 09:44 AM -04:00" → 24h clock.
  const ampm = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)\s*(.*)$/i.exec(t);
  if (ampm) {
    let h = Number(ampm[2]) % 12;
    if (ampm[5].toUpperCase() === 'PM') h += 12;
    t = `${ampm[1]}T${String(h).padStart(2, '0')}:${ampm[3]}:${ampm[4] ?? '00'}${ampm[6].trim()}`;
  }
  t = t.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2').replace(/\s+(?=[+-]\d{2}:?\d{2}$|Z$)/i, '');
  if (!HAS_OFFSET.test(t)) {
    if (!assumeOffset) {
      throw new PayloadError(field, `must carry a UTC offset or be Unix time, got ${JSON.stringify(value)}`);
    }
    t += assumeOffset;
  }
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (!Number.isFinite(ms))
    throw new PayloadError(field, `is not a date-time: ${JSON.stringify(value).slice(0, 100)}`);
  if (!inSalesforceDateRange(ms))
    throw new PayloadError(field, 'must be between 1700-01-01 and 4000-12-31 (the dates Salesforce accepts)');
  return new Date(ms).toISOString();
}

/** Vendor call ids become part of a REST URL and an external id: keep them to a safe character set. */
export function namespacedId(vendor: VendorName, raw: string, field: string): string {
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(raw)) {
    throw new PayloadError(field, 'must be 1-200 letters, digits, dot, dash, underscore or colon');
  }
  return `${vendor}:${raw}`;
}

export function phone(f: Fields, keys: readonly string[], region: CountryCode): string | null {
  for (const k of keys) {
    const v = toE164(ownValue(f, k), region);
    if (v) return v;
  }
  return null;
}

/**
 * The `_biz_uid` value wherever a vendor carried it: the bare value, an object ({_biz_uid: …}), a
 * JSON string of one, or a query-string-like "a=1&_biz_uid=…". Returns the raw candidate (not yet
 * validated) or null when the key is absent.
 */
export function findVisitorValue(value: unknown, key: string = BIZ_UID): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const inner = ownValue(value as Fields, key);
    return inner === undefined || inner === null ? null : String(inner).trim() || null;
  }
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (t === '') return null;
  if (t.startsWith('{')) {
    try {
      return findVisitorValue(parseJson(t), key);
    } catch {
      return null;
    }
  }
  if (t.includes('=')) {
    const params = new URLSearchParams(t.replace(/[;,]\s*/g, '&'));
    const v = params.get(key);
    return v === null ? null : v.trim() || null;
  }
  return t;
}

/**
 * Validates a visitor id (32 hex, case-folded). A malformed value is dropped with a note: the call
 * still counts, its Task just gets no BizibleId and later shows "Missing BizibleId" (R2).
 */
export function visitorId(candidate: string | null, field: string, notes: string[]): string | null {
  if (candidate === null) return null;
  const v = candidate.toLowerCase();
  if (VISITOR_ID.test(v)) return v;
  notes.push(
    `${field}: dropped malformed visitor id ${JSON.stringify(candidate.slice(0, 64))} (expected 32 hex)`,
  );
  return null;
}

/**
 * The visitor id a vendor captured: under `key` inside its custom-data field `container` (an object or
 * a string, see findVisitorValue), else in a top-level field named `key`; validated as visitorId does.
 */
export function capturedVisitorId(f: Fields, container: string, key: string, notes: string[]): string | null {
  return visitorId(
    findVisitorValue(ownValue(f, container), key) ?? findVisitorValue(ownValue(f, key)),
    container,
    notes,
  );
}

/** Maps a vendor's call status words onto answered / missed / voicemail. */
export function outcomeFromStatus(status: string | null): 'answered' | 'missed' | 'voicemail' | null {
  if (!status) return null;
  const s = status.toLowerCase();
  if (s.includes('voicemail') || s.includes('voice mail')) return 'voicemail';
  if (
    /(^|[^a-z])(answered|completed|complete|connected)([^a-z]|$)/.test(s) &&
    !/no[\s_-]?answer|unanswered/.test(s)
  ) {
    return 'answered';
  }
  if (/missed|no[\s_-]?answer|unanswered|busy|abandon|fail|cancel|hangup|hang-up/.test(s)) return 'missed';
  return null;
}

export function directionFrom(value: string | null, field: string): 'inbound' | 'outbound' {
  if (value === null) return 'inbound';
  const s = value.toLowerCase();
  if (['inbound', 'in', 'incoming'].includes(s)) return 'inbound';
  if (['outbound', 'out', 'outgoing'].includes(s)) return 'outbound';
  throw new PayloadError(field, `must be inbound or outbound, got ${JSON.stringify(value)}`);
}
