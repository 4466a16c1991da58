import { planOpportunity, touchpointsToMove } from '../../src/domain';
import type { OpportunityPlan } from '../../src/domain/opportunity-plan';
import {
  ACCOUNT,
  contactId,
  day,
  input,
  leadId,
  OPP,
  opportunity,
  OTHER_ACCOUNT,
  touchpoint,
  planAccount,
} from './opportunity-builders';

/**
 * Scenario cases of the Opportunity attribution, one describe per rule of docs/join-rules.md (R13–R17).
 * Rows: [touchpoint key, Position__c, First Touch, Lead Creation, U-shaped, W-shaped, Full Path].
 */
const A = contactId(1);
const B = contactId(2);

const rows = (plan: OpportunityPlan) =>
  plan.records.map((r) => [
    r.Touchpoint__r.Touchpoint_Key__c,
    r.Position__c,
    r.First_Touch_Percent__c,
    r.Lead_Creation_Percent__c,
    r.U_Shaped_Percent__c,
    r.W_Shaped_Percent__c,
    r.Full_Path_Percent__c,
  ]);
const keys = (plan: OpportunityPlan) => plan.records.map((r) => r.Touchpoint__r.Touchpoint_Key__c);
const codes = (plan: OpportunityPlan) => plan.notes.map((n) => n.code);

describe("Marketo Measure's Person A / Person B example (R15–R17)", () => {
  // Two people on one Account. Person A visits the site (A's First Touch) and fills in a form (A's Lead
  // Creation). Person B visits (a web visit that holds nothing on the Opportunity) and fills in the
  // webinar form (B's own LC). The Opportunity is created: the webinar form is the last touch before it,
  // the Opportunity Creation touch. Person A then fills in the email form, and the Opportunity closes won:
  // the email form is the Closed touch.
  const touchpoints = [
    touchpoint('tp:a-visit', day(1), { contact: A }, 'FT', 'Web Visit', 'Paid Search'),
    touchpoint('tp:a-form', day(2), { contact: A }, 'LC', 'Web Form', 'Organic Search'),
    touchpoint('tp:b-visit', day(4), { contact: B }, 'FT', 'Web Visit', 'Paid Social'),
    touchpoint('tp:b-webinar', day(6), { contact: B }, 'LC', 'Web Form', 'Webinar'),
    touchpoint('tp:a-email', day(12), { contact: A }, 'PostLC', 'Web Form', 'Email'),
  ];
  const won = input({
    opportunity: opportunity({ createdAt: day(8), isClosed: true, closeDate: '2026-03-20', amount: 100_000 }),
    touchpoints,
  });

  test('positions FT, LC, OC, Closed; W-shaped 30/30/10/30/0 and Full Path 22.5/22.5/10/22.5/22.5', () => {
    const plan = planOpportunity(won, 'account');
    expect(rows(plan)).toEqual([
      ['tp:a-visit', 'FT', 100, 0, 50, 30, 22.5],
      ['tp:a-form', 'LC', 0, 100, 50, 30, 22.5],
      ['tp:b-visit', null, 0, 0, 0, 10, 10],
      ['tp:b-webinar', 'OC', 0, 0, 0, 30, 22.5],
      ['tp:a-email', 'Closed', 0, 0, 0, 0, 22.5],
    ]);
    expect(plan.notes).toEqual([]);
  });

  test('revenue for Amount 100,000: W-shaped and Full Path', () => {
    const plan = planOpportunity(won, 'account');
    expect(plan.records.map((r) => [r.W_Shaped_Revenue__c, r.Full_Path_Revenue__c])).toEqual([
      [30_000, 22_500],
      [30_000, 22_500],
      [10_000, 10_000],
      [30_000, 22_500],
      [0, 22_500],
    ]);
  });

  test('while the Opportunity is open the Closed credit sits on the latest touch as Pending', () => {
    const open = planOpportunity({ ...won, opportunity: { ...won.opportunity, isClosed: false } }, 'account');
    expect(open.records.map((r) => r.Position__c)).toEqual(['FT', 'LC', null, 'OC', 'Pending']);
    expect(open.records.map((r) => r.Full_Path_Percent__c)).toEqual([22.5, 22.5, 10, 22.5, 22.5]);
  });

  test('each touch says in plain words why it holds its position', () => {
    expect(planOpportunity(won, 'account').records.map((r) => r.Position_Detail__c)).toEqual([
      "FT: its people's first touch.",
      'LC: the first touch that made one of them a lead.',
      "A middle touch: shares W-shaped's 10 % and Full Path's 10 % equally with the other middle touches.",
      'OC: the last touch before the opportunity was created on 8 Mar 2026.',
      'Closed: the last touch before the opportunity closed on 20 Mar 2026.',
    ]);
    const open = planOpportunity({ ...won, opportunity: { ...won.opportunity, isClosed: false } }, 'account');
    expect(open.records[4].Position_Detail__c).toBe(
      'Pending: the latest touch while the opportunity is open; it holds the Closed credit for now.',
    );
  });

  test('records are keyed by Opportunity and touchpoint and carry the Account and the Contact', () => {
    const [first] = planOpportunity(won, 'account').records;
    expect(first).toMatchObject({
      sobject: 'Opportunity_Touchpoint__c',
      Opportunity_Touchpoint_Key__c: `otp:${OPP}/tp:a-visit`,
      Opportunity__c: OPP,
      Account__c: ACCOUNT,
      Contact__c: A,
      Touchpoint_Date__c: '2026-03-01T12:00:00.000Z',
      Channel__c: 'Paid Search',
      Touchpoint_Type__c: 'Web Visit',
    });
  });
});

describe('R13: which touchpoints belong to an Opportunity', () => {
  const C = contactId(3);
  const stranger = contactId(50);
  const base = input({
    contacts: [
      { id: A, accountId: ACCOUNT },
      { id: B, accountId: ACCOUNT },
      { id: C, accountId: ACCOUNT },
      { id: stranger, accountId: OTHER_ACCOUNT },
    ],
    contactRoles: [
      { contactId: A, isPrimary: false },
      { contactId: B, isPrimary: true },
    ],
    touchpoints: [
      touchpoint('tp:a', day(1), { contact: A }, 'FT, LC'),
      touchpoint('tp:b', day(2), { contact: B }, 'FT, LC'),
      touchpoint('tp:c', day(3), { contact: C }, 'FT, LC'),
      touchpoint('tp:stranger', day(4), { contact: stranger }, 'FT, LC'),
    ],
  });

  test("account (default): the touchpoints of every Contact of the Opportunity's Account", () => {
    expect(keys(planOpportunity(base, 'account'))).toEqual(['tp:a', 'tp:b', 'tp:c']);
  });

  test('contact-roles: the Contacts in its OpportunityContactRoles, whatever their Account', () => {
    const plan = planOpportunity(
      { ...base, contactRoles: [...base.contactRoles, { contactId: stranger, isPrimary: false }] },
      'contact-roles',
    );
    expect(keys(plan)).toEqual(['tp:a', 'tp:b', 'tp:stranger']);
  });

  test('primary-contact-role: the primary contact role only', () => {
    expect(keys(planOpportunity(base, 'primary-contact-role'))).toEqual(['tp:b']);
  });

  test('a closed Opportunity counts touchpoints up to the end of its CloseDate (UTC), not after', () => {
    const closed = input({
      opportunity: opportunity({ isClosed: true, closeDate: '2026-03-10' }),
      touchpoints: [
        touchpoint('tp:first', day(1), { contact: A }, 'FT, LC'),
        touchpoint('tp:last-minute', Date.parse('2026-03-10T23:59:59.999Z'), { contact: A }, 'PostLC'),
        touchpoint('tp:next-day', Date.parse('2026-03-11T00:00:00.000Z'), { contact: A }, 'PostLC'),
      ],
    });
    const plan = planOpportunity(closed, 'account');
    expect(keys(plan)).toEqual(['tp:first', 'tp:last-minute']);
    expect(plan.records.map((r) => r.Position__c)).toEqual(['FT, LC, OC', 'Closed']);
  });

  test('a lost Opportunity is closed too: same cut-off, the last touch holds Closed', () => {
    const lost = input({
      opportunity: opportunity({ isClosed: true, closeDate: '2026-03-05' }),
      touchpoints: [
        touchpoint('tp:first', day(1), { contact: A }, 'FT, LC'),
        touchpoint('tp:later', day(6), { contact: A }, 'PostLC'),
      ],
    });
    expect(rows(planOpportunity(lost, 'account'))).toEqual([
      ['tp:first', 'FT, LC, OC, Closed', 100, 100, 100, 100, 100],
    ]);
  });

  test('an open Opportunity counts every touchpoint, also those after its CloseDate', () => {
    const open = input({
      opportunity: opportunity({ closeDate: '2026-03-05' }),
      touchpoints: [
        touchpoint('tp:first', day(1), { contact: A }, 'FT, LC'),
        touchpoint('tp:later', day(20), { contact: A }, 'PostLC'),
      ],
    });
    expect(keys(planOpportunity(open, 'account'))).toEqual(['tp:first', 'tp:later']);
  });

  test('a touchpoint given twice (read through two Contacts) counts once', () => {
    const twice = input({
      touchpoints: [
        touchpoint('tp:a', day(1), { contact: A }, 'FT, LC'),
        touchpoint('tp:a', day(1), { contact: A }, 'FT, LC'),
      ],
    });
    expect(keys(planOpportunity(twice, 'account'))).toEqual(['tp:a']);
  });
});

describe('R13 bad input: planned as documented, with a note, nothing thrown', () => {
  test('an Opportunity without an Account under the account mapping gets no touchpoints', () => {
    const plan = planOpportunity(
      input({
        opportunity: opportunity({ accountId: null }),
        touchpoints: [touchpoint('tp:a', day(1), { contact: A }, 'FT, LC')],
      }),
      'account',
    );
    expect(plan.records).toEqual([]);
    expect(codes(plan)).toEqual(['no-account']);
    expect(plan.notes[0].message).toMatch(/has no Account.*OPPORTUNITY_MAPPING=account/);
  });

  test("the same Opportunity under contact-roles still gets its role Contacts' touchpoints", () => {
    const plan = planOpportunity(
      input({
        opportunity: opportunity({ accountId: null }),
        contactRoles: [{ contactId: A, isPrimary: true }],
        touchpoints: [touchpoint('tp:a', day(1), { contact: A }, 'FT, LC')],
      }),
      'contact-roles',
    );
    expect(keys(plan)).toEqual(['tp:a']);
    expect(plan.records[0].Account__c).toBeNull();
  });

  test("a contact role on a deleted Contact is skipped, the other roles' touchpoints count", () => {
    const gone = contactId(77);
    const plan = planOpportunity(
      input({
        contactRoles: [
          { contactId: gone, isPrimary: false },
          { contactId: A, isPrimary: true },
        ],
        touchpoints: [
          touchpoint('tp:gone', day(1), { contact: gone }, 'FT, LC'),
          touchpoint('tp:a', day(2), { contact: A }, 'FT, LC'),
        ],
      }),
      'contact-roles',
    );
    expect(keys(plan)).toEqual(['tp:a']);
    expect(codes(plan)).toEqual(['deleted-contact']);
    expect(plan.notes[0].message).toContain(gone);
  });

  test('primary-contact-role without a primary role: no touchpoints, a note naming the fix', () => {
    const plan = planOpportunity(
      input({
        contactRoles: [{ contactId: A, isPrimary: false }],
        touchpoints: [touchpoint('tp:a', day(1), { contact: A }, 'FT, LC')],
      }),
      'primary-contact-role',
    );
    expect(plan.records).toEqual([]);
    expect(codes(plan)).toEqual(['no-primary-contact-role']);
  });

  test('a closed Opportunity whose CloseDate is not a date counts every touchpoint', () => {
    const plan = planOpportunity(
      input({
        opportunity: opportunity({ isClosed: true, closeDate: '10/03/2026' }),
        touchpoints: [touchpoint('tp:a', day(1), { contact: A }, 'FT, LC')],
      }),
      'account',
    );
    expect(keys(plan)).toEqual(['tp:a']);
    expect(codes(plan)).toEqual(['no-close-date']);
  });
});

describe('R14: Lead conversion carries the journey', () => {
  const lead = leadId(1);
  const converted = input({
    conversions: [{ leadId: lead, contactId: A }],
    touchpoints: [
      touchpoint('tp:lead-call', day(1), { lead }, 'FT, LC', 'Call', 'Paid Search'),
      touchpoint('tp:contact-form', day(3), { contact: A }, 'PostLC', 'Web Form'),
      touchpoint('tp:other-lead', day(2), { lead: leadId(2) }, 'FT, LC', 'Call'),
    ],
  });

  test("the converted Lead's earlier call counts for its Contact; an unconverted Lead's does not", () => {
    const plan = planOpportunity(converted, 'account');
    expect(keys(plan)).toEqual(['tp:lead-call', 'tp:contact-form']);
    expect(plan.records[0]).toMatchObject({
      Contact__c: A,
      Position__c: 'FT, LC',
      Touchpoint_Type__c: 'Call',
    });
  });

  test('touchpointsToMove: the converted Lead touchpoints without a Contact get the converted Contact', () => {
    expect(touchpointsToMove(converted.touchpoints, converted.conversions)).toEqual([
      { key: 'tp:lead-call', contactId: A },
    ]);
  });
});

describe('R15: positions on the Opportunity', () => {
  test("LC is the earliest touch holding LC on its person; another person's later LC is a middle touch", () => {
    const plan = planAccount({ createdAt: day(20) }, [
      touchpoint('tp:b-ft', day(1), { contact: B }, 'FT'),
      touchpoint('tp:a-lc', day(2), { contact: A }, 'FT, LC'),
      touchpoint('tp:b-lc', day(3), { contact: B }, 'LC'),
      touchpoint('tp:a-post', day(4), { contact: A }, 'PostLC'),
    ]);
    expect(plan.records.map((r) => r.Position__c)).toEqual(['FT', 'LC', null, 'OC, Pending']);
  });

  test('OC is the latest touch at or before CreatedDate (the same instant counts)', () => {
    const plan = planAccount({ createdAt: day(5) }, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT, LC'),
      touchpoint('tp:at-creation', day(5), { contact: A }, 'PostLC'),
      touchpoint('tp:after', day(6), { contact: A }, 'PostLC'),
    ]);
    expect(plan.records.map((r) => r.Position__c)).toEqual(['FT, LC', 'OC', 'Pending']);
  });

  test('no touch before CreatedDate: no OC', () => {
    const plan = planAccount({ createdAt: day(1, 0) }, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT, LC'),
      touchpoint('tp:later', day(2), { contact: A }, 'PostLC'),
    ]);
    expect(plan.records.map((r) => r.Position__c)).toEqual(['FT, LC', 'Pending']);
  });

  test('a new touch on an open Opportunity takes Pending over', () => {
    const before = input({
      touchpoints: [
        touchpoint('tp:ft', day(1), { contact: A }, 'FT, LC'),
        touchpoint('tp:second', day(11), { contact: A }, 'PostLC'),
      ],
    });
    const after = {
      ...before,
      touchpoints: [...before.touchpoints, touchpoint('tp:third', day(12), { contact: A }, 'PostLC')],
    };
    expect(planOpportunity(before, 'account').records.map((r) => r.Position__c)).toEqual([
      'FT, LC, OC',
      'Pending',
    ]);
    expect(planOpportunity(after, 'account').records.map((r) => r.Position__c)).toEqual([
      'FT, LC, OC',
      null,
      'Pending',
    ]);
  });

  test('touches on the same instant are ordered by key, so re-planning never swaps them', () => {
    const plan = planAccount({}, [
      touchpoint('tp:b', day(1), { contact: B }, 'FT, LC'),
      touchpoint('tp:a', day(1), { contact: A }, 'FT, LC'),
    ]);
    expect(plan.records.map((r) => [r.Touchpoint__r.Touchpoint_Key__c, r.Position__c])).toEqual([
      ['tp:a', 'FT, LC'],
      ['tp:b', 'OC, Pending'],
    ]);
  });
});

describe('R16: models in hundredths, summing to exactly 100.00', () => {
  test('one touchpoint holding every position gets 100 in every model', () => {
    const plan = planOpportunity(
      input({ touchpoints: [touchpoint('tp:only', day(1), { contact: A }, 'FT, LC')] }),
      'account',
    );
    expect(rows(plan)).toEqual([['tp:only', 'FT, LC, OC, Pending', 100, 100, 100, 100, 100]]);
    // Every sentence whole within Text(255).
    expect(plan.records[0].Position_Detail__c).toBe(
      "FT: its people's first touch. LC: the first touch that made one of them a lead. " +
        'OC: the last touch before the opportunity was created on 10 Mar 2026. ' +
        'Pending: the latest touch while the opportunity is open; it holds the Closed credit for now.',
    );
  });

  test('U-shaped per Opportunity: 40 / 40 and 20 shared by the touches between, remainder to the earliest', () => {
    const plan = planAccount({ createdAt: day(1, 0) }, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT'),
      touchpoint('tp:m1', day(2), { contact: A }),
      touchpoint('tp:m2', day(3), { contact: A }),
      touchpoint('tp:m3', day(4), { contact: A }),
      touchpoint('tp:lc', day(5), { contact: A }, 'LC'),
    ]);
    expect(plan.records.map((r) => r.U_Shaped_Percent__c)).toEqual([40, 6.67, 6.67, 6.66, 40]);
  });

  test('no OC (decided): its 30 and the empty W middle 10 split over FT and LC: 50 / 50', () => {
    const plan = planAccount({ createdAt: day(1, 0) }, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT'),
      touchpoint('tp:lc', day(2), { contact: A }, 'LC'),
      touchpoint('tp:post', day(3), { contact: A }, 'PostLC'),
    ]);
    // Full Path: OC's 22.5 and the empty middle 10 (LC is the only touch between FT and Pending) over
    // FT, LC and Pending: 10.84 / 10.83 / 10.83, the extra hundredth to the earliest.
    expect(rows(plan)).toEqual([
      ['tp:ft', 'FT', 100, 0, 50, 50, 33.34],
      ['tp:lc', 'LC', 0, 100, 50, 50, 33.33],
      ['tp:post', 'Pending', 0, 0, 0, 0, 33.33],
    ]);
  });

  test('coinciding positions (decided): a touch holding FT and OC gets both shares; the empty middle is split per position', () => {
    // FT = OC on the first touch (created right after it), LC on the second, Pending on the third.
    const plan = planAccount({ createdAt: day(1, 13) }, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT'),
      touchpoint('tp:lc', day(2), { contact: A }, 'LC'),
      touchpoint('tp:last', day(3), { contact: A }, 'PostLC'),
    ]);
    // W: FT 30 + OC 30 + middle 10 (nobody strictly between FT and OC) split over FT, LC, OC: 3.34 / 3.33 / 3.33.
    // Full Path: nobody strictly between FT and Pending holds no position → 10 over the 4 positions, 2.5 each.
    expect(rows(plan)).toEqual([
      ['tp:ft', 'FT, OC', 100, 0, 50, 66.67, 50],
      ['tp:lc', 'LC', 0, 100, 50, 33.33, 25],
      ['tp:last', 'Pending', 0, 0, 0, 0, 25],
    ]);
  });

  test('Lead Creation with no LC among the counted touches (decided): FT takes the 100', () => {
    const plan = planAccount({}, [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT'),
      touchpoint('tp:next', day(2), { contact: A }),
    ]);
    expect(plan.records.map((r) => r.Lead_Creation_Percent__c)).toEqual([100, 0]);
  });
});

describe('R17: revenue = Amount × credit, in cents, summing to the Amount', () => {
  const middles = input({
    opportunity: opportunity({ amount: 10, createdAt: day(1, 0) }),
    touchpoints: [
      touchpoint('tp:ft', day(1), { contact: A }, 'FT'),
      touchpoint('tp:m1', day(2), { contact: A }),
      touchpoint('tp:m2', day(3), { contact: A }),
      touchpoint('tp:m3', day(4), { contact: A }),
      touchpoint('tp:lc', day(5), { contact: A }, 'LC'),
    ],
  });

  test('largest remainder: 10.00 over 40 / 6.67 / 6.67 / 6.66 / 40 is 4.00 / 0.67 / 0.67 / 0.66 / 4.00', () => {
    const plan = planOpportunity(middles, 'account');
    expect(plan.records.map((r) => r.U_Shaped_Revenue__c)).toEqual([4, 0.67, 0.67, 0.66, 4]);
  });

  test('a cent that cannot be split evenly goes to the earliest of equal fractions', () => {
    const plan = planOpportunity(
      { ...middles, opportunity: { ...middles.opportunity, amount: 0.01 } },
      'account',
    );
    expect(plan.records.map((r) => r.U_Shaped_Revenue__c)).toEqual([0.01, 0, 0, 0, 0]);
  });

  test('no Amount: percents written, revenue empty, a note', () => {
    const plan = planOpportunity(
      { ...middles, opportunity: { ...middles.opportunity, amount: null } },
      'account',
    );
    expect(
      plan.records.map((r) => [r.U_Shaped_Percent__c, r.U_Shaped_Revenue__c, r.Full_Path_Revenue__c]),
    ).toEqual([
      [40, null, null],
      [6.67, null, null],
      [6.67, null, null],
      [6.66, null, null],
      [40, null, null],
    ]);
    expect(codes(plan)).toEqual(['no-amount']);
  });

  test('a negative Amount (decided): no revenue, percents written, a note naming the Amount', () => {
    const plan = planOpportunity(
      { ...middles, opportunity: { ...middles.opportunity, amount: -500 } },
      'account',
    );
    expect(plan.records.every((r) => r.W_Shaped_Revenue__c === null && r.W_Shaped_Percent__c !== null)).toBe(
      true,
    );
    expect(codes(plan)).toEqual(['negative-amount']);
    expect(plan.notes[0].message).toContain('-500');
  });

  test('an Opportunity without counted touchpoints gets no records and no Amount note', () => {
    const plan = planOpportunity(input({ opportunity: opportunity({ amount: null }) }), 'account');
    expect(plan).toMatchObject({ records: [], notes: [] });
  });
});
