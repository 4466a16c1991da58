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
  type OpportunityMapping,
  type OpportunityPlan,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../domain';
import { readSetting, readSettings } from '../../env-setting';
import { bizibleIdSettings, taskField } from '../../salesforce/config';
import { opportunityMapping, opportunitySettings } from '../../join/config';
import {
  conversionsOf,
  planFileOpportunities,
  readOpportunityFiles,
  type OpportunityFileReads,
  type OpportunityFiles,
} from '../simulate-opportunities';
import { flagError, reportingErrors } from '../errors';

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
  /** Opportunities, Contacts and Leads (R13–R17): their Opportunity_Touchpoint__c records are printed too. */
  opportunities?: OpportunityFiles & { mapping: OpportunityMapping };
}

export type SimulateResult =
  | { ok: true; plan: JoinPlan; opportunities: OpportunityPlan[]; lines: string[] }
  | { ok: false; errors: string[] };

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
  let oppReads: OpportunityFileReads | null = null;
  if (input.opportunities) {
    const read = readOpportunityFiles(input.opportunities);
    if (read.ok) oppReads = read.reads;
    else errors.push(...read.problems);
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
    // R14: a converted Lead's calls belong to its Contact, as the join plans them.
    conversions: oppReads ? conversionsOf(oppReads) : undefined,
  });
  // As `join --once`: the Opportunities planned against the call touchpoints of this plan, written after them.
  const opportunities =
    oppReads && input.opportunities
      ? planFileOpportunities(oppReads, plan.touchpoints, input.opportunities.mapping)
      : [];
  const lines = [
    ...plan.webSessions,
    ...plan.touchpoints,
    ...plan.tasks,
    ...opportunities.flatMap((p) => p.records),
  ].map((r) => JSON.stringify(r));
  return { ok: true, plan, opportunities, lines };
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
        'per line, the Web_Session__c, Touchpoint__c and Task records that would be written to Salesforce; ' +
        'with --opportunities and --contacts, the Opportunity_Touchpoint__c records too.',
    )
    .requiredOption(
      '--events <file>',
      'NDJSON of tracked events: {"type","visitorId","url","referrer","receivedAt",...}',
    )
    .requiredOption('--tasks <file>', 'NDJSON of Tasks as the Salesforce REST API returns them')
    .option('--channels <file>', 'channel rules CSV (Marketo Measure layout); default: the built-in sheet')
    .option(
      '--opportunities <file>',
      'NDJSON of Opportunities as the REST API returns them: {"Id","AccountId","Amount","CloseDate","IsClosed",' +
        '"CreatedDate","OpportunityContactRoles":{"records":[{"ContactId","IsPrimary"}]}}',
    )
    .option('--contacts <file>', 'NDJSON of Contacts {"Id","AccountId"} (needed with --opportunities)')
    .option(
      '--leads <file>',
      'NDJSON of Leads {"Id","IsConverted","ConvertedContactId"}: converted Leads (R14)',
    )
    .option(
      '--opportunity-mapping <mapping>',
      'account, contact-roles or primary-contact-role (R13); default: OPPORTUNITY_MAPPING, else account',
    )
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
          opportunities: opportunityFlags(opts),
        });
        if (!result.ok) throw new UserError(result.errors.join('\n'));
        process.stdout.write(result.lines.length ? result.lines.join('\n') + '\n' : '');
        // As `join --once` says them: bad Opportunity input, planned as documented (R13, R17).
        for (const n of result.opportunities.flatMap((p) => p.notes))
          process.stderr.write(`note: ${n.message}\n`);
      }),
    );
}

interface SimulateFlags {
  events: string;
  tasks: string;
  channels?: string;
  bizibleIdField: string;
  opportunities?: string;
  contacts?: string;
  leads?: string;
  opportunityMapping?: string;
}

/** The Opportunity files, or none; a flag that needs --opportunities (or that it needs) is refused by name. */
function opportunityFlags(opts: SimulateFlags): SimulateInput['opportunities'] {
  if (!opts.opportunities) {
    const stray = (['contacts', 'leads', 'opportunityMapping'] as const).find((k) => opts[k] !== undefined);
    if (stray)
      throw flagError(
        `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --opportunities <file>: give the Opportunities to plan, or leave it out`,
      );
    return undefined;
  }
  if (!opts.contacts)
    throw flagError(
      '--opportunities needs --contacts <file>: the Contacts ({"Id","AccountId"}) of the Accounts and contact roles; a Contact not in it counts as deleted',
    );
  const mapping =
    opts.opportunityMapping === undefined
      ? readSettings(opportunitySettings, process.env).opportunityMapping
      : readSetting(opportunityMapping, '--opportunity-mapping', opts.opportunityMapping);
  return {
    opportunities: readInput(opts.opportunities, '--opportunities'),
    contacts: readInput(opts.contacts, '--contacts'),
    leads: opts.leads ? readInput(opts.leads, '--leads') : undefined,
    mapping,
  };
}
