/**
 * Field values: coercion of API input (JSON) into stored values and formatting them back the way
 * the REST API does. Stored forms: datetime = epoch milliseconds, date = "YYYY-MM-DD", numbers,
 * booleans and strings as themselves, null for empty.
 */
import { SfError } from './errors';
import type { FieldDef } from './schema';
import { toId18 } from './ids';

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch ms for an ISO-8601 date-time (Z, ±hh:mm or ±hhmm offsets; no zone = GMT), or null. */
export function parseDateTime(text: string): number | null {
  const m = DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.slice(0, 3).padEnd(3, '0')));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    ms -= sign * offsetMin * 60_000;
  }
  const check = new Date(ms);
  return Number.isNaN(check.getTime()) || +mo > 12 || +d > 31 ? null : ms;
}

/** `2026-03-10T13:07:00.000+0000`, as the REST API prints date-times. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return formatDate(ms) === `${m[1]}-${m[2]}-${m[3]}` ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

const NUMERIC = new Set(['double', 'int', 'percent', 'currency']);
const TEXT = new Set([
  'string',
  'textarea',
  'combobox',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
]);

export const isNumericField = (f: FieldDef): boolean => NUMERIC.has(f.type);
export const isTextField = (f: FieldDef): boolean => TEXT.has(f.type);

function jsonError(f: FieldDef, value: unknown, type: string): SfError {
  return new SfError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${String(value)} or request may be missing a required field`,
    [f.name],
  );
}

/**
 * Coerce one input value for field f. Reference ids are normalized to 18 characters; whether the
 * referenced record exists is checked by the caller (it knows the data).
 */
export function coerceInput(f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return null;
  if (TEXT.has(f.type)) {
    if (typeof value === 'object') throw jsonError(f, JSON.stringify(value), 'string');
    const text = String(value);
    if (text.length > f.length) {
      throw new SfError(
        400,
        'STRING_TOO_LONG',
        `${f.label}: data value too large: ${text.slice(0, 80)} (max length=${f.length})`,
        [f.name],
      );
    }
    if (f.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
      throw new SfError(400, 'INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, [f.name]);
    }
    if (f.restrictedPicklist && !f.picklistValues.some((p) => p.value === text)) {
      throw new SfError(
        400,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${f.label}: bad value for restricted picklist field: ${text}`,
        [f.name],
      );
    }
    return text;
  }
  switch (f.type) {
    case 'datetime': {
      const ms = typeof value === 'number' ? value : parseDateTime(String(value));
      if (ms === null) throw jsonError(f, value, 'datetime');
      return ms;
    }
    case 'date': {
      const d = parseDate(String(value));
      if (d === null) throw jsonError(f, value, 'date');
      return d;
    }
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw jsonError(f, value, 'boolean');
    case 'double':
    case 'percent':
    case 'currency':
    case 'int': {
      const n = typeof value === 'number' ? value : Number(String(value));
      if (!Number.isFinite(n) || typeof value === 'boolean')
        throw jsonError(f, value, f.type === 'int' ? 'int' : 'double');
      return f.type === 'int' ? Math.trunc(n) : n;
    }
    case 'reference':
    case 'id': {
      const id = typeof value === 'string' ? toId18(value) : null;
      if (!id)
        throw new SfError(400, 'MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(value)}`, [
          f.name,
        ]);
      return id;
    }
    default:
      return value;
  }
}

/**
 * A compound address field (BillingAddress, MailingAddress, Lead's Address…) is not stored: it reads its
 * component fields and answers them as one structured value, or null when all are empty — Object
 * Reference / SOAP API Developer Guide, "Address Compound Fields" (read-only; street, city, state,
 * postalCode, country, latitude, longitude, geocodeAccuracy).
 */
function compoundAddress(f: FieldDef, rec: Record<string, unknown>): Record<string, unknown> | null {
  const prefix = f.name.replace(/Address$/, '');
  const part = (name: string) => (rec[`${prefix}${name}`] ?? null) as unknown;
  const value = {
    city: part('City'),
    country: part('Country'),
    geocodeAccuracy: part('GeocodeAccuracy'),
    latitude: part('Latitude'),
    longitude: part('Longitude'),
    postalCode: part('PostalCode'),
    state: part('State'),
    street: part('Street'),
  };
  return Object.values(value).some((v) => v !== null) ? value : null;
}

/** Stored value → REST JSON value (rec: the whole record, which compound fields read). */
export function formatOutput(f: FieldDef, value: unknown, rec?: Record<string, unknown>): unknown {
  if (f.type === 'address') return rec ? compoundAddress(f, rec) : null;
  if (value === null || value === undefined) return null;
  if (f.type === 'datetime') return formatDateTime(value as number);
  return value;
}
