import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  DEFAULT_BIZIBLE_ID_FIELD,
  defaultChannelRules,
  eventIdFor,
  parseChannelSheet,
  parseInstant,
  planJoin,
  sessionize,
  ChannelSheetError,
  type ChannelRules,
  type JoinPlan,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../domain';

/**
 * `simulate`: runs the join engine offline over NDJSON files and prints, one JSON object per line,
 * exactly the records that would be written to Salesforce (sessions, touchpoints, Task updates).
 */

const isoMessage = (field: string) =>
  `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z`;
const iso = (field: string) =>
  z.string({ error: isoMessage(field) }).refine((v) => parseInstant(v) !== null, isoMessage(field));
const optionalIso = (field: string) => iso(field).nullable().optional();

function isAbsoluteUrl(v: string): boolean {
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
    .refine(isAbsoluteUrl, 'url must be an absolute http(s) URL, e.g. https://www.example.com/pricing'),
  referrer: z.string({ error: 'referrer must be a string or null' }).nullable().optional(),
  receivedAt: iso('receivedAt'),
  clientTime: optionalIso('clientTime'),
  email: z.string({ error: 'email must be a string or null' }).nullable().optional(),
  eventId: z.string({ error: 'eventId must be a string' }).min(1, 'eventId must not be empty').optional(),
});

function taskLine(bizibleIdField: string) {
  return z.looseObject({
    Id: z
      .string({ error: 'Id must be the Task id (a string)' })
      .min(15, 'Id must be a 15- or 18-character Salesforce id'),
    CreatedDate: iso('CreatedDate'),
    Call_Started_At__c: optionalIso('Call_Started_At__c'),
    SystemModstamp: optionalIso('SystemModstamp'),
    Type: z.string({ error: 'Type must be a string or null' }).nullable().optional(),
    CallDurationInSeconds: z
      .number({ error: 'CallDurationInSeconds must be a number of seconds or null' })
      .nonnegative('CallDurationInSeconds must not be negative')
      .nullable()
      .optional(),
    WhoId: z.string({ error: 'WhoId must be a string or null' }).nullable().optional(),
    [bizibleIdField]: z
      .string({ error: `${bizibleIdField} must be a string or null` })
      .nullable()
      .optional(),
  });
}

export interface SimulateInput {
  events: { name: string; text: string };
  tasks: { name: string; text: string };
  channels?: { name: string; text: string };
  bizibleIdField?: string;
}

export type SimulateResult = { ok: true; plan: JoinPlan; lines: string[] } | { ok: false; errors: string[] };

const MAX_REPORTED_ERRORS = 20;

/** Parses NDJSON text with a zod schema; errors name the file and the line. */
function parseNdjson<T>(name: string, text: string, schema: z.ZodType<T>, errors: string[]): T[] {
  const out: T[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      errors.push(`${name} line ${i + 1}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${name} line ${i + 1}: expected one JSON object per line`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
    else errors.push(`${name} line ${i + 1}: ${parsed.error.issues[0].message}`);
  }
  return out;
}

/** Pure run over file contents (the command reads the files; tests call this directly). */
export function simulate(input: SimulateInput): SimulateResult {
  const field = input.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const errors: string[] = [];
  const eventLines = parseNdjson(input.events.name, input.events.text, EventLine, errors);
  const taskLines = parseNdjson(input.tasks.name, input.tasks.text, taskLine(field), errors);
  let rules: ChannelRules | null = null;
  if (input.channels) {
    try {
      rules = parseChannelSheet(input.channels.text);
    } catch (err) {
      if (!(err instanceof ChannelSheetError)) throw err;
      errors.push(`${input.channels.name}: ${err.message}`);
    }
  } else {
    rules = defaultChannelRules();
  }
  if (errors.length > 0 || rules === null) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    if (errors.length > shown.length) shown.push(`... and ${errors.length - shown.length} more problems`);
    return { ok: false, errors: shown };
  }

  const events: TrackedEvent[] = eventLines.map((l) => {
    const e = {
      type: l.type,
      visitorId: l.visitorId.toLowerCase(),
      url: l.url,
      referrer: l.referrer ?? null,
      receivedAt: parseInstant(l.receivedAt) as number,
      clientTime: l.clientTime ? parseInstant(l.clientTime) : null,
      email: l.email ?? null,
    };
    return { ...e, eventId: l.eventId ?? eventIdFor(e) };
  });
  const sessionsByVisitor = new Map<string, WebSession[]>();
  for (const s of sessionize(events)) {
    const list = sessionsByVisitor.get(s.visitorId);
    if (list) list.push(s);
    else sessionsByVisitor.set(s.visitorId, [s]);
  }
  const plan = planJoin({
    tasks: taskLines as TaskRecord[],
    sessionsByVisitor,
    rules,
    bizibleIdField: field,
  });
  const lines = [...plan.webSessions, ...plan.touchpoints, ...plan.tasks].map((r) => JSON.stringify(r));
  return { ok: true, plan, lines };
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;

function readInput(path: string, flag: string): { name: string; text: string } {
  try {
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new Error(
      `${flag} ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      'Run the join offline: read tracked events and Salesforce Tasks (NDJSON) and print, one JSON object ' +
        'per line, the Web_Session__c, Touchpoint__c and Task records that would be written to Salesforce.',
    )
    .requiredOption(
      '--events <file>',
      'NDJSON of tracked events: {"type","visitorId","url","referrer","receivedAt",...}',
    )
    .requiredOption('--tasks <file>', 'NDJSON of Tasks as the Salesforce REST API returns them')
    .option('--channels <file>', 'channel rules CSV (Marketo-Measure layout); default: the built-in sheet')
    .option(
      '--bizible-id-field <name>',
      'Task field holding the BizibleId (R1), e.g. bizible2__BizibleId__c',
      process.env.BIZIBLE_ID_FIELD || DEFAULT_BIZIBLE_ID_FIELD,
    )
    .action((opts: { events: string; tasks: string; channels?: string; bizibleIdField: string }) => {
      if (!FIELD_NAME.test(opts.bizibleIdField)) {
        process.stderr.write(
          `--bizible-id-field must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "${opts.bizibleIdField}"\n`,
        );
        process.exitCode = 1;
        return;
      }
      const result = simulate({
        events: readInput(opts.events, '--events'),
        tasks: readInput(opts.tasks, '--tasks'),
        channels: opts.channels ? readInput(opts.channels, '--channels') : undefined,
        bizibleIdField: opts.bizibleIdField,
      });
      if (!result.ok) {
        process.stderr.write(result.errors.join('\n') + '\n');
        process.exitCode = 1;
        return;
      }
      process.stdout.write(result.lines.length ? result.lines.join('\n') + '\n' : '');
    });
}
