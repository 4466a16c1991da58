import { planOpportunity, type OpportunityPlan } from '../../src/domain';
import type {
  OpportunityFacts,
  OpportunityInput,
  PersonTouchpoint,
} from '../../src/domain/opportunity-input';

/** Test builders for the Opportunity attribution (R13–R17): readable days, Salesforce-shaped Ids. */

export const ACCOUNT = '001000000000001AAA';
export const OTHER_ACCOUNT = '001000000000002AAA';
export const OPP = '006000000000001AAA';
export const contactId = (n: number) => `003${String(n).padStart(12, '0')}AAA`;
export const leadId = (n: number) => `00Q${String(n).padStart(12, '0')}AAA`;

/** `2026-03-<day>T<hh>:00Z` in epoch ms. */
export const day = (d: number, hour = 12) => Date.UTC(2026, 2, d, hour);

export function opportunity(over: Partial<OpportunityFacts> = {}): OpportunityFacts {
  return {
    id: OPP,
    accountId: ACCOUNT,
    amount: 100_000,
    createdAt: day(10),
    closeDate: null,
    isClosed: false,
    ...over,
  };
}

export function touchpoint(
  key: string,
  date: number,
  person: { contact?: string; lead?: string },
  personPosition: string | null = null,
  type = 'Web Visit',
  channel = 'Paid Search',
): PersonTouchpoint {
  return {
    key,
    leadId: person.lead ?? null,
    contactId: person.contact ?? null,
    date,
    personPosition,
    type,
    channel,
  };
}

/** An Opportunity on ACCOUNT whose Contacts 1–9 belong to ACCOUNT. */
export function input(over: Partial<OpportunityInput> = {}): OpportunityInput {
  return {
    opportunity: opportunity(),
    contactRoles: [],
    contacts: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ id: contactId(n), accountId: ACCOUNT })),
    conversions: [],
    touchpoints: [],
    ...over,
  };
}

/** The plan of an Opportunity on ACCOUNT (mapping `account`) with these facts and touchpoints. */
export function planAccount(
  opp: Partial<OpportunityFacts>,
  touchpoints: PersonTouchpoint[],
): OpportunityPlan {
  return planOpportunity(input({ opportunity: opportunity(opp), touchpoints }), 'account');
}
