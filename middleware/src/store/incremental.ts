import { extendSession, sessionize } from '../domain';
import type { TrackedEvent, WebSession } from '../domain/types';

/**
 * Incremental sessionization (R4), shared by both store implementations.
 *
 * The sessionizer is a left-to-right scan whose state resets at every session start: a session
 * starts after a 30-minute gap, on a channel/source change, or at the 24 h split, and none of those
 * depend on events that come later. So when new events arrive for a visitor, every stored session
 * that starts strictly before the earliest new event, except the last such one, is final. We
 * re-sessionize from the start of that last one ("restart session"): its events, the events of all
 * later sessions, and the new events; then replace those sessions in one transaction. An open
 * session's events extend it; a late event re-sessionizes only the affected tail. The store test
 * suite checks that this equals sessionizing the visitor's whole history in any arrival order.
 */

/** Earliest instant an event can sort at, whichever clock the sessionizer uses (R4 skew rule). */
export function earliestInstant(e: TrackedEvent): number {
  return e.clientTime == null ? e.receivedAt : Math.min(e.receivedAt, e.clientTime);
}

/** Drops repeated eventIds inside one batch (first wins) and groups the rest by visitor. */
export function groupByVisitor(events: readonly TrackedEvent[]): Map<string, TrackedEvent[]> {
  const seen = new Set<string>();
  const byVisitor = new Map<string, TrackedEvent[]>();
  for (const e of events) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    const list = byVisitor.get(e.visitorId);
    if (list) list.push(e);
    else byVisitor.set(e.visitorId, [e]);
  }
  return byVisitor;
}

/** The bound below which stored sessions are final: the earliest new event's instant. */
export function restartBound(newEvents: readonly TrackedEvent[]): number {
  let min = Infinity; // a loop, not Math.min(...): an import may bring 100k+ events at once
  for (const e of newEvents) min = Math.min(min, earliestInstant(e));
  return min;
}

/** Event ids held by the sessions that will be replaced. */
export function eventIdsOf(sessions: readonly WebSession[]): string[] {
  return sessions.flatMap((s) => s.eventIds);
}

/** New sessions for the tail: stored tail events plus the new ones, sessionized together. */
export function resessionizeTail(storedTailEvents: TrackedEvent[], newEvents: TrackedEvent[]): WebSession[] {
  return sessionize([...storedTailEvents, ...newEvents]);
}

/**
 * The fast path (R4): when every new event sorts after the last event of the visitor's last stored
 * session — the common case, a visitor browsing on — that session is extended from its stored
 * summary (domain `extendSession`); its events are not read back and their URLs not parsed again,
 * so sessionizing costs per new event, not per event of the open session. `tail` is the visitor's
 * unsealed sessions from the restart session on (it always holds the last one). Returns the one
 * session to replace and what replaces it, or null: then the caller re-sessionizes the whole tail
 * from its events (resessionizeTail). Both give the same sessions (the store test suite).
 */
export function extendTail(
  tail: readonly WebSession[],
  newEvents: readonly TrackedEvent[],
): { replaced: WebSession; next: WebSession[] } | null {
  let last: WebSession | undefined;
  for (const s of tail) if (!last || endsAfter(s, last)) last = s;
  if (!last) return null;
  const next = extendSession(last, newEvents);
  return next ? { replaced: last, next } : null;
}

/** True when session a's last event sorts after b's (by instant, then event id, as sessionize sorts). */
function endsAfter(a: WebSession, b: WebSession): boolean {
  if (a.lastActivityAt !== b.lastActivityAt) return a.lastActivityAt > b.lastActivityAt;
  return (a.eventIds[a.eventIds.length - 1] ?? '') > (b.eventIds[b.eventIds.length - 1] ?? '');
}

/** A session whose events retention deleted: its summary, kept for the join (Store.pruneExpired). */
export function sealedSummary(session: WebSession): WebSession {
  return { ...session, eventIds: [] };
}
