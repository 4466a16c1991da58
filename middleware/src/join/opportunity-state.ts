import type { KeyValueState } from '../store/types';

/**
 * What the join keeps between runs about Opportunities, in the store's key/value state (no org request):
 *  - the SystemModstamp up to which the org's Opportunity, contact role, Lead, Contact and touchpoint
 *    changes were seen (opportunity-changes.ts);
 *  - Lead conversions (Lead Id → converted Contact Id, R14), so every plan of a converted Lead's calls
 *    names the Contact (planJoin's `conversions`) without asking the org each time;
 *  - which Opportunities each Contact reaches (the last plan's mapped Contacts), so a changed touchpoint
 *    re-plans only its person's Opportunities, and a caller on no Opportunity costs no request.
 * The per-Opportunity records last written are in the join ledger (`opp:<Id>` entries, diff.ts).
 */

const WATERMARK = 'opportunity.watermark';
const CONVERSIONS = 'opportunity.conversions';
const PEOPLE = 'opportunity.people';

export class OpportunityState {
  constructor(private readonly store: KeyValueState) {}

  watermark(): Promise<string | null> {
    return this.store.getState(WATERMARK);
  }
  setWatermark(iso: string): Promise<void> {
    return this.store.setState(WATERMARK, iso);
  }

  async conversions(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.json<Record<string, string>>(CONVERSIONS)));
  }
  /** Adds conversions; true when any was new. */
  async addConversions(pairs: Iterable<{ leadId: string; contactId: string }>): Promise<boolean> {
    const all = await this.json<Record<string, string>>(CONVERSIONS);
    let changed = false;
    for (const { leadId, contactId } of pairs)
      if (all[leadId] !== contactId) {
        all[leadId] = contactId;
        changed = true;
      }
    if (changed) await this.store.setState(CONVERSIONS, JSON.stringify(all));
    return changed;
  }

  /** Opportunities these Contacts reached in their last plans. */
  async opportunitiesOf(contactIds: Iterable<string>): Promise<Set<string>> {
    const people = await this.json<Record<string, string[]>>(PEOPLE);
    const out = new Set<string>();
    for (const c of contactIds) for (const o of people[c] ?? []) out.add(o);
    return out;
  }
  /** After planning these Opportunities: each one's Contacts now (replacing what was kept for it). */
  async setPeople(contactsByOpportunity: ReadonlyMap<string, readonly string[]>): Promise<void> {
    if (contactsByOpportunity.size === 0) return;
    const people = await this.json<Record<string, string[]>>(PEOPLE);
    for (const [c, opps] of Object.entries(people)) {
      const left = opps.filter((o) => !contactsByOpportunity.has(o));
      if (left.length) people[c] = left;
      else delete people[c];
    }
    for (const [o, contacts] of contactsByOpportunity)
      for (const c of contacts) people[c] = [...(people[c] ?? []), o].sort();
    await this.store.setState(PEOPLE, JSON.stringify(people));
  }

  private async json<T extends object>(key: string): Promise<T> {
    const raw = await this.store.getState(key);
    return (raw ? JSON.parse(raw) : {}) as T;
  }
}
