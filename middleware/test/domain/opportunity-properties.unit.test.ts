import fc from 'fast-check';
import { OPPORTUNITY_MAPPINGS, planOpportunity, type OpportunityInput } from '../../src/domain';
import { contactId, day, input, leadId, opportunity, touchpoint } from './opportunity-builders';

/** Properties of the Opportunity attribution (R13–R17) over generated Opportunities. */

const PERSON_POSITIONS = [null, 'FT', 'LC', 'FT, LC', 'PostLC'];
const MODEL_FIELDS = [
  'First_Touch_Percent__c',
  'Lead_Creation_Percent__c',
  'U_Shaped_Percent__c',
  'W_Shaped_Percent__c',
  'Full_Path_Percent__c',
] as const;
const REVENUE_FIELDS = [
  'First_Touch_Revenue__c',
  'Lead_Creation_Revenue__c',
  'U_Shaped_Revenue__c',
  'W_Shaped_Revenue__c',
  'Full_Path_Revenue__c',
] as const;

const touchpointArb = fc
  .record({
    n: fc.integer({ min: 0, max: 10_000 }),
    dayOf: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    // Contacts 1–3 (3 also a role on another Account under contact-roles), or Lead 1 (converted to Contact 2).
    person: fc.constantFrom(
      { contact: contactId(1) },
      { contact: contactId(2) },
      { contact: contactId(3) },
      { lead: leadId(1) },
    ),
    position: fc.constantFrom(...PERSON_POSITIONS),
  })
  .map((t) => touchpoint(`tp:${t.n}`, day(t.dayOf, t.hour), t.person, t.position));

const inputArb: fc.Arbitrary<OpportunityInput> = fc
  .record({
    touchpoints: fc.uniqueArray(touchpointArb, { selector: (t) => t.key, maxLength: 12 }),
    createdDay: fc.integer({ min: 1, max: 28 }),
    isClosed: fc.boolean(),
    closeDay: fc.integer({ min: 1, max: 28 }),
    amountCents: fc.option(fc.integer({ min: 0, max: 1_000_000_000_00 }), { nil: null }),
    primary: fc.integer({ min: 1, max: 3 }),
  })
  .map((g) =>
    input({
      opportunity: opportunity({
        createdAt: day(g.createdDay),
        isClosed: g.isClosed,
        closeDate: `2026-03-${String(g.closeDay).padStart(2, '0')}`,
        amount: g.amountCents === null ? null : g.amountCents / 100,
      }),
      contactRoles: [1, 2, 3].map((n) => ({ contactId: contactId(n), isPrimary: n === g.primary })),
      conversions: [{ leadId: leadId(1), contactId: contactId(2) }],
      touchpoints: g.touchpoints,
    }),
  );
const mappingArb = fc.constantFrom(...OPPORTUNITY_MAPPINGS);
const hundredths = (percent: number | null) => Math.round((percent ?? 0) * 100);
const cents = (amount: number | null) => Math.round((amount ?? 0) * 100);

describe('Opportunity attribution properties (R16, R17)', () => {
  test('every model sums to exactly 100.00 and no credit is negative, whenever a touchpoint counts', () => {
    fc.assert(
      fc.property(inputArb, mappingArb, (inp, mapping) => {
        const { records } = planOpportunity(inp, mapping);
        if (records.length === 0) return;
        for (const field of MODEL_FIELDS) {
          const credits = records.map((r) => hundredths(r[field]));
          expect(credits.every((c) => c >= 0)).toBe(true);
          expect(credits.reduce((a, b) => a + b, 0)).toBe(10_000);
        }
      }),
    );
  });

  test("every model's revenue sums to the Amount, each within a cent of Amount × percent", () => {
    fc.assert(
      fc.property(inputArb, mappingArb, (inp, mapping) => {
        const { records } = planOpportunity(inp, mapping);
        const amount = inp.opportunity.amount;
        if (records.length === 0 || amount === null) return;
        MODEL_FIELDS.forEach((percentField, m) => {
          const revenue = records.map((r) => cents(r[REVENUE_FIELDS[m]]));
          expect(revenue.reduce((a, b) => a + b, 0)).toBe(cents(amount));
          records.forEach((r, i) => {
            const exact = (cents(amount) * hundredths(r[percentField])) / 10_000;
            expect(Math.abs(revenue[i] - exact)).toBeLessThan(1);
          });
        });
      }),
    );
  });

  test('the plan does not depend on the order of its input', () => {
    fc.assert(
      fc.property(inputArb, mappingArb, fc.integer(), (inp, mapping, seed) => {
        const shuffled = [...inp.touchpoints]
          .map((t, i) => ({ t, k: Math.imul(i + 1, seed | 1) >>> 0 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.t);
        expect(planOpportunity({ ...inp, touchpoints: shuffled }, mapping)).toEqual(
          planOpportunity(inp, mapping),
        );
      }),
    );
  });

  test('exactly one touchpoint holds FT and exactly one holds Closed or Pending', () => {
    fc.assert(
      fc.property(inputArb, mappingArb, (inp, mapping) => {
        const { records } = planOpportunity(inp, mapping);
        if (records.length === 0) return;
        const holding = (p: string) =>
          records.filter((r) => (r.Position__c ?? '').split(', ').includes(p)).length;
        expect(holding('FT')).toBe(1);
        expect(holding(inp.opportunity.isClosed ? 'Closed' : 'Pending')).toBe(1);
      }),
    );
  });
});
