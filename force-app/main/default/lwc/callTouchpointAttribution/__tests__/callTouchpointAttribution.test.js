import CallTouchpointAttribution from 'c/callTouchpointAttribution';
import { all, mount, text } from 'test/lwc';

const TOUCHPOINT = require('./data/touchpoint.json');
const WITHOUT_U_SHAPED = require('./data/touchpointWithoutUShaped.json');
const LINK = require('./data/personAndReason.json');

const mountAttribution = (touchpoint, link = {}) =>
  mount('c-call-touchpoint-attribution', CallTouchpointAttribution, { touchpoint, ...link });

describe('c-call-touchpoint-attribution', () => {
  it('shows each model whole (no truncated "Lead creat…") with its percentage as a fraction', async () => {
    const element = mountAttribution(TOUCHPOINT);
    const terms = all(element, '.ctp-percentages dt');
    expect(terms.map((dt) => dt.textContent)).toEqual(['First touch', 'Lead creation', 'U-shaped']);
    expect(terms.filter((dt) => dt.classList.contains('slds-truncate'))).toEqual([]);
    // 100% arrives from Apex as 100 and is handed to lightning-formatted-number as a fraction.
    expect(all(element, 'lightning-formatted-number').map((n) => n.value)).toEqual([1, 1, 1]);
    await expect(element).toBeAccessible();
  });

  it('a model the touchpoint has no value for reads "not set"', () => {
    const element = mountAttribution(WITHOUT_U_SHAPED);
    expect(all(element, 'lightning-formatted-number').map((n) => n.value)).toEqual([0, 1]);
    expect(text(element, '[data-model="uShaped"]')).toBe('Not set');
  });

  it('shows the person the call is linked to and why (Call_Join_Reason__c, R23)', async () => {
    const element = mountAttribution(TOUCHPOINT, LINK);
    expect(text(element, '[data-id="person"]')).toBe('Jane Doe (Contact)');
    expect(text(element, '[data-id="reason"]')).toBe('Joined, several records had the number');
    await expect(element).toBeAccessible();
  });

  it('a call linked to nobody says so, and no reason row when the Task has none yet', () => {
    const element = mountAttribution(TOUCHPOINT);
    expect(text(element, '[data-id="person"]')).toBe('Not linked to anyone');
    expect(element.shadowRoot.querySelector('[data-id="reason"]')).toBeNull();
  });
});
