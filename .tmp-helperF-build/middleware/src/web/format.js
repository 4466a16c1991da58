"use strict";
/** Display formats shared by the app's pages. All times are shown in UTC (R3: UTC instants). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatInstant = formatInstant;
exports.formatPercent = formatPercent;
exports.formatMinutes = formatMinutes;
function formatInstant(iso) {
    if (!iso)
        return '—';
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms))
        return iso;
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
function formatPercent(value) {
    if (value === null || value === undefined || !Number.isFinite(value))
        return '—';
    return `${Math.round(value * 10) / 10}%`;
}
function formatMinutes(minutes) {
    if (minutes === null)
        return '';
    if (minutes === 1)
        return '1 minute later';
    return `${minutes} minutes later`;
}
//# sourceMappingURL=format.js.map