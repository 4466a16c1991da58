import { z } from 'zod';
import { eventIdFor } from './event-id';
import { parseInstant } from './time';
import type { TrackedEvent } from './types';

/**
 * The NDJSON event-line format that `simulate --events` and `import-events` read: one
 * `{"type","visitorId","url","referrer","receivedAt",...}` object per line. Pure: text in, events
 * out; a bad file is rejected as a whole, naming each bad line and what to fix.
 */

/** At most this many problems are listed in an error message (the rest are counted). */
export const MAX_REPORTED_PROBLEMS = 20;

const isoMessage = (field: string) =>
  `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z`;
/** A UTC instant as an ISO 8601 string with an offset (R3: never local wall-clock time). */
export const isoInstantField = (field: string) =>
  z.string({ error: isoMessage(field) }).refine((v) => parseInstant(v) !== null, isoMessage(field));

function isAbsoluteHttpUrl(v: string): boolean {
  try {
    return /^https?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}

const EventLine = z.object({
  type: z.enum(['page_view', 'form_submit'], { error: 'type must be "page_view" or "form_submit"' }),
  visitorId: z
    .string({ error: 'visitorId must be a string (the _biz_uid cookie value)' })
    .trim()
    .min(1, 'visitorId must not be empty (the _biz_uid cookie value)'),
  url: z
    .string({ error: 'url must be a string' })
    .refine(isAbsoluteHttpUrl, 'url must be an absolute http(s) URL, e.g. https://www.example.com/pricing'),
  referrer: z.string({ error: 'referrer must be a string or null' }).nullable().optional(),
  receivedAt: isoInstantField('receivedAt'),
  clientTime: isoInstantField('clientTime').nullable().optional(),
  email: z.string({ error: 'email must be a string or null' }).nullable().optional(),
  eventId: z.string({ error: 'eventId must be a string' }).min(1, 'eventId must not be empty').optional(),
});

/** One parsed JSON value → event, or the reason it is rejected (names the field and the fix). */
export function parseEventLine(value: unknown): TrackedEvent | string {
  const parsed = EventLine.safeParse(value);
  if (!parsed.success) return parsed.error.issues[0].message;
  const l = parsed.data;
  const e: Omit<TrackedEvent, 'eventId'> = {
    type: l.type,
    visitorId: l.visitorId.toLowerCase(), // the _biz_uid cookie is lower-case hex
    url: l.url,
    referrer: l.referrer ?? null,
    receivedAt: parseInstant(l.receivedAt) as number,
    clientTime: l.clientTime ? parseInstant(l.clientTime) : null,
    email: l.email ?? null,
  };
  // Idempotent ingest (R11): a line without an id gets one derived from its content.
  return { ...e, eventId: l.eventId ?? eventIdFor(e) };
}

/**
 * Splits NDJSON text into lines and parses each JSON object with `parseLine`. Blank lines are
 * skipped; problems are `FILE line N: reason` (line numbers count from 1, blank lines included).
 */
export function parseNdjson<T>(
  text: string,
  fileLabel: string,
  parseLine: (value: object) => T | string,
): { values: T[]; problems: string[] } {
  const values: T[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push(`${fileLabel} line ${i + 1}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${fileLabel} line ${i + 1}: expected one JSON object per line`);
      continue;
    }
    const parsed = parseLine(value);
    if (typeof parsed === 'string') problems.push(`${fileLabel} line ${i + 1}: ${parsed}`);
    else values.push(parsed);
  }
  return { values, problems };
}

/** Problems lines for a message: the first MAX_REPORTED_PROBLEMS, then how many more there are. */
export function listProblems(problems: readonly string[]): string[] {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more problems`);
  return shown;
}

/** An event file with bad lines; `problems` has every one (`FILE line N: reason`). */
export class EventLinesError extends Error {
  constructor(readonly problems: string[]) {
    super(listProblems(problems).join('\n'));
    this.name = 'EventLinesError';
  }
}

/**
 * All events of an NDJSON file, or an EventLinesError listing every bad line (nothing half-read).
 * `fileLabel` names the file in the messages.
 */
export function parseEventLines(text: string, fileLabel: string): TrackedEvent[] {
  const { values, problems } = parseNdjson(text, fileLabel, parseEventLine);
  if (problems.length > 0) throw new EventLinesError(problems);
  return values;
}
