import type {
  ContactFacts,
  LeadConversion,
  OpportunityInput,
  OpportunityMapping,
  PersonTouchpoint,
} from './opportunity-input';
import { DAY_MS } from './time';

/**
 * Which touchpoints count for an Opportunity (R13) and whose they are (R14). Pure: the Opportunity's
 * facts in, its counted touchpoints (in time order, each with its Contact) and notes about bad input out.
 */

/** A touchpoint that counts for the Opportunity, with the Contact it belongs to (R14). */
export interface CountedTouchpoint extends PersonTouchpoint {
  personContactId: string;
}

/** Why something was left out: the join logs these; nothing else is held up. */
export interface OpportunityNote {
  code:
    | 'no-account'
    | 'deleted-contact'
    | 'no-primary-contact-role'
    | 'no-close-date'
    | 'no-amount'
    | 'negative-amount';
  message: string;
}

/**
 * R14: a touchpoint belongs to its Contact; a Lead's touchpoint belongs to the Contact the Lead was
 * converted to (Lead.ConvertedContactId), so the converted person's earlier calls reach the
 * Opportunity even before the join has moved the Touchpoint__c to that Contact. An unconverted Lead's
 * touchpoint belongs to no Contact and so to no Opportunity.
 */
export function contactOfTouchpoint(
  tp: Pick<PersonTouchpoint, 'leadId' | 'contactId'>,
  convertedContactOfLead: ReadonlyMap<string, string>,
): string | null {
  if (tp.contactId) return tp.contactId;
  return tp.leadId ? (convertedContactOfLead.get(tp.leadId) ?? null) : null;
}

/** Lead Id → converted Contact Id. */
export function conversionMap(conversions: LeadConversion[]): Map<string, string> {
  return new Map(conversions.map((c) => [c.leadId, c.contactId]));
}

/**
 * R14, the write side: the touchpoints of converted Leads that do not name their Contact yet, with the
 * Contact to set (Touchpoint__c.Contact__c). The join writes these so the person's journey, reports and
 * the Contact's related list follow the conversion.
 */
export function touchpointsToMove(
  touchpoints: PersonTouchpoint[],
  conversions: LeadConversion[],
): { key: string; contactId: string }[] {
  const converted = conversionMap(conversions);
  const moves: { key: string; contactId: string }[] = [];
  for (const tp of touchpoints) {
    if (tp.contactId || !tp.leadId) continue;
    const contactId = converted.get(tp.leadId);
    if (contactId) moves.push({ key: tp.key, contactId });
  }
  return moves;
}

/** The Contacts whose touchpoints reach the Opportunity under the mapping (R13). */
function mappedContacts(
  input: OpportunityInput,
  mapping: OpportunityMapping,
  notes: OpportunityNote[],
): Set<string> {
  const opp = input.opportunity;
  if (mapping === 'account') {
    if (!opp.accountId) {
      notes.push({
        code: 'no-account',
        message:
          `Opportunity ${opp.id} has no Account: with OPPORTUNITY_MAPPING=account it gets no touchpoints. ` +
          'Set its Account, or use contact-roles.',
      });
      return new Set();
    }
    return new Set(input.contacts.filter((c) => c.accountId === opp.accountId).map((c) => c.id));
  }
  const known = new Map<string, ContactFacts>(input.contacts.map((c) => [c.id, c]));
  const roles =
    mapping === 'primary-contact-role' ? input.contactRoles.filter((r) => r.isPrimary) : input.contactRoles;
  if (mapping === 'primary-contact-role' && roles.length === 0) {
    notes.push({
      code: 'no-primary-contact-role',
      message:
        `Opportunity ${opp.id} has no primary contact role: with OPPORTUNITY_MAPPING=primary-contact-role ` +
        'it gets no touchpoints. Mark one contact role as primary.',
    });
  }
  const contacts = new Set<string>();
  for (const role of roles) {
    if (known.has(role.contactId)) contacts.add(role.contactId);
    else
      notes.push({
        code: 'deleted-contact',
        message:
          `Opportunity ${opp.id}: the contact role's Contact ${role.contactId} no longer exists (deleted); ` +
          'its touchpoints are not counted.',
      });
  }
  return contacts;
}

/**
 * First instant after the Opportunity's CloseDate (UTC): a closed Opportunity counts touchpoints dated
 * on or before the end of that day (R13). null when CloseDate is not a valid date.
 */
export function endOfCloseDate(closeDate: string | null): number | null {
  if (closeDate === null || !/^\d{4}-\d{2}-\d{2}$/.test(closeDate)) return null;
  const start = Date.parse(`${closeDate}T00:00:00Z`);
  return Number.isFinite(start) ? start + DAY_MS : null;
}

/** Journey order: date, then key, so ties always come out the same way. */
export const byDateThenKey = (a: PersonTouchpoint, b: PersonTouchpoint): number =>
  a.date - b.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * R13: the touchpoints of the mapped Contacts (R14: a converted Lead's count as its Contact's) that
 * count for the Opportunity — every one while it is open; for a closed one (won or lost) those dated on
 * or before the end of its CloseDate (UTC). In time order, each touchpoint once.
 */
export function countedTouchpoints(
  input: OpportunityInput,
  mapping: OpportunityMapping,
  notes: OpportunityNote[],
): CountedTouchpoint[] {
  const opp = input.opportunity;
  const contacts = mappedContacts(input, mapping, notes);
  let cutoff: number | null = null;
  if (opp.isClosed) {
    cutoff = endOfCloseDate(opp.closeDate);
    if (cutoff === null)
      notes.push({
        code: 'no-close-date',
        message: `Opportunity ${opp.id} is closed but its CloseDate (${String(opp.closeDate)}) is not a date: every touchpoint counts.`,
      });
  }
  const converted = conversionMap(input.conversions);
  const seen = new Set<string>();
  const counted: CountedTouchpoint[] = [];
  for (const tp of input.touchpoints) {
    const personContactId = contactOfTouchpoint(tp, converted);
    if (personContactId === null || !contacts.has(personContactId) || seen.has(tp.key)) continue;
    if (cutoff !== null && tp.date >= cutoff) continue;
    seen.add(tp.key);
    counted.push({ ...tp, personContactId });
  }
  return counted.sort(byDateThenKey);
}
