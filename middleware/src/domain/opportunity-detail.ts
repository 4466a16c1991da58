import type { OpportunityModel } from './opportunity-models';
import type { OpportunityPosition } from './opportunity-positions';
import { DAY_MS } from './time';

/**
 * Position_Detail__c: plain sentences saying why a touchpoint holds its place on the Opportunity (R15) and
 * what it shares when it holds none (R16) — what the Opportunity record page shows next to each touch.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `7 Mar 2026` (UTC). */
export function shortDay(ms: number): string {
  const d = new Date(Math.floor(ms / DAY_MS) * DAY_MS);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const MIDDLE_NAMES: Partial<Record<OpportunityModel, string>> = {
  uShaped: "U-shaped's 20 %",
  wShaped: "W-shaped's 10 %",
  fullPath: "Full Path's 10 %",
};

export interface DetailFacts {
  positions: OpportunityPosition[];
  isClosed: boolean;
  createdAt: number;
  /** The first instant after CloseDate (R13), or null. */
  closeEnd: number | null;
  /** Models whose middle share this touch takes part in. */
  middleOf: OpportunityModel[];
}

function sentence(position: OpportunityPosition, f: DetailFacts): string {
  switch (position) {
    case 'FT':
      return "FT: its people's first touch.";
    case 'LC':
      return 'LC: the first touch that made one of them a lead.';
    case 'OC':
      return `OC: the last touch before the opportunity was created on ${shortDay(f.createdAt)}.`;
    case 'Closed':
      if (!f.isClosed)
        return 'Pending: the latest touch while the opportunity is open; it holds the Closed credit for now.';
      return f.closeEnd === null
        ? 'Closed: the last touch before the opportunity closed.'
        : `Closed: the last touch before the opportunity closed on ${shortDay(f.closeEnd - 1)}.`;
  }
}

export function positionDetail(f: DetailFacts): string {
  if (f.positions.length > 0) return f.positions.map((p) => sentence(p, f)).join(' ');
  const shares = f.middleOf.map((m) => MIDDLE_NAMES[m]).filter((s): s is string => s !== undefined);
  if (shares.length === 0) return 'A touch between the positions that earns no credit in these models.';
  return `A middle touch: shares ${shares.join(' and ')} equally with the other middle touches.`;
}
