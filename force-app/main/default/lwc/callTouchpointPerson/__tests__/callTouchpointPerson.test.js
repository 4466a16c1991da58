import CallTouchpointPerson from 'c/callTouchpointPerson';
import { mount, text } from 'test/lwc';

// What the Task panel passes from PanelData: the Task's WhoId name and type, and Call_Join_Reason__c's label.
const LINKED_CONTACT = require('./data/linkedContact.json');
const NOT_LINKED = require('./data/notLinked.json');

const mountPerson = (properties) => mount('c-call-touchpoint-person', CallTouchpointPerson, properties);

describe('c-call-touchpoint-person', () => {
  it('names the person the call is linked to, with Lead or Contact, and why (R23)', async () => {
    const element = mountPerson(LINKED_CONTACT);
    expect(text(element, 'dt')).toBe('Linked to');
    expect(text(element, '[data-id="person"]')).toBe('Maria Lindqvist (Contact)');
    expect(text(element, '[data-id="reason"]')).toBe('No BizibleId from the vendor');
    await expect(element).toBeAccessible();
  });

  it('a call linked to nobody says so in plain words', async () => {
    const element = mountPerson(NOT_LINKED);
    expect(text(element, '[data-id="person"]')).toBe('Not linked to anyone');
    expect(text(element, '[data-id="reason"]')).toBe('Visits dropped as bot traffic');
    await expect(element).toBeAccessible();
  });

  it('a person without a known type reads as the name alone; no "Why" line without a reason', () => {
    const element = mountPerson({ personName: 'Maria Lindqvist' });
    expect(text(element, '[data-id="person"]')).toBe('Maria Lindqvist');
    expect(element.shadowRoot.querySelector('[data-id="reason"]')).toBeNull();
  });
});
