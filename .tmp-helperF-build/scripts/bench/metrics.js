"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metric = metric;
exports.formatNumber = formatNumber;
exports.formatValue = formatValue;
exports.formatTarget = formatTarget;
exports.formatMet = formatMet;
exports.num = num;
exports.obj = obj;
exports.scrape = scrape;
function metric(bench, name, value, unit, bound, target = null, note) {
    const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
    const met = v === null || target === null ? null : target.op === '>=' ? v >= target.value : v <= target.value;
    let missNote = note;
    if (met === false && target) {
        const by = target.op === '>=' ? `${formatNumber(target.value / v)}× short` : `${formatNumber(v / target.value)}× over`;
        missNote = [note, `missed: ${by}`].filter(Boolean).join('; ');
    }
    return { bench, metric: name, value: v, unit, target, met, bound, ...(missNote ? { note: missNote } : {}) };
}
/** Human number: thousands separators, at most 3 significant decimals for small values. */
function formatNumber(v) {
    const abs = Math.abs(v);
    const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
    return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
function formatValue(row) {
    if (row.value === null)
        return '—';
    return row.unit === '×' ? `${formatNumber(row.value)}×` : row.unit === '%' ? `${formatNumber(row.value)} %` : `${formatNumber(row.value)} ${row.unit}`.trim();
}
function formatTarget(row) {
    if (!row.target)
        return '';
    const t = row.target;
    const v = row.unit === '×' ? `${formatNumber(t.value)}×` : `${formatNumber(t.value)} ${row.unit}`.trim();
    return `${t.op === '>=' ? '≥' : '≤'} ${v}`;
}
function formatMet(row) {
    return row.met === null ? (row.target ? 'not measured' : '') : row.met ? 'yes' : 'no';
}
/** The first finite number among dotted paths (`engine.callsPerSec`), or null. */
function num(obj, ...paths) {
    for (const p of paths) {
        let cur = obj;
        for (const key of p.split('.')) {
            cur = cur && typeof cur === 'object' ? cur[key] : undefined;
        }
        if (typeof cur === 'number' && Number.isFinite(cur))
            return cur;
        if (typeof cur === 'string' && cur.trim() !== '' && Number.isFinite(Number(cur)))
            return Number(cur);
    }
    return null;
}
/** The first object among dotted paths, or null. */
function obj(o, ...paths) {
    for (const p of paths) {
        let cur = o;
        for (const key of p.split('.'))
            cur = cur && typeof cur === 'object' ? cur[key] : undefined;
        if (cur && typeof cur === 'object' && !Array.isArray(cur))
            return cur;
    }
    return null;
}
/** The first number captured by a regex over free text (fallback for scripts without BENCH_RESULT). */
function scrape(text, re) {
    const m = re.exec(text);
    if (!m)
        return null;
    const v = Number(m[1].replace(/[,_\s]/g, ''));
    return Number.isFinite(v) ? v : null;
}
//# sourceMappingURL=metrics.js.map