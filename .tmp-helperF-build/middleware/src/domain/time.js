"use strict";
/** Small time helpers shared by the domain. All instants are UTC epoch milliseconds (R3). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.HOUR_MS = exports.MINUTE_MS = void 0;
exports.parseInstant = parseInstant;
exports.isoInstant = isoInstant;
exports.clockUtc = clockUtc;
exports.dayUtc = dayUtc;
exports.humanDuration = humanDuration;
exports.MINUTE_MS = 60_000;
exports.HOUR_MS = 60 * exports.MINUTE_MS;
/**
 * Parses an ISO 8601 instant as Salesforce REST returns it (`2026-03-10T13:07:00.000+0000`) or
 * with `Z` / `+hh:mm`. A date-time without an offset is rejected: it would be local wall-clock
 * time, which R3 forbids. Returns null for anything else.
 */
function parseInstant(value) {
    if (typeof value !== 'string')
        return null;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value))
        return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
}
/** `2026-03-10T13:07:00.000Z` — the form we write to Salesforce. */
function isoInstant(ms) {
    return new Date(ms).toISOString();
}
/** `13:07 UTC` */
function clockUtc(ms) {
    return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}
/** `2026-03-10` */
function dayUtc(ms) {
    return new Date(ms).toISOString().slice(0, 10);
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