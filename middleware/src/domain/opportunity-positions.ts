import { POSITION_LC } from './journey';

/**
 * Positions on an Opportunity (R15), over its counted touchpoints in time order (R13):
 * - FT: the earliest counted touchpoint;
 * - LC: the earliest counted touchpoint that holds LC on its person (R9) — another person's later LC
 *   touch is a middle touch on this Opportunity;
 * - OC: the latest counted touchpoint dated at or before the Opportunity's CreatedDate (none if none);
 * - Closed: for a closed Opportunity (won or lost), the latest counted touchpoint — R13 counts only those
 *   dated at or before the end of CloseDate; while it is open that credit sits on the most recent
 *   counted touchpoint as Pending.
 * One touchpoint may hold several positions: its label lists them in this order, `FT, LC`.
 */

export const OPPORTUNITY_POSITIONS = ['FT', 'LC', 'OC', 'Closed'] as const;
/** `Closed` stands for Closed or Pending: one position, named by the Opportunity's state. */
export type OpportunityPosition = (typeof OPPORTUNITY_POSITIONS)[number];
export const POSITION_PENDING = 'Pending';

/** Index of each position's holder in the counted touchpoints; null when nobody holds it. */
export type PositionHolders = Record<OpportunityPosition, number | null>;

/** Whether a person's Position__c (`FT, LC`, `LC`, `PostLC`) includes LC. */
export function holdsPersonLc(personPosition: string | null): boolean {
  return personPosition !== null && personPosition.split(',').some((p) => p.trim() === POSITION_LC);
}

/** R15 over touchpoints already in time order. */
export function positionHolders(
  counted: { date: number; personPosition: string | null }[],
  createdAt: number,
): PositionHolders {
  if (counted.length === 0) return { FT: null, LC: null, OC: null, Closed: null };
  const lc = counted.findIndex((tp) => holdsPersonLc(tp.personPosition));
  let oc: number | null = null;
  for (let i = 0; i < counted.length && counted[i].date <= createdAt; i++) oc = i;
  return { FT: 0, LC: lc < 0 ? null : lc, OC: oc, Closed: counted.length - 1 };
}

/** The positions the touchpoint at `index` holds, in R15's order. */
export function positionsAt(holders: PositionHolders, index: number): OpportunityPosition[] {
  return OPPORTUNITY_POSITIONS.filter((p) => holders[p] === index);
}

/** Position__c of the touchpoint at `index`: `FT, LC`, `OC`, `Pending`; null for a middle touch. */
export function positionLabel(holders: PositionHolders, index: number, isClosed: boolean): string | null {
  const held = positionsAt(holders, index).map((p) => (p === 'Closed' && !isClosed ? POSITION_PENDING : p));
  return held.length === 0 ? null : held.join(', ');
}
