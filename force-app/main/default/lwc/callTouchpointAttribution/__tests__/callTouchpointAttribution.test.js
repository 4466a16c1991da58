import { createElement } from 'lwc';
import CallTouchpointAttribution from 'c/callTouchpointAttribution';

const TOUCHPOINT = require('./data/touchpoint.json');
const WITHOUT_U_SHAPED = require('./data/touchpointWithoutUShaped.json');

function mount(touchpoint) {
  const element = createElement('c-call-touchpoint-attribution', { is: CallTouchpointAttribution });
  element.touchpoint = touchpoint;
  document.body.appendChild(element);
  return element;
}
const all = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));

describe('c-call-touchpoint-attribution', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('shows each model whole (no truncated "Lead creat…") with its percentage as a fraction', async () => {
    const element = mount(TOUCHPOINT);
    const terms = all(element, '.ctp-percentages dt');
    expect(terms.map((dt) => dt.textContent)).toEqual(['First touch', 'Lead creation', 'U-shaped']);
    expect(terms.filter((dt) => dt.classList.contains('slds-truncate'))).toEqual([]);
    // 100% arrives from Apex as 100 and is handed to lightning-formatted-number as a fraction.
    expect(all(element, 'lightning-formatted-number').map((n) => n.value)).toEqual([1, 1, 1]);
    await expect(element).toBeAccessible();
  });

  it('a model the touchpoint has no value for reads "not set"', () => {
    const element = mount(WITHOUT_U_SHAPED);
    expect(all(element, 'lightning-formatted-number').map((n) => n.value)).toEqual([0, 1]);
    expect(element.shadowRoot.querySelector('[data-model="uShaped"]').textContent.trim()).toBe('Not set');
  });
});
