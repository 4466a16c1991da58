"use strict";
/** Small numeric helpers shared by the benchmark scripts. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = void 0;
exports.percentile = percentile;
exports.mean = mean;
exports.round = round;
/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
function percentile(samples, p) {
    if (samples.length === 0)
        return NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function mean(samples) {
    return samples.length === 0 ? NaN : samples.reduce((s, x) => s + x, 0) / samples.length;
}
/** Rounds for display and JSON: keeps 3 significant decimals without trailing noise. */
function round(value, digits = 1) {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.sleep = sleep;
//# sourceMappingURL=stats.js.map