import { HOUR_MS, MINUTE_MS } from './time';
import type { WebSession } from './types';

export interface JoinOptions {
  /** R5: a call merges when it comes at most this long after the session's last activity. */
  windowMs: number;
  /** R5: clock-skew tolerance: a call may come this long before the session's first event. */
  skewBeforeStartMs: number;
  /** Longest session the sessionizer produces (R4 24 h cap); bounds the backward scan. */
  maxSessionMs: number;
}

export const DEFAULT_JOIN_OPTIONS: Readonly<JoinOptions> = Object.freeze({
  windowMs: 30 * MINUTE_MS,
  skewBeforeStartMs: 2 * MINUTE_MS,
  maxSessionMs: 24 * HOUR_MS,
});

/** Where a call fell relative to the visitor's sessions. Indexes refer to the sorted session list. */
export type CallMatch =
  | { kind: 'merged'; index: number }
  | {
      kind: 'standalone';
      /** The session whose window the call missed by the least, or null when the visitor has none. */
      nearest: { index: number; side: 'before' | 'after'; missedByMs: number } | null;
    };

/**
 * R5: the session whose window contains the call time t:
 * startedAt − skew ≤ t ≤ lastActivityAt + window; if several match, the latest-starting wins.
 * `sessions` must be ordered by startedAt. O(log n): binary search, then a short backward scan
 * bounded by the 24 h session cap.
 */
export function matchCall(
  sessions: readonly WebSession[],
  t: number,
  o: JoinOptions = DEFAULT_JOIN_OPTIONS,
): CallMatch {
  // hi = first session starting (with skew) after t.
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sessions[mid].startedAt - o.skewBeforeStartMs <= t) lo = mid + 1;
    else hi = mid;
  }
  const oldestStart = t - o.maxSessionMs - o.windowMs;
  for (let i = hi - 1; i >= 0 && sessions[i].startedAt >= oldestStart; i--) {
    if (t <= sessions[i].lastActivityAt + o.windowMs) return { kind: 'merged', index: i };
  }
  // Standalone (R8): nearest session before (window end) or after (start) the call.
  let nearest: { index: number; side: 'before' | 'after'; missedByMs: number } | null = null;
  let best = -1;
  for (let i = hi - 1; i >= 0 && i >= hi - 4; i--) {
    const end = sessions[i].lastActivityAt + o.windowMs;
    if (best < 0 || end > sessions[best].lastActivityAt + o.windowMs) best = i;
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
