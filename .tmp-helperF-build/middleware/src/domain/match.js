"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_JOIN_OPTIONS = void 0;
exports.matchCall = matchCall;
const time_1 = require("./time");
exports.DEFAULT_JOIN_OPTIONS = Object.freeze({
    windowMs: 30 * time_1.MINUTE_MS,
    skewBeforeStartMs: 2 * time_1.MINUTE_MS,
    maxSessionMs: 24 * time_1.HOUR_MS,
});
/**
 * R5: the session whose window contains the call time t:
 * startedAt − skew ≤ t ≤ lastActivityAt + window; if several match, the latest-starting wins.
 * `sessions` must be ordered by startedAt. O(log n): binary search, then a short backward scan
 * bounded by the 24 h session cap.
 */
function matchCall(sessions, t, o = exports.DEFAULT_JOIN_OPTIONS) {
    // hi = first session starting (with skew) after t.
    let lo = 0;
    let hi = sessions.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sessions[mid].startedAt - o.skewBeforeStartMs <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    const oldestStart = t - o.maxSessionMs - o.windowMs;
    for (let i = hi - 1; i >= 0 && sessions[i].startedAt >= oldestStart; i--) {
        if (t <= sessions[i].lastActivityAt + o.windowMs)
            return { kind: 'merged', index: i };
    }
    // Standalone (R8): nearest session before (window end) or after (start) the call.
    let nearest = null;
    let best = -1;
    for (let i = hi - 1; i >= 0 && i >= hi - 4; i--) {
        const end = sessions[i].lastActivityAt + o.windowMs;
        if (best < 0 || end > sessions[best].lastActivityAt + o.windowMs)
            best = i;
    }
    if (best >= 0)
        nearest = { index: best, side: 'before', missedByMs: t - (sessions[best].lastActivityAt + o.windowMs) };
    if (hi < sessions.length) {
        const missedBy = sessions[hi].startedAt - t;
        if (nearest === null || missedBy < nearest.missedByMs)
            nearest = { index: hi, side: 'after', missedByMs: missedBy };
    }
    return { kind: 'standalone', nearest };
}
//# sourceMappingURL=match.js.map