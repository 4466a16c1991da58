import CallTouchpointTimeline from 'c/callTouchpointTimeline';
import { all, mount, text } from 'test/lwc';

const TIMELINE = require('./data/timeline.json');

// The Salesforce user's locale and time zone: a rep in New York.
jest.mock('@salesforce/i18n/locale', () => ({ default: 'en-US' }), { virtual: true });
jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'America/New_York' }), { virtual: true });

const mountTimeline = ({ session, callTime, subject }) =>
  mount('c-call-touchpoint-timeline', CallTouchpointTimeline, { session, callTime, subject });

describe('c-call-touchpoint-timeline', () => {
  it('landing page → last activity → call, with the time between and where the visitor came from', async () => {
    const element = mountTimeline(TIMELINE);
    const steps = all(element, 'li').map((li) => li.dataset.step);
    expect(steps).toEqual(['start', 'activity', 'call']);
    expect(text(element, '[data-step="start"] .ctp-step-text')).toBe(
      `Landed on ${TIMELINE.session.landingPage}`,
    );
    expect(text(element, '[data-step="start"] .ctp-step-subtext')).toBe(
      'Referred by https://www.google.com/',
    );
    expect(text(element, '[data-step="activity"] .ctp-step-text')).toBe('4 page views, 0 form submits');
    // 12:41 → 12:58 → 13:05 UTC.
    expect(text(element, '[data-step="activity"] .ctp-gap')).toBe('↓ 17 minutes later');
    expect(text(element, '[data-step="call"] .ctp-gap')).toBe('↓ 7 minutes later');
    expect(text(element, '[data-step="call"] .ctp-step-text')).toBe(TIMELINE.subject);
    await expect(element).toBeAccessible();
  });

  it("times in the user's locale and zone, as the header writes them (clock only on the call's day)", () => {
    const element = mountTimeline(TIMELINE);
    expect(text(element, '[data-step="start"] .ctp-step-title')).toBe('Session started · 8:41 AM EDT');
    expect(text(element, '[data-step="call"] .ctp-step-title')).toBe('Phone call · 9:05 AM EDT');

    const dayBefore = mountTimeline({
      ...TIMELINE,
      session: { ...TIMELINE.session, startedAt: '2026-03-09T12:41:00.000Z' },
    });
    expect(text(dayBefore, '[data-step="start"] .ctp-step-title')).toBe(
      'Session started · Mar 9, 2026, 8:41 AM EDT',
    );
  });

  it('a gap under a minute reads "under a minute later", not "0 min later"', () => {
    const element = mountTimeline({
      ...TIMELINE,
      session: { ...TIMELINE.session, lastActivityAt: '2026-03-10T13:04:40.000Z' },
    });
    expect(text(element, '[data-step="call"] .ctp-gap')).toBe('↓ under a minute later');
  });

  it('a call during the session sits between landing and last activity', () => {
    const element = mountTimeline({ ...TIMELINE, callTime: '2026-03-10T12:50:00.000Z' });
    const steps = all(element, 'li').map((li) => li.dataset.step);
    expect(steps).toEqual(['start', 'call', 'activity']);
  });

  it('an ad click whose browser sent no referrer is a tagged arrival, not a direct one', () => {
    const element = mountTimeline({ ...TIMELINE, session: { ...TIMELINE.session, referrerPage: undefined } });
    expect(text(element, '[data-step="start"] .ctp-step-subtext')).toBe(
      'Arrived through a tagged link (gclid, google / cpc, Spring Promo); the browser sent no referring site',
    );
  });
});
