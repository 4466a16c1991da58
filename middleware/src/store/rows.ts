import type { TrackedEvent, WebSession } from '../domain/types';
import type { OutboxItem } from './types';

/** Row ↔ shape mapping shared by both dialects (PostgreSQL BIGINTs arrive as strings). */

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

export interface EventRow {
  event_id: string;
  visitor_id: string;
  type: string;
  url: string;
  referrer: string | null;
  received_at: number | string;
  client_time: number | string | null;
  email: string | null;
}

export function eventFromRow(r: EventRow): TrackedEvent {
  return {
    eventId: r.event_id,
    type: r.type as TrackedEvent['type'],
    visitorId: r.visitor_id,
    url: r.url,
    referrer: r.referrer,
    receivedAt: num(r.received_at),
    clientTime: numOrNull(r.client_time),
    email: r.email,
  };
}

/** Column values in the order of the INSERT statements. */
export function eventValues(
  e: TrackedEvent,
): [string, string, string, string, string | null, number, number | null, string | null] {
  return [
    e.eventId,
    e.visitorId,
    e.type,
    e.url,
    e.referrer ?? null,
    e.receivedAt,
    e.clientTime ?? null,
    e.email ?? null,
  ];
}

export function sessionFromBody(body: string): WebSession {
  return JSON.parse(body) as WebSession;
}

export interface OutboxRow {
  id: number | string;
  kind: string;
  key: string;
  payload: string;
  attempts: number | string;
  next_attempt_at: number | string;
  last_error: string | null;
  created_at: number | string;
}

export function outboxFromRow(r: OutboxRow): OutboxItem {
  return {
    id: num(r.id),
    kind: r.kind,
    key: r.key,
    payload: r.payload,
    attempts: num(r.attempts),
    nextAttemptAt: num(r.next_attempt_at),
    lastError: r.last_error,
    createdAt: num(r.created_at),
  };
}
