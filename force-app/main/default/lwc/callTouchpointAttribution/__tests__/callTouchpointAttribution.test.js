import CallTouchpointAttribution from 'c/callTouchpointAttribution';
import { all, mount, text } from 'test/lwc';

const TOUCHPOINT = require('./data/touchpoint.json');
const WITHOUT_U_SHAPED = require('./data/touchpointWithoutUShaped.json');

const mountAttribution = (touchpoint) =>
  mount('c-call-touchpoint-attribution', CallTouchpointAttribution, { touchpoint });

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
});
