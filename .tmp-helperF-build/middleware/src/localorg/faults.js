"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Faults = exports.NO_FAULTS = void 0;
exports.parseFaults = parseFaults;
exports.NO_FAULTS = {
    errorRate503: 0,
    requestLimitExceeded: false,
    lockRowRate: 0,
    expireSessionOnce: false,
    latencyMs: 0,
    seed: 1,
};
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** Reject anything that is not a FaultConfig field of the right type and range. */
function parseFaults(input) {
    if (!input || typeof input !== 'object' || Array.isArray(input))
        throw new Error('body must be a JSON object');
    const out = {};
    for (const [k, v] of Object.entries(input)) {
        switch (k) {
            case 'errorRate503':
            case 'lockRowRate':
                if (typeof v !== 'number' || v < 0 || v > 1)
                    throw new Error(`${k} must be a number from 0 to 1`);
                out[k] = v;
                break;
            case 'latencyMs':
            case 'seed':
                if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
                    throw new Error(`${k} must be a whole number >= 0`);
                out[k] = v;
                break;
            case 'requestLimitExceeded':
            case 'expireSessionOnce':
                if (typeof v !== 'boolean')
                    throw new Error(`${k} must be true or false`);
                out[k] = v;
                break;
            default:
                throw new Error(`unknown fault "${k}" (known: ${Object.keys(exports.NO_FAULTS).join(', ')})`);
        }
    }
    return out;
}
class Faults {
    config = { ...exports.NO_FAULTS };
    random = mulberry32(exports.NO_FAULTS.seed);
    get current() {
        return { ...this.config };
    }
    set(f) {
        this.config = { ...this.config, ...f };
        // Restart the sequence on every change so the same settings give the same failures.
        this.random = mulberry32(this.config.seed);
    }
    clear() {
        this.config = { ...exports.NO_FAULTS };
        this.random = mulberry32(exports.NO_FAULTS.seed);
    }
    chance(rate) {
        return rate > 0 && this.random() < rate;
    }
    /** True once after expireSessionOnce was set. */
    takeSessionExpiry() {
        if (!this.config.expireSessionOnce)
            return false;
        this.config.expireSessionOnce = false;
        return true;
    }
}
exports.Faults = Faults;
//# sourceMappingURL=faults.js.map