import {
  OPPORTUNITY_POSITIONS,
  type OpportunityPosition,
  type PositionHolders,
} from './opportunity-positions';

/**
 * The five attribution models per Opportunity (R16), in hundredths of a percent (10000 = 100.00 %), so
 * each model sums to exactly 100.00 whenever the Opportunity has a counted touchpoint.
 */

export const OPPORTUNITY_MODELS = ['firstTouch', 'leadCreation', 'uShaped', 'wShaped', 'fullPath'] as const;
export type OpportunityModel = (typeof OPPORTUNITY_MODELS)[number];

interface ModelShape {
  /** Hundredths of each position of the model. */
  positions: Partial<Record<OpportunityPosition, number>>;
  /** Hundredths shared equally by the touchpoints strictly between two positions that hold none of the model's positions. */
  middle?: { hundredths: number; from: OpportunityPosition; to: OpportunityPosition };
}

/** R16, as Marketo Measure states the models ("Closed" is Closed or Pending). */
export const MODEL_SHAPES: Record<OpportunityModel, ModelShape> = {
  firstTouch: { positions: { FT: 10000 } },
  leadCreation: { positions: { LC: 10000 } },
  uShaped: { positions: { FT: 4000, LC: 4000 }, middle: { hundredths: 2000, from: 'FT', to: 'LC' } },
  wShaped: {
    positions: { FT: 3000, LC: 3000, OC: 3000 },
    middle: { hundredths: 1000, from: 'FT', to: 'OC' },
  },
  fullPath: {
    positions: { FT: 2250, LC: 2250, OC: 2250, Closed: 2250 },
    middle: { hundredths: 1000, from: 'FT', to: 'Closed' },
  },
};

/**
 * `total` split over `n` shares in whole hundredths, the remainder one each to the first shares: the
 * earliest get the extra hundredth, as R10 does (20 % over three: 6.67 / 6.67 / 6.66).
 */
export function splitEvenly(total: number, n: number): number[] {
  const each = Math.floor(total / n);
  const remainder = total - each * n;
  return Array.from({ length: n }, (_, i) => each + (i < remainder ? 1 : 0));
}

/**
 * One model's credit per counted touchpoint (index = time order), in hundredths (R16):
 * - each held position's share goes to its holder; a touchpoint holding several gets their sum;
 * - the middle share goes equally to the touchpoints strictly between the two bounding positions that
 *   hold none of the model's positions;
 * - the share of a position nobody holds, and of a middle group with nobody in it, is split equally
 *   over the model's positions that are held (per position, not per touchpoint), the earliest holders
 *   first for the remainder; decided: when none of the model's positions is held (Lead Creation without
 *   an LC), FT — always held — takes it all.
 */
export function modelCredit(model: OpportunityModel, holders: PositionHolders, count: number): number[] {
  const credit = new Array<number>(count).fill(0);
  if (count === 0) return credit;
  const shape = MODEL_SHAPES[model];
  const held: { position: OpportunityPosition; at: number; share: number }[] = [];
  let unheld = 0;
  for (const position of OPPORTUNITY_POSITIONS) {
    const share = shape.positions[position];
    if (share === undefined) continue;
    const at = holders[position];
    if (at === null) unheld += share;
    else held.push({ position, at, share });
  }
  if (shape.middle) {
    const from = holders[shape.middle.from];
    const to = holders[shape.middle.to];
    const holdsModelPosition = new Set(held.map((h) => h.at));
    const middle: number[] = [];
    if (from !== null && to !== null)
      for (let i = from + 1; i < to; i++) if (!holdsModelPosition.has(i)) middle.push(i);
    if (middle.length === 0) unheld += shape.middle.hundredths;
    else splitEvenly(shape.middle.hundredths, middle.length).forEach((h, j) => (credit[middle[j]] += h));
  }
  if (held.length === 0) {
    credit[holders.FT as number] += unheld;
    return credit;
  }
  // Time order of the holders (then R15's position order) decides who gets a remainder hundredth.
  held.sort((a, b) => a.at - b.at);
  const extra = splitEvenly(unheld, held.length);
  held.forEach((h, j) => (credit[h.at] += h.share + extra[j]));
  return credit;
}
