import { createElement } from 'lwc';
import CallTouchpointAttribution from 'c/callTouchpointAttribution';

const TOUCHPOINT = require('./data/touchpoint.json');
const WITHOUT_U_SHAPED = require('./data/touchpointWithoutUShaped.json');
const LINK = require('./data/personAndReason.json');

function mount(touchpoint, link = {}) {
  const element = createElement('c-call-touchpoint-attribution', { is: CallTouchpointAttribution });
  element.touchpoint = touchpoint;
  Object.assign(element, link);
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

  it('shows the person the call is linked to and why (Call_Join_Reason__c, R23)', async () => {
    const element = mount(TOUCHPOINT, LINK);
    const text = (id) => element.shadowRoot.querySelector(`[data-id="${id}"]`).textContent;
    expect(text('person')).toBe('Jane Doe (Contact)');
    expect(text('reason')).toBe('Joined, several records had the number');
    await expect(element).toBeAccessible();
  });

  it('a call linked to nobody says so, and no reason row when the Task has none yet', () => {
    const element = mount(TOUCHPOINT);
    expect(element.shadowRoot.querySelector('[data-id="person"]').textContent).toBe('No Lead or Contact');
    expect(element.shadowRoot.querySelector('[data-id="reason"]')).toBeNull();
  });
});
