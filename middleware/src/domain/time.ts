/** Small time helpers shared by the domain. All instants are UTC epoch milliseconds (R3). */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO 8601 instant as Salesforce REST returns it (`2026-03-10T13:07:00.000+0000`) or
 * with `Z` / `+hh:mm`. A date-time without an offset is rejected: it would be local wall-clock
 * time, which R3 forbids. Returns null for anything else.
 */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on toISOString writes a six-digit year. */
const YEAR_10000_MS = 253402300800000;
const DAY_CACHE_MAX = 4096;
const dayText = new Map<number, string>();

/** `2026-03-10` (UTC). Cached per day: the records of one run share a few hundred days at most. */
export function dayUtc(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = dayText.get(day);
  if (text === undefined) {
    if (dayText.size >= DAY_CACHE_MAX) dayText.clear();
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayText.set(day, text);
  }
  return text;
}

/** Same UTC day (the detail sentences add the date only when the session lies on another day). */
export function sameDayUtc(a: number, b: number): boolean {
  return Math.floor(a / DAY_MS) === Math.floor(b / DAY_MS);
}

const HYPHEN = 45;
const T = 84;
const COLON = 58;
const DOT = 46;
const Z = 90;
const digit = (n: number) => 48 + n;

/**
 * `2026-03-10T13:07:00.000Z` — the form we write to Salesforce, the same text as toISOString.
 * The planner writes hundreds of thousands of these per run, so the text is built from character
 * codes into one flat string: a third of the cost of toISOString, and unlike a template literal
 * (a rope of small strings until something reads it) one object to keep per instant.
 */
export function isoInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= YEAR_10000_MS) return new Date(ms).toISOString();
  const date = dayUtc(ms);
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const h = Math.floor(inDay / HOUR_MS);
  const mi = Math.floor(inDay / MINUTE_MS) % 60;
  const s = Math.floor(inDay / 1000) % 60;
  const milli = inDay % 1000;
  // prettier-ignore
  return String.fromCharCode(
    date.charCodeAt(0), date.charCodeAt(1), date.charCodeAt(2), date.charCodeAt(3), HYPHEN,
    date.charCodeAt(5), date.charCodeAt(6), HYPHEN, date.charCodeAt(8), date.charCodeAt(9),
    T, digit(Math.floor(h / 10)), digit(h % 10),
    COLON, digit(Math.floor(mi / 10)), digit(mi % 10),
    COLON, digit(Math.floor(s / 10)), digit(s % 10),
    DOT, digit(Math.floor(milli / 100)), digit(Math.floor(milli / 10) % 10), digit(milli % 10), Z,
  );
}

/** `13:07 UTC` */
export function clockUtc(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= YEAR_10000_MS) return `${isoInstant(ms).slice(11, 16)} UTC`;
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const h = Math.floor(inDay / HOUR_MS);
  const mi = Math.floor(inDay / MINUTE_MS) % 60;
  return `${h < 10 ? '0' : ''}${h}:${mi < 10 ? '0' : ''}${mi} UTC`;
}

/** A duration a person reads: `45 s`, `18 min`, `2 h 5 min`, `3 days`. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return `${Math.round(abs / 1000)} s`;
  const minutes = Math.round(abs / MINUTE_MS);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}
