import { createHash } from 'node:crypto';
import type { TrackedEvent } from './types';

/**
 * Deterministic id for an event the client sent without one: a hash of its content, so a retried
 * delivery of the same event is recognised as a duplicate (idempotent ingest, R11).
 */
export function eventIdFor(e: Omit<TrackedEvent, 'eventId'>): string {
  const content = JSON.stringify([
    e.type,
    e.visitorId,
    e.url,
    e.referrer ?? null,
    e.receivedAt,
    e.clientTime ?? null,
    e.email ?? null,
  ]);
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

/** Deterministic Web_Session__c.Session_Key__c from the visitor and the session's first event. */
export function sessionKeyFor(visitorId: string, firstEventId: string): string {
  return 'ws_' + createHash('sha256').update(`${visitorId}\u0001${firstEventId}`).digest('hex').slice(0, 32);
}
