import { createElement } from 'lwc';
import CallTouchpointSession from 'c/callTouchpointSession';

const SESSION = require('./data/session.json');

function mount(session) {
  const element = createElement('c-call-touchpoint-session', { is: CallTouchpointSession });
  element.session = session;
  document.body.appendChild(element);
  return element;
}
const text = (element, selector) => element.shadowRoot.querySelector(selector).textContent.trim();

describe('c-call-touchpoint-session', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('lists the UTM tags and the click id the session has, in order', async () => {
    const element = mount(SESSION);
    const fields = Array.from(element.shadowRoot.querySelectorAll('dd')).map((dd) => dd.dataset.field);
    expect(fields).toEqual(['source', 'medium', 'campaign', 'content', 'term', 'clickId']);
    expect(text(element, '[data-field="source"]')).toBe('google');
    expect(text(element, '[data-field="term"]')).toBe('call tracking software');
    expect(text(element, '[data-field="clickId"]')).toBe('gclid:EAIaIQobChMI8v3x');
    await expect(element).toBeAccessible();
  });

  it('leaves out the tags a session does not have, and the whole list for an untagged session', () => {
    const element = mount({ ...SESSION, utmContent: undefined, utmTerm: undefined, clickId: undefined });
    const fields = Array.from(element.shadowRoot.querySelectorAll('dd')).map((dd) => dd.dataset.field);
    expect(fields).toEqual(['source', 'medium', 'campaign']);

    const untagged = mount({
      id: SESSION.id,
      startedAt: SESSION.startedAt,
      landingPage: 'https://www.example.com/',
    });
    expect(untagged.shadowRoot.querySelector('.ctp-session')).toBeNull();
    expect(untagged.shadowRoot.querySelector('h3')).toBeNull();
  });
});
