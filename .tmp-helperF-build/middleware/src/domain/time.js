"use strict";
/** Small time helpers shared by the domain. All instants are UTC epoch milliseconds (R3). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.HOUR_MS = exports.MINUTE_MS = void 0;
exports.parseInstant = parseInstant;
exports.dayUtc = dayUtc;
exports.isoInstant = isoInstant;
exports.clockUtc = clockUtc;
exports.humanDuration = humanDuration;
exports.MINUTE_MS = 60_000;
exports.HOUR_MS = 60 * exports.MINUTE_MS;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;
/**
 * Parses an ISO 8601 instant as Salesforce REST returns it (`2026-03-10T13:07:00.000+0000`) or
 * with `Z` / `+hh:mm`. A date-time without an offset is rejected: it would be local wall-clock
 * time, which R3 forbids. Returns null for anything else (including impossible dates).
 * Hand-rolled rather than Date.parse: the join parses one per call and this is several times faster.
 */
function parseInstant(value) {
    if (typeof value !== 'string')
        return null;
    const m = INSTANT.exec(value);
    if (!m)
        return null;
    const [year, month, day, hour, minute] = [+m[1], +m[2], +m[3], +m[4], +m[5]];
    const second = m[6] ? +m[6] : 0;
    const ms = m[7] ? Math.floor(+m[7].padEnd(3, '0').slice(0, 3)) : 0;
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        return null;
    let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    if (new Date(Date.UTC(year, month - 1, 1)).getUTCMonth() !== month - 1 || day > daysInMonth(year, month))
        return null;
    if (m[8].toUpperCase() !== 'Z') {
        const offset = (+m[10] * 60 + +m[11]) * 60_000;
        t += m[9] === '+' ? -offset : offset;
    }
    return t;
}
function daysInMonth(year, month) {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayText = '';
/** `2026-03-10` (UTC). Cached per day: records of one run mostly share a few days. */
function dayUtc(ms) {
    const day = Math.floor(ms / DAY_MS);
    if (day !== cachedDay) {
        cachedDay = day;
        cachedDayText = new Date(day * DAY_MS).toISOString().slice(0, 10);
    }
    return cachedDayText;
}
const pad2 = (n) => (n < 10 ? '0' : '') + n;
/** `2026-03-10T13:07:00.000Z` — the form we write to Salesforce (same text as toISOString). */
function isoInstant(ms) {
    if (!Number.isFinite(ms) || ms < 0 || ms >= 253402300800000)
        return new Date(ms).toISOString();
    const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS;
    const h = Math.floor(inDay / 3_600_000);
    const mi = Math.floor(inDay / 60_000) % 60;
    const s = Math.floor(inDay / 1000) % 60;
    const milli = inDay % 1000;
    return `${dayUtc(ms)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
/** `13:07 UTC` */
function clockUtc(ms) {
    return `${isoInstant(ms).slice(11, 16)} UTC`;
}
/** A duration a person reads: `45 s`, `18 min`, `2 h 5 min`, `3 days`. */
function humanDuration(ms) {
    const abs = Math.abs(ms);
    if (abs < exports.MINUTE_MS)
        return `${Math.round(abs / 1000)} s`;
    const minutes = Math.round(abs / exports.MINUTE_MS);
    if (minutes < 120)
        return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48)
        return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
    return `${Math.round(hours / 24)} days`;
}
//# sourceMappingURL=time.js.map