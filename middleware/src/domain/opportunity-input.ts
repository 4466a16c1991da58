/**
 * What the Opportunity attribution (R13–R17, docs/join-rules.md) reads: plain facts of one Opportunity,
 * its contact roles, the Contacts the mapping may name, Lead conversions, and the people's touchpoints
 * (Touchpoint__c). Times are UTC epoch milliseconds; the join reads these from Salesforce and calls
 * planOpportunity (opportunity-plan.ts) once per Opportunity.
 */

/** `OPPORTUNITY_MAPPING`: which people's touchpoints reach an Opportunity (R13). */
export const OPPORTUNITY_MAPPINGS = ['account', 'contact-roles', 'primary-contact-role'] as const;
export type OpportunityMapping = (typeof OPPORTUNITY_MAPPINGS)[number];
/** As Marketo Measure: the touchpoints of the Contacts of the Opportunity's Account. */
export const DEFAULT_OPPORTUNITY_MAPPING: OpportunityMapping = 'account';

export interface OpportunityFacts {
  /** Opportunity Id (18 characters). */
  id: string;
  accountId: string | null;
  /** Opportunity.Amount; null when empty. */
  amount: number | null;
  /** Opportunity.CreatedDate (R15: OC). */
  createdAt: number;
  /** Opportunity.CloseDate, `YYYY-MM-DD` (a date without time zone; read as UTC, R13). */
  closeDate: string | null;
  /** Opportunity.IsClosed: won or lost. */
  isClosed: boolean;
}

export interface ContactRoleFacts {
  contactId: string;
  isPrimary: boolean;
}

export interface ContactFacts {
  id: string;
  accountId: string | null;
}

/** A Lead converted by `convertLead`: Lead.ConvertedContactId (R14). */
export interface LeadConversion {
  leadId: string;
  contactId: string;
}

/** A person's touchpoint (Touchpoint__c) as the Opportunity attribution needs it. */
export interface PersonTouchpoint {
  /** Touchpoint__c.Touchpoint_Key__c. */
  key: string;
  leadId: string | null;
  contactId: string | null;
  /** Touchpoint__c.Touchpoint_Date__c. */
  date: number;
  /** Touchpoint__c.Position__c: the person's positions (R9), e.g. `FT, LC`, `PostLC`. */
  personPosition: string | null;
  channel: string | null;
  type: string;
}

export interface OpportunityInput {
  opportunity: OpportunityFacts;
  /** OpportunityContactRoles of this Opportunity (read for the `contact-roles` mappings). */
  contactRoles: ContactRoleFacts[];
  /**
   * Contacts the mapping may name, with their Account: the Account's Contacts and the roles' Contacts.
   * A deleted Contact is absent (R13: its role is skipped with a note).
   */
  contacts: ContactFacts[];
  conversions: LeadConversion[];
  /** Touchpoints of those Contacts and of Leads converted to them; others are ignored. */
  touchpoints: PersonTouchpoint[];
}
