/**
 * Positions and attribution percentages of one visitor's touchpoints (R9, R10).
 *
 * Positions: FT = the earliest touchpoint (the visitor's first session); LC = the touchpoint of the
 * first conversion (form submit or call); PostLC = touchpoints of later conversions; one touchpoint
 * may hold several ("FT, LC"). Touchpoints strictly between FT and LC (non-converting web visits)
 * have no position label but share the U-shaped middle 20 %.
 *
 * Percentages are numbers 0–100 with at most 2 decimals, each model summing to exactly 100 over
 * the visitor's touchpoints (computed in hundredths, remainders to the earliest). A visitor always
 * has an LC here: planJoin emits touchpoints only for visitors with a conversion.
 */
export interface JourneyTouchpoint {
  key: string;
  /** Time order of the journey: session start, or call time for a standalone call. */
  orderAt: number;
  /** First conversion in this touchpoint, or null for a plain web visit. */
  conversionAt: number | null;
  position: string | null;
  firstTouchPercent: number;
  leadCreationPercent: number;
  uShapedPercent: number;
}

export const POSITION_FT = 'FT';
export const POSITION_LC = 'LC';
export const POSITION_POST_LC = 'PostLC';

const byJourneyOrder = (a: JourneyTouchpoint, b: JourneyTouchpoint) =>
  a.orderAt - b.orderAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** "FT", "LC", "PostLC" or several of them: "FT, LC", "FT, PostLC". */
function positionLabel(isFt: boolean, isLc: boolean, isPostLc: boolean): string | null {
  let label: string | null = isFt ? POSITION_FT : null;
  if (isLc) label = label === null ? POSITION_LC : `${label}, ${POSITION_LC}`;
  if (isPostLc) label = label === null ? POSITION_POST_LC : `${label}, ${POSITION_POST_LC}`;
  return label;
}

/** Sorts `tps` in journey order (orderAt, key) and fills positions and percentages in place. */
export function assignPositions(tps: JourneyTouchpoint[]): void {
  tps.sort(byJourneyOrder);
  for (const tp of tps) {
    tp.position = null;
    tp.firstTouchPercent = tp.leadCreationPercent = tp.uShapedPercent = 0;
  }
  if (tps.length === 0) return;
  let lc = -1;
  for (let i = 0; i < tps.length; i++) {
    const c = tps[i].conversionAt;
    if (c !== null && (lc < 0 || c < (tps[lc].conversionAt as number))) lc = i;
  }
  const ft = 0;
  tps[ft].firstTouchPercent = 100;
  if (lc < 0) {
    // Defensive: no conversion means no lead; only First Touch is defined.
    tps[ft].position = POSITION_FT;
    return;
  }
  tps[lc].leadCreationPercent = 100;
  for (let i = 0; i < tps.length; i++)
    tps[i].position = positionLabel(i === ft, i === lc, i !== lc && tps[i].conversionAt !== null);

  // R10 U-shaped: 40/40/20, 50/50 with nothing between, 100 when FT is LC.
  if (lc === ft) {
    tps[ft].uShapedPercent = 100;
    return;
  }
  let middle = 0;
  for (let i = ft + 1; i < lc; i++) if (tps[i].conversionAt === null) middle++;
  if (middle === 0) {
    tps[ft].uShapedPercent = 50;
    tps[lc].uShapedPercent = 50;
    return;
  }
  tps[ft].uShapedPercent = 40;
  tps[lc].uShapedPercent = 40;
  // The middle 20 % in hundredths, the remainder to the earliest: 6.67 / 6.67 / 6.66.
  const shareHundredths = 2000;
  const each = Math.floor(shareHundredths / middle);
  let remainder = shareHundredths - each * middle;
  for (let i = ft + 1; i < lc; i++) {
    if (tps[i].conversionAt !== null) continue;
    tps[i].uShapedPercent = (each + (remainder > 0 ? 1 : 0)) / 100;
    if (remainder > 0) remainder--;
  }
}
