import TouchpointCardState from 'c/touchpointCardState';
import { all, mount, text } from 'test/lwc';

// What the Task panel and the Opportunity component pass: the server's state with its texts, and the
// errors the wire hands over (an Apex exception; a UI API answer with one message per problem).
const NO_ACCESS = require('./data/noAccess.json');
const NOT_FOUND = require('./data/notFound.json');
const APEX_ERROR = require('./data/apexError.json');
const UI_API_ERRORS = require('./data/uiApiErrors.json');

const mountState = (properties) => mount('c-touchpoint-card-state', TouchpointCardState, properties);

describe('c-touchpoint-card-state', () => {
  it('empty: one quiet line, nothing else', async () => {
    const element = mountState({ variant: 'empty', heading: 'Open a Task to see its call touchpoint.' });
    expect(text(element, '.state-empty')).toBe('Open a Task to see its call touchpoint.');
    expect(all(element, 'lightning-spinner, [role="alert"], .state-message')).toEqual([]);
    await expect(element).toBeAccessible();
  });

  it('loading: a spinner that says what is loading', async () => {
    const element = mountState({ variant: 'loading', heading: 'Loading the call touchpoint…' });
    expect(all(element, 'lightning-spinner').map((s) => s.alternativeText)).toEqual([
      'Loading the call touchpoint…',
    ]);
    await expect(element).toBeAccessible();
  });

  it("error: an alert with the title, Apex's message and what to do", async () => {
    const element = mountState({
      variant: 'error',
      heading: 'The call touchpoint could not be loaded',
      errors: APEX_ERROR,
    });
    expect(text(element, '[role="alert"] .state-error-title')).toBe(
      'The call touchpoint could not be loaded',
    );
    expect(text(element, '.state-error-detail')).toBe(APEX_ERROR.body.message);
    expect(text(element, '[role="alert"]')).toMatch(/Reload the page. If this keeps happening/);
    await expect(element).toBeAccessible();
  });

  it('error: every message of a UI API answer, and the status text when there is no body', () => {
    const element = mountState({ variant: 'error', heading: 'Could not load', errors: UI_API_ERRORS });
    expect(text(element, '.state-error-detail')).toBe(
      "You don't have access to this record., No such column 'BizibleId__c' on entity 'Task'.",
    );
    const offline = mountState({
      variant: 'error',
      heading: 'Could not load',
      errors: { statusText: 'Offline' },
    });
    expect(text(offline, '.state-error-detail')).toBe('Offline');
  });

  it("message: the server's state, what happened and the next step under its heading", async () => {
    const element = mountState(NO_ACCESS);
    expect(all(element, '.state-message')[0].dataset.state).toBe('noAccess');
    expect(text(element, '.state-title')).toBe(NO_ACCESS.heading);
    expect(text(element, '.state-detail')).toBe(NO_ACCESS.detail);
    expect(text(element, '.slds-text-title_caps')).toBe('What to do next');
    expect(text(element, '.state-next-step')).toBe(NO_ACCESS.nextStep);
    await expect(element).toBeAccessible();
  });

  it('message without a next step: no next-step heading either', () => {
    const element = mountState(NOT_FOUND);
    expect(text(element, '.state-title')).toBe(NOT_FOUND.heading);
    expect(all(element, '.state-next-step, .slds-text-title_caps')).toEqual([]);
  });
});
