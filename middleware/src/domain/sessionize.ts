import { arrivalSignature, isExternalArrival, parseArrival } from './arrival';
import { sessionKeyFor } from './event-id';
import { HOUR_MS, MINUTE_MS } from './time';
import type { ArrivalAttributes, TrackedEvent, WebSession } from './types';

export interface SessionizeOptions {
  /** R4: a session ends after this long without a page view or form submit. */
  inactivityMs: number;
  /** R4: sessions longer than this are split. */
  maxSessionMs: number;
  /**
   * R4: a client timestamp is used as the event's time only when it lies within this distance
   * before the server receive time (events queued by the browser and sent in one batch);
   * otherwise receivedAt is used.
   */
  clientSkewMs: number;
}

export const DEFAULT_SESSIONIZE_OPTIONS: Readonly<SessionizeOptions> = Object.freeze({
  inactivityMs: 30 * MINUTE_MS,
  maxSessionMs: 24 * HOUR_MS,
  clientSkewMs: 5 * MINUTE_MS,
});

/**
 * The instant an event is sessionized on (R4): the server receive time, or the client time when
 * it is at most `clientSkewMs` earlier than receipt. A client time after receipt (fast clock) or
 * further back (wrong clock) is ignored. The error this admits is bounded by the skew.
 */
export function eventTime(e: TrackedEvent, clientSkewMs: number): number {
  const c = e.clientTime;
  if (typeof c === 'number' && Number.isFinite(c) && c <= e.receivedAt && e.receivedAt - c <= clientSkewMs)
    return c;
  return e.receivedAt;
}

interface Timed {
  at: number;
  e: TrackedEvent;
}

/**
 * Splits events into web sessions (R4). Events may belong to several visitors and come in any
 * order: they are sorted by (event time, eventId), so the result does not depend on input order.
 *
 * A new session starts when
 *  - the visitor was inactive for more than 30 minutes,
 *  - the session would exceed 24 h,
 *  - or the visitor arrives from a different external source: another referrer domain, another
 *    UTM set or another click id. A Direct arrival (no external referrer, no campaign, no click
 *    id) and internal navigation never break a session.
 *
 * Session key = hash(visitorId, first event id): stable across re-runs. Trade-off: an event that
 * arrives late but happened before a session's first event (or bridges two sessions) changes the
 * key; the writer then replaces the old record (the plan is complete per visitor, see planJoin).
 *
 * O(n log n) in the number of events; the store calls it on a visitor's full history.
 */
export function sessionize(events: readonly TrackedEvent[], opts?: Partial<SessionizeOptions>): WebSession[] {
  const o: SessionizeOptions = { ...DEFAULT_SESSIONIZE_OPTIONS, ...opts };
  const sessions: WebSession[] = [];
  scan(sortedTimed(events, o), o, { current: null, signature: '', lastEventId: '' }, sessions);
  return sessions;
}

/**
 * Continues a visitor's last session with new events (R4), without its stored events: the scan's
 * state at the end of a session is the session itself (its last activity, its start for the 24 h
 * split, the external source it arrived with, its last event id), so when every new event sorts
 * after the session's last event, `sessionize(session's events + new events)` is that session
 * extended, then any sessions the new events start. Returns those sessions (the first one keeps
 * the session's key), or null when a new event sorts at or before the session's last event or
 * belongs to another visitor: then the caller re-sessionizes the tail from its events.
 * The store test suite checks that both ways give the same sessions (incremental.ts).
 */
export function extendSession(
  last: WebSession,
  events: readonly TrackedEvent[],
  opts?: Partial<SessionizeOptions>,
): WebSession[] | null {
  const lastEventId = last.eventIds[last.eventIds.length - 1];
  if (lastEventId === undefined) return null; // a sealed summary (retention): nothing to continue
  const o: SessionizeOptions = { ...DEFAULT_SESSIONIZE_OPTIONS, ...opts };
  const timed = sortedTimed(events, o);
  for (const { e } of timed) if (e.visitorId !== last.visitorId) return null;
  if (timed.length > 0) {
    const first = timed[0];
    if (
      first.at < last.lastActivityAt ||
      (first.at === last.lastActivityAt && first.e.eventId <= lastEventId)
    )
      return null;
  }
  const current: WebSession = { ...last, forms: [...last.forms], eventIds: [...last.eventIds] };
  const signature = isExternalArrival(last) ? arrivalSignature(last) : '';
  const sessions: WebSession[] = [current];
  scan(timed, o, { current, signature, lastEventId }, sessions);
  return sessions;
}

/** Events with their sessionizing instant, sorted by (visitor, instant, eventId): order-independent. */
function sortedTimed(events: readonly TrackedEvent[], o: SessionizeOptions): Timed[] {
  const timed: Timed[] = events.map((e) => ({ at: eventTime(e, o.clientSkewMs), e }));
  timed.sort((a, b) =>
    a.e.visitorId < b.e.visitorId
      ? -1
      : a.e.visitorId > b.e.visitorId
        ? 1
        : a.at - b.at || cmp(a.e.eventId, b.e.eventId),
  );
  return timed;
}

interface ScanState {
  current: WebSession | null;
  /** The current session's external source (arrivalSignature), '' for a Direct arrival. */
  signature: string;
  lastEventId: string;
}

/** The left-to-right scan of R4 over sorted events; appends the sessions it starts to `sessions`. */
function scan(timed: readonly Timed[], o: SessionizeOptions, state: ScanState, sessions: WebSession[]): void {
  let { current, signature, lastEventId } = state;
  for (const { at, e } of timed) {
    if (current && current.visitorId === e.visitorId && e.eventId === lastEventId) continue; // duplicate delivery
    lastEventId = e.eventId;
    const arrival = parseArrival(e.url, e.referrer);
    const external = isExternalArrival(arrival);
    const sig = external ? arrivalSignature(arrival) : '';
    const startsNew =
      current === null ||
      current.visitorId !== e.visitorId ||
      at - current.lastActivityAt > o.inactivityMs ||
      at - current.startedAt >= o.maxSessionMs ||
      (external && sig !== signature);
    if (startsNew) {
      current = newSession(e, at, arrival);
      signature = sig;
      sessions.push(current);
    }
    const s = current as WebSession;
    s.lastActivityAt = at;
    s.eventIds.push(e.eventId);
    if (e.type === 'form_submit') {
      s.formSubmits++;
      s.forms.push({ at, url: e.url, email: e.email ?? null });
    } else {
      s.pageViews++;
    }
  }
}

function newSession(first: TrackedEvent, at: number, arrival: ArrivalAttributes): WebSession {
  return {
    ...arrival,
    sessionKey: sessionKeyFor(first.visitorId, first.eventId),
    visitorId: first.visitorId,
    startedAt: at,
    lastActivityAt: at,
    pageViews: 0,
    formSubmits: 0,
    forms: [],
    eventIds: [],
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
