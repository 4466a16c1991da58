import type {
  ContactFacts,
  ContactRoleFacts,
  LeadConversion,
  OpportunityFacts,
  OpportunityInput,
  PersonTouchpoint,
} from './opportunity-input';
import { conversionMap } from './opportunity-touchpoints';

/**
 * From what the join read for many Opportunities at once (rows of several queries) to one
 * OpportunityInput per Opportunity (opportunity-input.ts), pure. Also the rule that lets a visitor's
 * web touchpoints reach the person of its calls: a touchpoint naming nobody (a web visit, a form fill
 * without a Task) belongs to the person of the latest touchpoint of the same BizibleId that names one
 * (Marketo Measure ties a person's anonymous touches to them once the cookie is known).
 */

/** A Touchpoint__c as read, with its visitor (BizibleId__c). */
export interface ReadTouchpoint extends PersonTouchpoint {
  visitorId: string | null;
}

export interface OpportunityReads {
  opportunities: OpportunityFacts[];
  /** Opportunity Id → its contact roles. */
  contactRoles: ReadonlyMap<string, ContactRoleFacts[]>;
  /** Contacts that exist (a deleted one is absent). */
  contacts: ContactFacts[];
  conversions: LeadConversion[];
  touchpoints: ReadTouchpoint[];
}

/**
 * Touchpoints naming no Lead or Contact take the person of their visitor's latest touchpoint that names
 * one (in date order, then key); a visitor naming nobody leaves them as they are.
 */
export function withVisitorPeople(touchpoints: readonly ReadTouchpoint[]): ReadTouchpoint[] {
  const person = new Map<
    string,
    { at: number; key: string; leadId: string | null; contactId: string | null }
  >();
  for (const tp of touchpoints) {
    if (!tp.visitorId || (!tp.leadId && !tp.contactId)) continue;
    const cur = person.get(tp.visitorId);
    if (!cur || tp.date > cur.at || (tp.date === cur.at && tp.key > cur.key))
      person.set(tp.visitorId, { at: tp.date, key: tp.key, leadId: tp.leadId, contactId: tp.contactId });
  }
  return touchpoints.map((tp) => {
    if (tp.leadId || tp.contactId || !tp.visitorId) return tp;
    const p = person.get(tp.visitorId);
    return p ? { ...tp, leadId: p.leadId, contactId: p.contactId } : tp;
  });
}

/** One input per Opportunity, in the order read: only the Contacts and touchpoints that can reach it. */
export function opportunityInputs(reads: OpportunityReads): OpportunityInput[] {
  const converted = conversionMap(reads.conversions);
  const people = withVisitorPeople(reads.touchpoints);
  const byContact = new Map<string, PersonTouchpoint[]>();
  for (const tp of people) {
    const contactId = tp.contactId ?? (tp.leadId ? converted.get(tp.leadId) : undefined);
    if (!contactId) continue;
    const { visitorId: _v, ...plain } = tp as ReadTouchpoint;
    byContact.set(contactId, [...(byContact.get(contactId) ?? []), plain]);
  }
  const contactsByAccount = new Map<string, ContactFacts[]>();
  for (const c of reads.contacts)
    if (c.accountId) contactsByAccount.set(c.accountId, [...(contactsByAccount.get(c.accountId) ?? []), c]);
  const contactById = new Map(reads.contacts.map((c) => [c.id, c]));

  return reads.opportunities.map((opportunity) => {
    const contactRoles = reads.contactRoles.get(opportunity.id) ?? [];
    const contacts = new Map<string, ContactFacts>();
    for (const c of opportunity.accountId ? (contactsByAccount.get(opportunity.accountId) ?? []) : [])
      contacts.set(c.id, c);
    for (const r of contactRoles) {
      const c = contactById.get(r.contactId);
      if (c) contacts.set(c.id, c);
    }
    const touchpoints = [...contacts.keys()].flatMap((id) => byContact.get(id) ?? []);
    const leads = new Set(touchpoints.flatMap((tp) => (tp.leadId ? [tp.leadId] : [])));
    return {
      opportunity,
      contactRoles,
      contacts: [...contacts.values()],
      conversions: reads.conversions.filter((c) => leads.has(c.leadId)),
      touchpoints,
    };
  });
}
