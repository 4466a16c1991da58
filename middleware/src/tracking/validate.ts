import { z } from 'zod';
import { DEFAULT_SESSIONIZE_OPTIONS, eventIdFor, eventTime, type TrackedEvent } from '../domain';
import { safeString } from '../values/safe-string';
import { VISITOR_ID } from './cookie';

/** Limits of one /collect body (the byte limit itself is enforced by the body reader). */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_BATCH = 200;
const MAX_URL = 4096;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function isUrl(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** One event as the snippet (or any client) sends it. Unknown keys are ignored. */
export const collectEventSchema = z.object({
  type: z.enum(['page_view', 'form_submit']),
  visitorId: z.string().regex(VISITOR_ID, 'must be the _biz_uid value: 32 lowercase hex characters'),
  url: safeString().pipe(z.string().max(MAX_URL).refine(isHttpUrl, 'must be an absolute http(s) URL')),
  referrer: safeString()
    .pipe(z.string().max(MAX_URL))
    .refine((v) => v === '' || isUrl(v), 'must be a URL or empty')
    .nullish(),
  clientTime: z.number().int().nonnegative().nullish(),
  email: safeString().pipe(z.string().max(320)).nullish(),
  eventId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -')
    .optional(),
});

export interface RejectedEvent {
  index: number;
  field: string;
  reason: string;
}

export type BatchResult =
  | {
      ok: true;
      events: TrackedEvent[];
      /** indexes[i]: the position of events[i] in the request's list. */
      indexes: number[];
      rejected: RejectedEvent[];
    }
  | { ok: false; error: string };

/**
 * Validates a parsed /collect body `{ "events": [...] }`. Each event is checked on its own: good
 * events are returned (stamped with the server's receive time, R4) even when others are bad.
 * A client time further from receipt than the sessionizer's skew is dropped, the event kept.
 * An email that does not look like one is dropped, the form submit kept.
 */
export function validateBatch(body: unknown, receivedAt: number): BatchResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'body must be a JSON object {"events": [...]}' };
  }
  const list = (body as { events?: unknown }).events;
  if (!Array.isArray(list)) return { ok: false, error: '"events" must be an array of events' };
  if (list.length === 0) return { ok: false, error: '"events" is empty: send at least one event' };
  if (list.length > MAX_EVENTS_PER_BATCH) {
    return {
      ok: false,
      error: `"events" holds ${list.length} events; send at most ${MAX_EVENTS_PER_BATCH} per request`,
    };
  }
  const events: TrackedEvent[] = [];
  const indexes: number[] = [];
  const rejected: RejectedEvent[] = [];
  list.forEach((raw, index) => {
    const parsed = collectEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({
        index,
        field: issue.path.length ? issue.path.join('.') : '(event)',
        reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '),
      });
      return;
    }
    const e = parsed.data;
    const clientTime =
      e.clientTime != null &&
      eventTime(
        { receivedAt, clientTime: e.clientTime } as TrackedEvent,
        DEFAULT_SESSIONIZE_OPTIONS.clientSkewMs,
      ) === e.clientTime
        ? e.clientTime
        : null;
    const event: Omit<TrackedEvent, 'eventId'> = {
      type: e.type,
      visitorId: e.visitorId,
      url: e.url,
      referrer: e.referrer ? e.referrer : null,
      receivedAt,
      clientTime,
      email: e.type === 'form_submit' && e.email && EMAIL.test(e.email.trim()) ? e.email.trim() : null,
    };
    events.push({ ...event, eventId: e.eventId ?? eventIdFor(event) });
    indexes.push(index);
  });
  return { ok: true, events, indexes, rejected };
}
