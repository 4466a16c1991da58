import TouchpointCard from 'c/touchpointCard';
import { all, flushPromises, mount, text } from 'test/lwc';

// What the Task panel and the Opportunity component pass: the server's state with its texts, and the
// errors the wire hands over (an Apex exception; a UI API answer with one message per problem).
const NO_ACCESS = require('./data/noAccess.json');
const NOT_FOUND = require('./data/notFound.json');
const APEX_ERROR = require('./data/apexError.json');
const UI_API_ERRORS = require('./data/uiApiErrors.json');

const CARD = { cardTitle: 'Call touchpoint', iconName: 'standard:call', refreshLabel: 'Refresh' };
const mountCard = (properties) => mount('c-touchpoint-card', TouchpointCard, { ...CARD, ...properties });

describe('c-touchpoint-card', () => {
  it('a card with its title and icon; the refresh button asks the parent to refresh, unless disabled', async () => {
    const element = mountCard({ cardState: null });
    const card = all(element, 'lightning-card')[0];
    expect(card.title).toBe('Call touchpoint');
    expect(card.iconName).toBe('standard:call');
    const refreshes = jest.fn();
    element.addEventListener('refresh', refreshes);
    const button = all(element, 'lightning-button-icon.card-refresh')[0];
    expect(button.alternativeText).toBe('Refresh');
    button.click();
    expect(refreshes).toHaveBeenCalledTimes(1);

    element.refreshDisabled = true;
    await flushPromises();
    expect(button.disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('no state: no message, the content only', () => {
    const element = mountCard({ cardState: null });
    expect(all(element, '.state-empty, lightning-spinner, [role="alert"], .state-message')).toEqual([]);
    expect(all(element, 'slot')).toHaveLength(1);
  });

  it('empty: one quiet line', async () => {
    const element = mountCard({ cardState: { variant: 'empty', heading: 'Open a call Task.' } });
    expect(text(element, '.state-empty')).toBe('Open a call Task.');
    expect(all(element, 'lightning-spinner, [role="alert"], .state-message')).toEqual([]);
    await expect(element).toBeAccessible();
  });

  it('loading: a spinner that says what is loading', async () => {
    const element = mountCard({ cardState: { variant: 'loading', heading: 'Loading the call touchpoint…' } });
    expect(all(element, 'lightning-spinner').map((s) => s.alternativeText)).toEqual([
      'Loading the call touchpoint…',
    ]);
    await expect(element).toBeAccessible();
  });

  it("error: an alert with the title, Apex's message and what to do", async () => {
    const element = mountCard({
      cardState: { variant: 'error', heading: 'The call touchpoint could not be loaded.' },
      errors: APEX_ERROR,
    });
    expect(text(element, '[role="alert"] .state-error-title')).toBe(
      'The call touchpoint could not be loaded.',
    );
    expect(text(element, '.state-error-detail')).toBe(APEX_ERROR.body.message);
    expect(text(element, '[role="alert"]')).toMatch(/Reload the page. If this keeps happening/);
    await expect(element).toBeAccessible();
  });

  it('error: every message of a UI API answer, and the status text when there is no body', () => {
    const error = { variant: 'error', heading: 'Could not load' };
    const element = mountCard({ cardState: error, errors: UI_API_ERRORS });
    expect(text(element, '.state-error-detail')).toBe(
      "You don't have access to this record., No such column 'BizibleId__c' on entity 'Task'.",
    );
    const offline = mountCard({ cardState: error, errors: { statusText: 'Offline' } });
    expect(text(offline, '.state-error-detail')).toBe('Offline');
  });

  it("message: the server's state, what happened and the next step under its heading", async () => {
    const element = mountCard({ cardState: NO_ACCESS });
    expect(all(element, '.state-message')[0].dataset.state).toBe('noAccess');
    expect(text(element, '.state-title')).toBe(NO_ACCESS.heading);
    expect(text(element, '.state-detail')).toBe(NO_ACCESS.detail);
    expect(text(element, '.slds-text-title_caps')).toBe('What to do next');
    expect(text(element, '.state-next-step')).toBe(NO_ACCESS.nextStep);
    await expect(element).toBeAccessible();
  });

  it('message without a next step: no next-step heading either', () => {
    const element = mountCard({ cardState: NOT_FOUND });
    expect(text(element, '.state-title')).toBe(NOT_FOUND.heading);
    expect(all(element, '.state-next-step, .slds-text-title_caps')).toEqual([]);
  });
});
