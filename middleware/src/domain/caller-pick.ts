/**
 * R20: which record a call links to when several Leads and Contacts have the caller's number, pure.
 * Decided: pick one rather than leave the call unlinked — a Contact before a Lead (the person sales
 * already qualified; a converted Lead's Contact carries its number on), then the most recently modified
 * (the record people work on), then the lowest Id so the choice is stable. Aircall and Salestrail link
 * the same way. Left unlinked, the call could never reach an Opportunity (R13); the Task's detail says
 * the choice was made among several.
 */
export interface CallerCandidate {
  Id: string;
  /** ISO instant (LastModifiedDate); missing sorts last. */
  LastModifiedDate?: string | null;
}

const isContact = (id: string) => id.startsWith('003');

/** The chosen record among `candidates` (at least one), by R20. */
export function pickCaller<T extends CallerCandidate>(candidates: readonly T[]): T {
  if (!candidates.length) throw new Error('pickCaller needs at least one candidate');
  const modified = (c: T) => (c.LastModifiedDate ? Date.parse(c.LastModifiedDate) || 0 : 0);
  return [...candidates].sort(
    (a, b) =>
      Number(isContact(b.Id)) - Number(isContact(a.Id)) ||
      modified(b) - modified(a) ||
      (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0),
  )[0];
}
