import CallTouchpointSession from 'c/callTouchpointSession';
import { all, mount, text } from 'test/lwc';

const SESSION = require('./data/session.json');

const mountSession = (session) => mount('c-call-touchpoint-session', CallTouchpointSession, { session });

describe('c-call-touchpoint-session', () => {
  it('lists the UTM tags and the click id the session has, in order', async () => {
    const element = mountSession(SESSION);
    const fields = all(element, 'dd').map((dd) => dd.dataset.field);
    expect(fields).toEqual(['source', 'medium', 'campaign', 'content', 'term', 'clickId']);
    expect(text(element, '[data-field="source"]')).toBe('google');
    expect(text(element, '[data-field="term"]')).toBe('call tracking software');
    expect(text(element, '[data-field="clickId"]')).toBe('gclid:EAIaIQobChMI8v3x');
    await expect(element).toBeAccessible();
  });

  it('leaves out the tags a session does not have, and the whole list for an untagged session', () => {
    const element = mountSession({
      ...SESSION,
      utmContent: undefined,
      utmTerm: undefined,
      clickId: undefined,
    });
    const fields = all(element, 'dd').map((dd) => dd.dataset.field);
    expect(fields).toEqual(['source', 'medium', 'campaign']);

    const untagged = mountSession({
      id: SESSION.id,
      startedAt: SESSION.startedAt,
      landingPage: 'https://www.example.com/',
    });
    expect(all(untagged, '.ctp-session')).toEqual([]);
    expect(all(untagged, 'h3')).toEqual([]);
  });
});
