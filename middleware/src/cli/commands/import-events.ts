import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { eventIdFor, parseInstant, type TrackedEvent } from '../../domain';
import { createLogger } from '../../log';
import { createStore } from '../../store';

/**
 * `import-events FILE.ndjson`: loads tracked events (the same lines `simulate --events` reads)
 * into the store, where `join` finds the sessions. Until the tracking snippet feeds the store,
 * this is how sessions get there. Idempotent: events are stored by eventId (derived from the
 * content when a line has none), so importing a file twice adds nothing.
 *
 * TODO(domain): simulate.ts parses the same line format with a private schema; once the domain
 * exports its event-line parser this file should use it instead of lineToEvent below.
 */

const BATCH = 1000;
const MAX_ERRORS = 20;

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    return /^https?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** One NDJSON line → event, or the reason it is rejected (names the field and the fix). */
export function lineToEvent(value: unknown): TrackedEvent | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected one JSON object per line';
  const l = value as Record<string, unknown>;
  if (l.type !== 'page_view' && l.type !== 'form_submit') return 'type must be "page_view" or "form_submit"';
  if (typeof l.visitorId !== 'string' || l.visitorId.trim() === '')
    return 'visitorId must be a non-empty string (the _biz_uid cookie value)';
  if (!isHttpUrl(l.url)) return 'url must be an absolute http(s) URL, e.g. https://www.example.com/pricing';
  if (l.referrer !== undefined && l.referrer !== null && typeof l.referrer !== 'string')
    return 'referrer must be a string or null';
  const receivedAt = parseInstant(l.receivedAt);
  if (receivedAt === null)
    return 'receivedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z';
  let clientTime: number | null = null;
  if (l.clientTime !== undefined && l.clientTime !== null) {
    clientTime = parseInstant(l.clientTime);
    if (clientTime === null) return 'clientTime must be an ISO 8601 date-time with a time zone, or null';
  }
  if (l.email !== undefined && l.email !== null && typeof l.email !== 'string')
    return 'email must be a string or null';
  if (l.eventId !== undefined && (typeof l.eventId !== 'string' || l.eventId === ''))
    return 'eventId must be a non-empty string';
  const e: Omit<TrackedEvent, 'eventId'> = {
    type: l.type,
    visitorId: l.visitorId.trim().toLowerCase(),
    url: l.url,
    referrer: (l.referrer as string | null | undefined) ?? null,
    receivedAt,
    clientTime,
    email: (l.email as string | null | undefined) ?? null,
  };
  return { ...e, eventId: (l.eventId as string | undefined) ?? eventIdFor(e) };
}

export function register(program: Command): void {
  program
    .command('import-events')
    .description(
      'Load tracked events from an NDJSON file (the lines `simulate --events` reads) into the store, so\n' +
        '`join` finds their sessions. Re-importing the same file adds nothing.',
    )
    .argument('<file>', 'NDJSON: one {"type","visitorId","url","referrer","receivedAt",...} object per line')
    .action(async (file: string) => {
      if (!fs.existsSync(file)) {
        process.stderr.write(
          `import-events: ${file}: no such file (give the path of an NDJSON events file)\n`,
        );
        process.exitCode = 1;
        return;
      }
      // Validate the whole file first: nothing half-imported.
      const events: TrackedEvent[] = [];
      const errors: string[] = [];
      const lines = readline.createInterface({
        input: fs.createReadStream(file, 'utf8'),
        crlfDelay: Infinity,
      });
      let n = 0;
      for await (const raw of lines) {
        n++;
        const line = raw.trim();
        if (line === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          errors.push(`${file} line ${n}: not valid JSON (${(err as Error).message})`);
          continue;
        }
        const e = lineToEvent(value);
        if (typeof e === 'string') errors.push(`${file} line ${n}: ${e}`);
        else events.push(e);
      }
      if (errors.length > 0) {
        const shown = errors.slice(0, MAX_ERRORS);
        if (errors.length > shown.length) shown.push(`... and ${errors.length - shown.length} more problems`);
        process.stderr.write(`${shown.join('\n')}\nNothing imported.\n`);
        process.exitCode = 1;
        return;
      }
      const config = loadConfig();
      const store = await createStore({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        logger: createLogger({ level: 'warn' }),
      });
      try {
        let inserted = 0;
        let duplicates = 0;
        const visitors = new Set<string>();
        for (let i = 0; i < events.length; i += BATCH) {
          const r = await store.appendEvents(events.slice(i, i + BATCH));
          inserted += r.inserted;
          duplicates += r.duplicates;
          for (const v of r.visitorsTouched) visitors.add(v);
        }
        process.stdout.write(
          `Imported ${inserted} event(s) into ${store.description} (${duplicates} already there), ${visitors.size} visitor(s) re-sessionized.\n`,
        );
      } finally {
        await store.close();
      }
    });
}
