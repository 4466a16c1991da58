import { pickCaller, pickOutcome, type CallerOutcome } from '../domain';
import { soqlList } from '../salesforce/soql';
import { phoneSpellings } from '../vendors/phone';

/**
 * Which Lead or Contact called: one query per object for any number of caller numbers, pure.
 * A number matches a record whose Phone or MobilePhone is any common spelling of it; one match links
 * the Task (WhoId); of several, R20 picks one (domain/caller-pick.ts: a Contact before a Lead, then the
 * most recently modified); none leaves it to UNKNOWN_CALLER. Converted Leads are skipped (their
 * Contact carries the number on).
 *
 * The statements go in the body of a Composite request (`SalesforcePort.queries`), where the REST
 * URI limit (16,384 bytes) does not apply — Salesforce's own advice for long queries ("Maximum number
 * of rows returned by SOQL queries over the REST API", https://help.salesforce.com/s/articleView?id=000386264)
 * — but the SOQL statement limit of 100,000 characters does ("SOQL and SOSL Limits for Search Queries",
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm):
 * MAX_LOOKUP_NUMBERS keeps a statement under it with room to spare.
 */

/** Caller numbers per lookup statement: ~700 characters each (both fields, ~17 spellings). */
export const MAX_LOOKUP_NUMBERS = 100;

export interface PhoneRow {
  Id: string;
  Phone?: string | null;
  MobilePhone?: string | null;
  LastModifiedDate?: string | null;
}

/** [Lead statement, Contact statement] for these E.164 numbers (at most MAX_LOOKUP_NUMBERS). */
export function callerLookupQueries(numbers: readonly string[]): [string, string] {
  if (numbers.length === 0 || numbers.length > MAX_LOOKUP_NUMBERS)
    throw new Error(`caller lookup takes 1 to ${MAX_LOOKUP_NUMBERS} numbers, got ${numbers.length}`);
  const list = soqlList([...new Set(numbers.flatMap(phoneSpellings))]);
  const where = `(Phone IN (${list}) OR MobilePhone IN (${list}))`;
  return [
    `SELECT Id, Phone, MobilePhone, LastModifiedDate FROM Lead WHERE IsConverted = false AND ${where}`,
    `SELECT Id, Phone, MobilePhone, LastModifiedDate FROM Contact WHERE ${where}`,
  ];
}

export interface CallerMatch {
  whoId: string | null;
  /** Records whose Phone or MobilePhone is this number (more than one: whoId is R20's pick). */
  matches: number;
  /** R20, R23: why whoId was picked among several (null: one record or none). */
  outcome?: CallerOutcome | null;
}

/** Per number: the Lead or Contact that has it (of several, R20's pick), else null. */
export function matchCallers(
  numbers: readonly string[],
  rows: readonly PhoneRow[],
): Map<string, CallerMatch> {
  const out = new Map<string, CallerMatch>();
  for (const n of new Set(numbers)) {
    const spellings = new Set(phoneSpellings(n));
    const byId = new Map(
      rows
        .filter((r) => spellings.has(r.Phone ?? '\u0000') || spellings.has(r.MobilePhone ?? '\u0000'))
        .map((r) => [r.Id, r]),
    );
    const candidates = [...byId.values()];
    const picked = candidates.length ? pickCaller(candidates) : null;
    const outcome = picked && candidates.length > 1 ? pickOutcome(candidates, picked) : null;
    out.set(n, { whoId: picked?.Id ?? null, matches: byId.size, outcome });
  }
  return out;
}
