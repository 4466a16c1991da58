import OpportunityCallTouchpoints from 'c/opportunityCallTouchpoints';
import getTouchpoints from '@salesforce/apex/OpportunityTouchpointsController.getTouchpoints';
import { refreshApex } from '@salesforce/apex';
import { all, clean, flushPromises, mount, text, texts } from 'test/lwc';

// Marketo Measure's Person A / Person B example (its page "Explanation of Touchpoint Positions and
// Generation Across BTs and BATs"; docs/join-rules.md R15–R17), closed won, Amount 100,000, as the
// middleware plans it (opportunity-plan.ts) and the Apex controller returns it.
const PERSON_A_PERSON_B = require('./data/personAPersonB.json');
// The same journey with calls, the Opportunity still open (Pending), amount 48,000 EUR.
const OPEN_WITH_CALLS = require('./data/openWithCalls.json');
const EMPTY = require('./data/empty.json');
const NO_ACCESS = require('./data/noAccess.json');
const APEX_ERROR = require('./data/apexError.json');

jest.mock(
  '@salesforce/apex/OpportunityTouchpointsController.getTouchpoints',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const mountComponent = (recordId, objectApiName = 'Opportunity') =>
  mount('c-opportunity-call-touchpoints', OpportunityCallTouchpoints, { recordId, objectApiName });
/** The credit column as numbers (percent field values) and the revenue column, one per touchpoint row. */
const credits = (element) =>
  all(element, 'tbody .otp-credit lightning-formatted-number').map((n) => n.value * 100);
const revenues = (element) =>
  all(element, 'tbody .otp-revenue lightning-formatted-number').map((n) => n.value);
const footer = (element) => ({
  credit: all(element, 'tfoot .otp-credit lightning-formatted-number')[0].value * 100,
  revenue: all(element, 'tfoot .otp-revenue lightning-formatted-number')[0].value,
});

async function pickModel(element, value) {
  const picker = element.shadowRoot.querySelector('.otp-model select');
  picker.value = value;
  picker.dispatchEvent(new CustomEvent('change'));
  await flushPromises();
}
const picked = (element) => element.shadowRoot.querySelector('.otp-model select').value;

describe('c-opportunity-call-touchpoints', () => {
  it('shows a spinner while loading and asks Apex for this Opportunity', async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    await flushPromises();
    expect(all(element, 'lightning-spinner')[0].alternativeText).toBe(
      "Loading the opportunity's touchpoints…",
    );
    expect(getTouchpoints.getLastConfig()).toEqual({ opportunityId: PERSON_A_PERSON_B.opportunityId });
    await expect(element).toBeAccessible();
  });

  it('Person A / Person B: the touchpoints in time order, positions spelled out, W-shaped credit and revenue', async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    getTouchpoints.emit(PERSON_A_PERSON_B);
    await flushPromises();

    expect(text(element, '.otp-summary')).toBe('Amount $100,000.00');
    expect(text(element, '.otp-model label')).toBe('Attribution model');
    expect(picked(element)).toBe('wShaped');
    expect(texts(element, '.otp-model option')).toEqual([
      'First Touch',
      'Lead Creation',
      'U-shaped',
      'W-shaped',
      'Full Path',
    ]);
    expect(text(element, '.otp-model-help')).toBe(
      '30% each to the first touch, lead creation and opportunity creation; 10% shared by the touches between.',
    );

    // sfdx-lwc-jest's default user: en-US in America/Los_Angeles (the touches are at 12:00 UTC: same day).
    expect(texts(element, '.otp-when')).toEqual([
      'Mar 1, 2026',
      'Mar 2, 2026',
      'Mar 4, 2026',
      'Mar 6, 2026',
      'Mar 12, 2026',
    ]);
    expect(texts(element, '.otp-line')).toEqual([
      'Paid Search · Web Visit',
      'Organic Search · Web Form',
      'Paid Social · Web Visit',
      'Webinar · Web Form',
      'Email · Web Form',
    ]);
    expect(texts(element, '.otp-person')).toEqual([
      'by Person A',
      'by Person A',
      'by Person B',
      'by Person B',
      'by Person A',
    ]);
    const rowPositions = all(element, 'tbody tr').map((tr) =>
      [...tr.querySelectorAll('.otp-position')].map(clean),
    );
    expect(rowPositions).toEqual([
      ['First Touch'],
      ['Lead Creation'],
      [],
      ['Opportunity Creation'],
      ['Closed'],
    ]);
    // Marketo Measure's example has form fills only: no call is marked.
    expect(all(element, 'lightning-badge.otp-call')).toHaveLength(0);
    expect(text(element, '.otp-calls')).toBe('No calls among these touchpoints yet.');

    expect(credits(element)).toEqual([30, 30, 10, 30, 0]);
    expect(revenues(element)).toEqual([30000, 30000, 10000, 30000, 0]);
    expect(all(element, 'tbody .otp-revenue lightning-formatted-number').map((n) => n.currencyCode)).toEqual(
      Array(5).fill('USD'),
    );
    expect(footer(element)).toEqual({ credit: 100, revenue: 100000 });

    await expect(element).toBeAccessible();
  });

  it("one plain sentence per touchpoint says why it holds its position, dates in the user's format", async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    getTouchpoints.emit(PERSON_A_PERSON_B);
    await flushPromises();

    expect(texts(element, '.otp-detail')).toEqual([
      "FT: its people's first touch.",
      'LC: the first touch that made one of them a lead.',
      "A middle touch: shares W-shaped's 10 % and Full Path's 10 % equally with the other middle touches.",
      'OC: the last touch before the opportunity was created on Mar 8, 2026.',
      'Closed: the last touch before the opportunity closed on Mar 20, 2026.',
    ]);
  });

  it('the picker switches every credit and revenue: Full Path, then First Touch, U-shaped, Lead Creation', async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    getTouchpoints.emit(PERSON_A_PERSON_B);
    await flushPromises();

    await pickModel(element, 'fullPath');
    expect(picked(element)).toBe('fullPath');
    expect(text(element, '.otp-model-help')).toBe(
      '22.5% each to the first touch, lead creation, opportunity creation and the closing touch; 10% shared by the touches between.',
    );
    expect(credits(element)).toEqual([22.5, 22.5, 10, 22.5, 22.5]);
    expect(revenues(element)).toEqual([22500, 22500, 10000, 22500, 22500]);
    expect(footer(element)).toEqual({ credit: 100, revenue: 100000 });

    await pickModel(element, 'firstTouch');
    expect(credits(element)).toEqual([100, 0, 0, 0, 0]);
    expect(revenues(element)).toEqual([100000, 0, 0, 0, 0]);

    await pickModel(element, 'uShaped');
    // Nothing between FT and LC: their 20% goes to the two held positions (R16).
    expect(credits(element)).toEqual([50, 50, 0, 0, 0]);
    expect(revenues(element)).toEqual([50000, 50000, 0, 0, 0]);

    await pickModel(element, 'leadCreation');
    expect(credits(element)).toEqual([0, 100, 0, 0, 0]);
    // The sentences do not depend on the model.
    expect(texts(element, '.otp-detail')[3]).toBe(
      'OC: the last touch before the opportunity was created on Mar 8, 2026.',
    );
  });

  it('marks the calls, shows Pending while open and sums the calls’ credit in the Opportunity’s currency', async () => {
    const element = mountComponent(OPEN_WITH_CALLS.opportunityId);
    getTouchpoints.emit(OPEN_WITH_CALLS);
    await flushPromises();

    expect(text(element, '.otp-summary')).toBe('Amount €48,000.00');
    expect(all(element, 'tbody tr').map((tr) => tr.dataset.call)).toEqual([
      'false',
      'true',
      'false',
      'true',
      'true',
    ]);
    expect(all(element, 'lightning-badge.otp-call').map((b) => b.label)).toEqual(['Call', 'Call', 'Call']);
    expect(texts(element, '.otp-position[data-code="Pending"]')).toEqual([
      'Pending (closing touch while open)',
    ]);
    expect(texts(element, '.otp-detail')[4]).toBe(
      'Pending: the latest touch while the opportunity is open; it holds the Closed credit for now.',
    );
    // W-shaped: the LC call 30% and the OC call 30%; the Pending call has no W-shaped share.
    expect(text(element, '.otp-calls')).toBe('Calls earn 60% of the credit (€28,800.00) in this model.');
    expect(all(element, 'tbody .otp-revenue lightning-formatted-number')[1].currencyCode).toBe('EUR');

    await pickModel(element, 'fullPath');
    expect(text(element, '.otp-calls')).toBe('Calls earn 67.5% of the credit (€32,400.00) in this model.');
    expect(footer(element)).toEqual({ credit: 100, revenue: 48000 });
  });

  it('an Opportunity without an Amount: credit shown, revenue as a dash, and it says so', async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    const withoutRevenue = PERSON_A_PERSON_B.touchpoints.map((tp) =>
      Object.fromEntries(Object.entries(tp).filter(([key]) => !key.endsWith('Revenue'))),
    );
    getTouchpoints.emit({ ...PERSON_A_PERSON_B, amount: undefined, touchpoints: withoutRevenue });
    await flushPromises();

    expect(text(element, '.otp-summary')).toBe(
      'No amount on this opportunity: credit is shown, revenue is not.',
    );
    expect(credits(element)).toEqual([30, 30, 10, 30, 0]);
    expect(texts(element, 'tbody .otp-revenue')).toEqual(['—', '—', '—', '—', '—']);
    expect(text(element, 'tfoot .otp-revenue')).toBe('—');
  });

  it('the empty state says in plain words where touchpoints come from and what to do', async () => {
    const element = mountComponent(EMPTY.opportunityId);
    getTouchpoints.emit(EMPTY);
    await flushPromises();

    expect(all(element, '.state-message')[0].dataset.state).toBe('empty');
    expect(text(element, '.state-title')).toBe('No touchpoints on this opportunity yet');
    expect(text(element, '.state-detail')).toMatch(
      /^Touchpoints come from the opportunity's people: the contacts of its account/,
    );
    expect(text(element, '.state-next-step')).toMatch(
      /^Nothing to do: touchpoints appear here within minutes/,
    );
    expect(element.shadowRoot.querySelector('select')).toBeNull();
    expect(element.shadowRoot.querySelector('c-opportunity-touchpoint-table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('an Apex error: the server message and what to do, no table', async () => {
    const element = mountComponent(PERSON_A_PERSON_B.opportunityId);
    getTouchpoints.error(APEX_ERROR.body, APEX_ERROR.status, APEX_ERROR.statusText);
    await flushPromises();

    expect(all(element, '[role="alert"]')).toHaveLength(1);
    expect(text(element, '.state-error-title')).toBe("The opportunity's touchpoints could not be loaded.");
    expect(text(element, '.state-error-detail')).toBe(APEX_ERROR.body.message);
    expect(all(element, 'lightning-spinner')).toEqual([]);
    expect(element.shadowRoot.querySelector('c-opportunity-touchpoint-table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('a user without the viewer permission set is told which one to ask for, not the technical error', async () => {
    const element = mountComponent(NO_ACCESS.opportunityId);
    getTouchpoints.emit(NO_ACCESS);
    await flushPromises();

    expect(text(element, '.state-title')).toBe('You cannot see opportunity touchpoints yet');
    expect(text(element, '.state-next-step')).toBe(
      'Ask your Salesforce admin to assign you the Call Touchpoints Viewer permission set.',
    );
    expect(element.shadowRoot.textContent).not.toContain('No such column');
    expect(text(element, '.state-message')).not.toContain('No such column');
  });

  it('outside an Opportunity page: a plain hint, no spinner, refresh disabled', async () => {
    const element = mountComponent('0015g00000AbCdEAAV', 'Account');
    await flushPromises();
    expect(text(element, '.state-empty')).toBe(
      'Open an opportunity to see its touchpoints and the revenue each one earned.',
    );
    expect(all(element, 'lightning-spinner')).toEqual([]);
    expect(all(element, 'lightning-button-icon.card-refresh')[0].disabled).toBe(true);
  });

  it('Refresh asks the server again past the client cache', async () => {
    const element = mountComponent(EMPTY.opportunityId);
    getTouchpoints.emit(EMPTY);
    await flushPromises();
    refreshApex.mockImplementation(() => {
      getTouchpoints.emit({ ...OPEN_WITH_CALLS, opportunityId: EMPTY.opportunityId });
      return Promise.resolve();
    });
    all(element, 'lightning-button-icon.card-refresh')[0].click();
    await flushPromises();
    await flushPromises();
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(all(element, 'tbody tr')).toHaveLength(5);
  });
});
