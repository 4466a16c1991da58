/**
 * The Lead a call from an unknown number creates (R18, `UNKNOWN_CALLER=create-lead`), pure: what it
 * holds, and the stand-in Id it goes by until the org has given it one.
 *
 * A new Lead is created in the same Composite Graph as the call's Task update and touchpoints, so its
 * Id is not known when the join plans: the plan uses a pending Id (`pendingLeadId`, a Lead's key
 * prefix 00Q so Touchpoint__c.Lead__c is filled as for any Lead, R6) that the graph writer replaces by
 * a reference to the Lead's node and the commit by the Id the org answered.
 */

/** 00Q (a Lead's key prefix) + a marker no org-issued Id carries + a counter: 18 characters. */
const PENDING_PREFIX = '00QPENDINGLEAD';

/** The pending Id of the batch's `n`-th new Lead (0 ≤ n < 10,000). */
export function pendingLeadId(n: number): string {
  return `${PENDING_PREFIX}${String(n).padStart(4, '0')}`;
}

export function isPendingLeadId(id: unknown): id is string {
  return typeof id === 'string' && id.length === 18 && id.startsWith(PENDING_PREFIX);
}

export interface CallerLeadFacts {
  /** E.164: the Lead's Phone, so the next call's lookup finds it by SOQL at once. */
  number: string;
  /** The number as people read it, for the placeholder name ("+1 415-555-0101"). */
  displayNumber: string;
  /** The caller's name as the vendor sent it (caller id / CNAM), if any. */
  callerName: string | null;
  /** The vendor's company field for the caller, if any. */
  company: string | null;
  /** Channel__c of the call's touchpoint (R6/R8, R12): the Lead's LeadSource. */
  channel: string | null;
}

/** Salesforce's lengths for the Lead fields we fill (Object Reference, Lead). */
const LENGTHS = { FirstName: 40, LastName: 80, Company: 255, LeadSource: 255 } as const;

/** When the vendor sent no company: Company is required on a Lead. */
export const PLACEHOLDER_COMPANY = 'Unknown (phone caller)';
/** When the channel is unknown: the standard LeadSource value for calls. */
export const DEFAULT_LEAD_SOURCE = 'Phone Inquiry';

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/**
 * R18: LastName (and FirstName) from the vendor's caller name, else `Caller <number>`; Company from
 * the vendor, else `Unknown (phone caller)`; Phone the E.164 number; LeadSource the call's channel,
 * else `Phone Inquiry`. A caller name without letters (the number again) counts as none.
 */
export function callerLeadRecord(f: CallerLeadFacts): Record<string, string> {
  const name = (f.callerName ?? '').trim().replace(/\s+/g, ' ');
  const parts = name && /[a-z]/i.test(name) ? name.split(' ') : [];
  const last = parts.length ? parts[parts.length - 1] : `Caller ${f.displayNumber}`;
  const first = parts.length > 1 ? parts.slice(0, -1).join(' ') : '';
  const rec: Record<string, string> = {
    LastName: cut(last, LENGTHS.LastName),
    Company: cut(f.company?.trim() || PLACEHOLDER_COMPANY, LENGTHS.Company),
    Phone: f.number,
    LeadSource: cut(f.channel?.trim() || DEFAULT_LEAD_SOURCE, LENGTHS.LeadSource),
  };
  if (first) rec.FirstName = cut(first, LENGTHS.FirstName);
  return rec;
}
