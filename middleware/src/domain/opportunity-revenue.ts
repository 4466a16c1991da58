/**
 * Revenue per touchpoint (R17): the Opportunity's Amount × the touchpoint's credit, in whole cents,
 * summing to exactly the Amount. Decided: largest remainder — each touchpoint first gets its exact
 * share rounded down; the cents left over (fewer than the credited touchpoints) go one each to the
 * largest fractions, ties to the earliest. So every touchpoint's revenue is its exact share rounded
 * up or down by less than a cent, and 100,000 × 6.67 % is 6,670.00, not 6,670.01. BigInt keeps the
 * arithmetic exact for any Currency(16, 2) amount.
 */

/** Cents of an Amount (Currency, 2 decimals). */
export function amountCents(amount: number): bigint {
  return BigInt(Math.round(amount * 100));
}

/** Revenue in cents per touchpoint for one model's credit in hundredths of a percent (summing to 10000). */
export function revenueCents(totalCents: bigint, creditHundredths: number[]): bigint[] {
  const exact = creditHundredths.map((h) => totalCents * BigInt(h));
  const cents = exact.map((e) => e / 10000n);
  let left = totalCents - cents.reduce((a, b) => a + b, 0n);
  const byFraction = exact
    .map((e, i) => ({ i, fraction: e % 10000n }))
    .filter((x) => x.fraction > 0n)
    .sort((a, b) => (a.fraction === b.fraction ? a.i - b.i : a.fraction > b.fraction ? -1 : 1));
  for (const { i } of byFraction) {
    if (left <= 0n) break;
    cents[i] += 1n;
    left -= 1n;
  }
  return cents;
}

/** Cents as the REST API takes a Currency value: a number with 2 decimals. */
export function centsToAmount(cents: bigint): number {
  return Number(cents) / 100;
}
