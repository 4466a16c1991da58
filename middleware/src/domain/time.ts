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

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayText = '';

/** `2026-03-10` (UTC). Cached per day: records of one run mostly share a few days. */
export function dayUtc(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  return cachedDayText;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** `2026-03-10T13:07:00.000Z` — the form we write to Salesforce (same text as toISOString). */
export function isoInstant(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
  const h = Math.floor(inDay / 3_600_000);
  const mi = Math.floor(inDay / 60_000) % 60;
  const s = Math.floor(inDay / 1000) % 60;
  const milli = inDay % 1000;
  return `${dayUtc(ms)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** `13:07 UTC` */
export function clockUtc(ms: number): string {
  return `${isoInstant(ms).slice(11, 16)} UTC`;
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
