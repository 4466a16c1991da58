import { readFileSync } from 'node:fs';
import { UserError } from '../../user-error';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  bizibleIdOf,
  DEFAULT_BIZIBLE_ID_FIELD,
  defaultChannelRules,
  EventLinesError,
  isoInstantField,
  listProblems,
  parseChannelSheet,
  parseEventLines,
  parseNdjson,
  planJoin,
  sessionize,
  ChannelSheetError,
  type ChannelRules,
  type JoinPlan,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../domain';
import { readSetting, readSettings } from '../../env-setting';
import { bizibleIdSettings, taskField } from '../../salesforce/config';
import { reportingErrors } from '../errors';

/**
 * `simulate`: runs the join engine offline over NDJSON files and prints, one JSON object per line,
 * exactly the records that would be written to Salesforce (sessions, touchpoints, Task updates).
 */

const optionalIso = (field: string) => isoInstantField(field).nullable().optional();

function taskLine(bizibleIdField: string) {
  return z.looseObject({
    Id: z
      .string({ error: 'Id must be the Task id (a string)' })
      .min(15, 'Id must be a 15- or 18-character Salesforce id'),
    CreatedDate: isoInstantField('CreatedDate'),
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

/** A zod schema as a line parser for parseNdjson: the value, or the first problem's message. */
function withSchema<T>(schema: z.ZodType<T>): (value: object) => T | string {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : parsed.error.issues[0].message;
  };
}

/** Pure run over file contents (the command reads the files; tests call this directly). */
export function simulate(input: SimulateInput): SimulateResult {
  const field = input.bizibleIdField ?? DEFAULT_BIZIBLE_ID_FIELD;
  const errors: string[] = [];
  let events: TrackedEvent[] = [];
  try {
    events = parseEventLines(input.events.text, input.events.name);
  } catch (err) {
    if (!(err instanceof EventLinesError)) throw err;
    errors.push(...err.problems);
  }
  const tasks = parseNdjson(input.tasks.text, input.tasks.name, withSchema(taskLine(field)));
  errors.push(...tasks.problems);
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
  if (errors.length > 0 || rules === null) return { ok: false, errors: listProblems(errors) };

  // Like `join`: only visitors with a Task (a call) are planned. A visitor who only filled in a form
  // is not a call touchpoint and is not written (docs/join-rules.md, "Which visitors are written").
  const callers = new Set(
    (tasks.values as TaskRecord[]).map((t) => bizibleIdOf(t, field)).filter((v): v is string => !!v),
  );
  const sessionsByVisitor = new Map<string, WebSession[]>();
  for (const s of sessionize(events.filter((e) => callers.has(e.visitorId)))) {
    const list = sessionsByVisitor.get(s.visitorId);
    if (list) list.push(s);
    else sessionsByVisitor.set(s.visitorId, [s]);
  }
  const plan = planJoin({
    tasks: tasks.values as TaskRecord[],
    sessionsByVisitor,
    rules,
    bizibleIdField: field,
  });
  const lines = [...plan.webSessions, ...plan.touchpoints, ...plan.tasks].map((r) => JSON.stringify(r));
  return { ok: true, plan, lines };
}

function readInput(path: string, flag: string): { name: string; text: string } {
  try {
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new UserError(
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
    .option('--channels <file>', 'channel rules CSV (Marketo Measure layout); default: the built-in sheet')
    .option(
      '--bizible-id-field <name>',
      'Task field holding the BizibleId (R1), e.g. bizible2__BizibleId__c',
      DEFAULT_BIZIBLE_ID_FIELD,
    )
    .action(
      reportingErrors('simulate', (opts: SimulateFlags, command: Command) => {
        // Without the flag, the field comes from the configuration (BIZIBLE_ID_FIELD), as for join and
        // serve; the flag is checked by the same schema, its message naming the flag.
        const bizibleIdField =
          command.getOptionValueSource('bizibleIdField') === 'default'
            ? readSettings(bizibleIdSettings, process.env).bizibleIdField
            : readSetting(taskField, '--bizible-id-field', opts.bizibleIdField);
        const result = simulate({
          events: readInput(opts.events, '--events'),
          tasks: readInput(opts.tasks, '--tasks'),
          channels: opts.channels ? readInput(opts.channels, '--channels') : undefined,
          bizibleIdField,
        });
        if (!result.ok) throw new UserError(result.errors.join('\n'));
        process.stdout.write(result.lines.length ? result.lines.join('\n') + '\n' : '');
      }),
    );
}

interface SimulateFlags {
  events: string;
  tasks: string;
  channels?: string;
  bizibleIdField: string;
}
