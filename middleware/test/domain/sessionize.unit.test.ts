import fc from 'fast-check';
import {
  DEFAULT_SESSIONIZE_OPTIONS,
  eventTime,
  extendSession,
  sessionize,
  type TrackedEvent,
} from '../../src/domain';
import { at, event } from './builders';

const T0 = at('2026-03-10T12:00:00Z');
const MIN = 60_000;

describe('sessionize (R4)', () => {
  test('30 minutes without activity end a session; exactly 30 minutes do not', () => {
    const sessions = sessionize([
      event({ receivedAt: T0 }),
      event({ receivedAt: T0 + 30 * MIN, url: 'https://www.example.com/a' }),
      event({ receivedAt: T0 + 61 * MIN, url: 'https://www.example.com/b' }),
    ]);
    expect(sessions.map((s) => s.pageViews)).toEqual([2, 1]);
  });

  test('a different external source starts a new session even within 30 minutes', () => {
    const sessions = sessionize([
      event({ receivedAt: T0, referrer: 'https://www.google.com/' }),
      event({
        receivedAt: T0 + 5 * MIN,
        url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=march',
      }),
      event({
        receivedAt: T0 + 8 * MIN,
        url: 'https://www.example.com/?gclid=abc',
        referrer: 'https://www.google.com/',
      }),
      event({
        receivedAt: T0 + 9 * MIN,
        url: 'https://www.example.com/?gclid=abc',
        referrer: 'https://www.google.com/',
      }),
    ]);
    expect(sessions.map((s) => [s.referrerDomain, s.utmCampaign, s.clickId, s.pageViews])).toEqual([
      ['google.com', null, null, 1],
      [null, 'march', null, 1],
      ['google.com', null, 'gclid=abc', 2],
    ]);
  });

  test('Direct arrivals and internal navigation do not break a session', () => {
    const sessions = sessionize([
      event({
        receivedAt: T0,
        url: 'https://www.example.com/?utm_source=google&utm_medium=cpc',
        referrer: 'https://www.google.com/',
      }),
      event({ receivedAt: T0 + 10 * MIN, url: 'https://www.example.com/pricing', referrer: null }),
      event({
        receivedAt: T0 + 20 * MIN,
        url: 'https://shop.example.com/cart',
        referrer: 'https://www.example.com/pricing',
      }),
    ]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ utmSource: 'google', pageViews: 3, lastActivityAt: T0 + 20 * MIN });
  });

  test('sessions longer than 24 h are split', () => {
    const events: TrackedEvent[] = [];
    for (let m = 0; m <= 25 * 60; m += 20)
      events.push(event({ receivedAt: T0 + m * MIN, url: `https://www.example.com/p${m}` }));
    const sessions = sessionize(events);
    expect(sessions).toHaveLength(2);
    expect(sessions[0].lastActivityAt - sessions[0].startedAt).toBeLessThan(
      DEFAULT_SESSIONIZE_OPTIONS.maxSessionMs,
    );
  });

  test('client time within the skew orders events of one batch; an off clock is ignored', () => {
    const landing = event({
      receivedAt: T0 + 2 * MIN,
      clientTime: T0,
      url: 'https://www.example.com/?utm_source=google&utm_medium=cpc',
      referrer: 'https://www.google.com/',
    });
    const next = event({
      receivedAt: T0 + 2 * MIN,
      clientTime: T0 + MIN,
      url: 'https://www.example.com/pricing',
    });
    const [s] = sessionize([next, landing]);
    expect(s.startedAt).toBe(T0);
    expect(s.landingPage).toBe('https://www.example.com/?utm_source=google&utm_medium=cpc');
    const wrongClock = event({ receivedAt: T0, clientTime: T0 - 3 * 60 * MIN });
    expect(sessionize([wrongClock])[0].startedAt).toBe(T0);
  });

  test('form submits are counted and listed with time and URL', () => {
    const [s] = sessionize([
      event({ receivedAt: T0 }),
      event({
        type: 'form_submit',
        receivedAt: T0 + MIN,
        url: 'https://www.example.com/demo',
        email: 'dana@acme.example',
      }),
    ]);
    expect(s).toMatchObject({
      pageViews: 1,
      formSubmits: 1,
      forms: [{ at: T0 + MIN, url: 'https://www.example.com/demo', email: 'dana@acme.example' }],
    });
  });
});

// Property tests: arbitrary visitors' events over a few hours with a mix of sources.
const urls = [
  'https://www.example.com/',
  'https://www.example.com/pricing',
  'https://www.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=a',
  'https://www.example.com/?gclid=xyz',
  'https://www.example.com/?utm_source=newsletter&utm_medium=email',
];
const referrers = [null, 'https://www.google.com/', 'https://www.example.com/', 'https://www.bing.com/'];
const arbEvent = fc
  .record({
    v: fc.constantFrom('a'.repeat(32), 'b'.repeat(32)),
    minute: fc.integer({ min: 0, max: 60 * 30 }),
    second: fc.integer({ min: 0, max: 59 }),
    u: fc.constantFrom(...urls),
    r: fc.constantFrom(...referrers),
    form: fc.boolean(),
    skew: fc.option(fc.integer({ min: -10 * MIN, max: 10 * MIN })),
  })
  .map((x) =>
    event({
      visitorId: x.v,
      receivedAt: T0 + x.minute * MIN + x.second * 1000,
      url: x.u,
      referrer: x.r,
      type: x.form ? 'form_submit' : 'page_view',
      clientTime: x.skew === null ? null : T0 + x.minute * MIN + x.second * 1000 + x.skew,
    }),
  );
const uniqueEvents = fc.uniqueArray(arbEvent, { selector: (e) => e.eventId, maxLength: 80 });

describe('sessionize properties', () => {
  test('independent of input order', () => {
    fc.assert(
      fc.property(
        uniqueEvents.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          expect(sessionize(shuffled)).toEqual(sessionize(events));
        },
      ),
    );
  });

  test('every event lands in exactly one session, within its window', () => {
    fc.assert(
      fc.property(uniqueEvents, (events) => {
        const sessions = sessionize(events);
        const seen = sessions.flatMap((s) => s.eventIds);
        expect([...seen].sort()).toEqual(events.map((e) => e.eventId).sort());
        for (const s of sessions) {
          expect(s.pageViews + s.formSubmits).toBe(s.eventIds.length);
          expect(s.lastActivityAt - s.startedAt).toBeLessThan(DEFAULT_SESSIONIZE_OPTIONS.maxSessionMs);
        }
      }),
    );
  });

  test('extending the last session with later events equals sessionizing everything (the store fast path)', () => {
    const oneVisitor = fc.uniqueArray(
      arbEvent.map((e) => event({ ...e, visitorId: 'a'.repeat(32) })),
      { selector: (e) => e.eventId, minLength: 2, maxLength: 60 },
    );
    fc.assert(
      fc.property(oneVisitor, fc.integer({ min: 1, max: 59 }), (events, cut) => {
        const skew = DEFAULT_SESSIONIZE_OPTIONS.clientSkewMs;
        const ordered = [...events].sort(
          (x, y) => eventTime(x, skew) - eventTime(y, skew) || (x.eventId < y.eventId ? -1 : 1),
        );
        const k = Math.min(cut, ordered.length - 1);
        const before = sessionize(ordered.slice(0, k));
        const last = before[before.length - 1];
        const extended = extendSession(structuredClone(last), ordered.slice(k));
        expect([...before.slice(0, -1), ...extended!]).toEqual(sessionize(ordered));
        // An event at or before the session's last one cannot be appended: null, the caller re-sessionizes.
        expect(extendSession(last, ordered.slice(k - 1))).toBeNull();
      }),
    );
  });
});
