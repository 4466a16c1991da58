import CallTouchpointHeader from 'c/callTouchpointHeader';
import { all, mount, text } from 'test/lwc';

const MERGED = require('./data/merged.json');
const STANDALONE = require('./data/standalone.json');

// The Salesforce user's locale and time zone (Setup → Personal Information): a rep in Stockholm.
jest.mock('@salesforce/i18n/locale', () => ({ default: 'en-GB' }), { virtual: true });
jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'Europe/Stockholm' }), { virtual: true });

const mountHeader = (panel) => mount('c-call-touchpoint-header', CallTouchpointHeader, { panel });

describe('c-call-touchpoint-header', () => {
  it('names the touchpoint and the session in one sentence: channel, campaign, landing page, time before the call', async () => {
    const element = mountHeader(MERGED);
    expect(text(element, '.ctp-summary')).toBe('Call from Paid Search · google / cpc · Spring Promo');
    // Landed 12:41, called 13:05 (UTC).
    expect(text(element, '.ctp-sentence')).toBe(
      "Paid Search touchpoint, campaign Spring Promo: the caller's web session landed on www.example.com/pricing 24 minutes before the call.",
    );
    await expect(element).toBeAccessible();
  });

  it('says "under a minute" for a call right after (or within the clock skew before) the landing', () => {
    const element = mountHeader({
      ...MERGED,
      touchpoint: { ...MERGED.touchpoint, campaign: undefined },
      session: { ...MERGED.session, startedAt: '2026-03-10T13:05:20.000Z' },
    });
    expect(text(element, '.ctp-sentence')).toBe(
      "Paid Search touchpoint: the caller's web session landed on www.example.com/pricing under a minute before the call.",
    );
  });

  it('a standalone call: the sentence says it is not tied to a web session', () => {
    const element = mountHeader(STANDALONE);
    expect(text(element, '.ctp-sentence')).toBe(
      'Other touchpoint: a standalone call, not tied to a web session.',
    );
    expect(text(element, '.ctp-status')).toMatch(
      /^Standalone call: no web session in the window · Call time:/,
    );
  });

  it('spells the positions out, with what each means as a tooltip', () => {
    const element = mountHeader(MERGED);
    const badges = all(element, 'lightning-badge');
    expect(badges.map((badge) => badge.label)).toEqual(['First Touch', 'Lead Creation']);
    const spans = all(element, '.ctp-positions span');
    expect(spans.map((span) => span.title)).toEqual([
      "FT: first touch, the visitor's first session",
      "LC: lead creation, the visitor's first conversion",
    ]);
  });

  it("shows the call time in the Salesforce user's locale and time zone, the zone named", () => {
    const element = mountHeader(MERGED);
    // 13:05 UTC is 14:05 in Stockholm in March (CET, UTC+1); en-GB writes a 24-hour clock.
    expect(text(element, '.ctp-status')).toBe(
      "Merged with the caller's web session · Call time: 10 Mar 2026, 14:05 CET",
    );
  });

  it('no positions: no badge group', () => {
    const element = mountHeader({ ...MERGED, touchpoint: { ...MERGED.touchpoint, position: undefined } });
    expect(all(element, '.ctp-positions')).toEqual([]);
  });
});
