import { z } from 'zod';
import {
  isoInstantField,
  opportunityInputs,
  parseNdjson,
  planOpportunity,
  type ContactFacts,
  type ContactRoleFacts,
  type LeadConversion,
  type OpportunityFacts,
  type OpportunityMapping,
  type OpportunityPlan,
  type TouchpointRecord,
} from '../domain';
import { opportunityRowFacts, type OpportunityRow } from '../join/opportunity-read';
import { plannedTouchpoints } from '../join/opportunity-step';

/**
 * The Opportunity part of `simulate` (R13–R17): the Opportunities, Contacts and Leads the join would
 * read from the org, given as NDJSON in the shape the REST API answers its queries
 * (join/opportunity-read.ts), planned exactly as a first `join --once` plans them — the same row
 * reading (opportunityRowFacts), the call touchpoints of the run's plan as the Opportunity read sees
 * them (plannedTouchpoints), opportunityInputs and planOpportunity.
 */

export interface InputFile {
  name: string;
  text: string;
}

export interface OpportunityFiles {
  /** `SELECT Id, AccountId, Amount, CloseDate, IsClosed, CreatedDate, (SELECT ContactId, IsPrimary FROM OpportunityContactRoles) FROM Opportunity` rows. */
  opportunities: InputFile;
  /** `SELECT Id, AccountId FROM Contact` rows: a Contact absent here is a deleted one (R13). */
  contacts: InputFile;
  /** `SELECT Id, IsConverted, ConvertedContactId FROM Lead` rows (R14); optional. */
  leads?: InputFile;
}

/** What the join reads for the Opportunities, before the touchpoints (those come from the call plan). */
export interface OpportunityFileReads {
  opportunities: OpportunityFacts[];
  contactRoles: Map<string, ContactRoleFacts[]>;
  contacts: ContactFacts[];
  conversions: LeadConversion[];
}

const idField = (field: string, what: string) =>
  z
    .string({ error: `${field} must be the ${what} id (a string)` })
    .min(15, `${field} must be a 15- or 18-character Salesforce id`);
const optionalId = (field: string, what: string) =>
  z
    .string({ error: `${field} must be the ${what} id (a string) or null` })
    .min(15, `${field} must be a 15- or 18-character Salesforce id`)
    .nullable()
    .optional();

const OpportunityLine = z.looseObject({
  Id: idField('Id', 'Opportunity'),
  AccountId: optionalId('AccountId', 'Account'),
  Amount: z.number({ error: 'Amount must be a number or null' }).nullable().optional(),
  CloseDate: z
    .string({ error: 'CloseDate must be a date YYYY-MM-DD or null' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'CloseDate must be a date YYYY-MM-DD, e.g. 2026-03-20')
    .nullable()
    .optional(),
  IsClosed: z.boolean({ error: 'IsClosed must be true (won or lost) or false (open)' }),
  CreatedDate: isoInstantField('CreatedDate'),
  OpportunityContactRoles: z
    .object(
      {
        records: z.array(
          z.looseObject({
            ContactId: idField('OpportunityContactRoles ContactId', 'Contact'),
            IsPrimary: z.boolean({ error: 'OpportunityContactRoles IsPrimary must be true or false' }),
          }),
          { error: 'OpportunityContactRoles.records must be an array of contact roles' },
        ),
      },
      {
        error:
          'OpportunityContactRoles must be {"records": [...]} (as the REST API nests a subquery) or null',
      },
    )
    .nullable()
    .optional(),
});

const ContactLine = z.looseObject({
  Id: idField('Id', 'Contact'),
  AccountId: optionalId('AccountId', 'Account'),
});

const LeadLine = z.looseObject({
  Id: idField('Id', 'Lead'),
  IsConverted: z.boolean({ error: 'IsConverted must be true or false' }),
  ConvertedContactId: optionalId('ConvertedContactId', 'Contact'),
});

function withSchema<T>(schema: z.ZodType<T>): (value: object) => T | string {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : parsed.error.issues[0].message;
  };
}

/** The three files read, or every bad line (`FILE line N: reason`). */
export function readOpportunityFiles(
  files: OpportunityFiles,
): { ok: true; reads: OpportunityFileReads } | { ok: false; problems: string[] } {
  const opps = parseNdjson(files.opportunities.text, files.opportunities.name, withSchema(OpportunityLine));
  const contacts = parseNdjson(files.contacts.text, files.contacts.name, withSchema(ContactLine));
  const leads = files.leads
    ? parseNdjson(files.leads.text, files.leads.name, withSchema(LeadLine))
    : { values: [], problems: [] };
  const problems = [...opps.problems, ...contacts.problems, ...leads.problems];
  if (problems.length > 0) return { ok: false, problems };
  const rows = opps.values.map((r) => opportunityRowFacts(r as OpportunityRow));
  return {
    ok: true,
    reads: {
      opportunities: rows.map((r) => r.facts),
      contactRoles: new Map(rows.map((r) => [r.facts.id, r.roles])),
      contacts: contacts.values.map((c) => ({ id: c.Id, accountId: c.AccountId ?? null })),
      conversions: leads.values.flatMap((l) =>
        l.IsConverted && l.ConvertedContactId ? [{ leadId: l.Id, contactId: l.ConvertedContactId }] : [],
      ),
    },
  };
}

/** R14: Lead Id → converted Contact Id, for planJoin (as the join passes its kept conversions). */
export function conversionsOf(reads: OpportunityFileReads): Map<string, string> {
  return new Map(reads.conversions.map((c) => [c.leadId, c.contactId]));
}

/** Every Opportunity planned against the call touchpoints of the plan (R13–R17). */
export function planFileOpportunities(
  reads: OpportunityFileReads,
  touchpoints: readonly TouchpointRecord[],
  mapping: OpportunityMapping,
): OpportunityPlan[] {
  return opportunityInputs({ ...reads, touchpoints: plannedTouchpoints(touchpoints) }).map((input) =>
    planOpportunity(input, mapping),
  );
}
