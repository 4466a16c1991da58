import { gunzipSync } from 'node:zlib';
import { botsDropped, trackingOptOutDropped } from '../../src/metrics';
import {
  BROWSER_UA,
  collect,
  pageView,
  request,
  startTrackingServer,
  visitorId,
  type TrackingServer,
} from './harness';

const counter = async (c: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await c.get()).values.reduce((sum, v) => sum + v.value, 0);

describe('GET /t.js', () => {
  let srv: TrackingServer;
  beforeAll(async () => {
    srv = await startTrackingServer();
  });
  afterAll(() => srv.close());

  test('serves the snippet as cacheable JavaScript, gzipped under 3 KB', async () => {
    const res = await request(srv.url, { path: '/t.js', headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body.length).toBeLessThan(3 * 1024);
    const source = gunzipSync(res.body).toString('utf8');
    expect(source).toContain('_biz_uid');
    expect(() => new Function(source)).not.toThrow(); // parses as a script

    const plain = await request(srv.url, { path: '/t.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(source);
    const again = await request(srv.url, {
      path: '/t.js',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.status).toBe(304);
  });

  test('refreshes an existing _biz_uid (same value, privately cached) and never creates one', async () => {
    const id = visitorId();
    const res = await request(srv.url, { path: '/t.js', headers: { cookie: `_biz_uid=${id}` } });
    expect(res.headers['set-cookie']).toEqual([expect.stringContaining(`_biz_uid=${id}; Max-Age=31536000`)]);
    expect(res.headers['cache-control']).toBe('private, max-age=300');
  });
});

describe('POST /collect', () => {
  let srv: TrackingServer;
  beforeAll(async () => {
    srv = await startTrackingServer({ SITE_ORIGINS: 'https://www.example.com, https://shop.other.org' });
  });
  afterAll(() => srv.close());

  test('a good batch answers 204, stores the events and sets _biz_uid from the server', async () => {
    const v = visitorId();
    const res = await collect(srv.url, {
      events: [pageView(v), pageView(v, { type: 'form_submit', email: ' Ann@Example.com ' })],
    });
    expect(res.status).toBe(204);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^_biz_uid=${v}; Max-Age=31536000; Path=/; SameSite=Lax$`));
    expect(cookie).not.toMatch(/HttpOnly/i);
    const [session] = await srv.store.sessionsForVisitor(v);
    expect(session).toMatchObject({
      pageViews: 1,
      formSubmits: 1,
      utmSource: 'google',
      clickId: 'gclid=Cj0abc',
    });
    expect(session.forms[0].email).toBe('Ann@Example.com');
  });

  test('an existing _biz_uid is kept, never replaced', async () => {
    const existing = visitorId();
    const res = await collect(
      srv.url,
      { events: [pageView(visitorId())] },
      { cookie: `_biz_uid=${existing}` },
    );
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toContain(`_biz_uid=${existing};`);
    const foreign = await collect(
      srv.url,
      { events: [pageView(visitorId())] },
      { cookie: '_biz_uid=not-ours' },
    );
    expect(foreign.headers['set-cookie']).toBeUndefined();
  });

  test('bad events get 400 with a reason each, and the good ones of the batch are stored', async () => {
    const v = visitorId();
    const before = await srv.store.countEvents();
    const res = await collect(srv.url, {
      events: [
        pageView(v),
        pageView(v, { visitorId: 'ABC' }),
        pageView(v, { url: 'javascript:alert(1)' }),
        { type: 'page_view', url: 'https://www.example.com/' },
        pageView(v, { url: 'https://www.example.com/two', referrer: 'https://www.example.com/' }),
      ],
    });
    expect(res.status).toBe(400);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [1, 'visitorId'],
      [2, 'url'],
      [3, 'visitorId'],
    ]);
    expect(body.rejected[0].reason).toMatch(/32 lowercase hex/);
    expect(await srv.store.countEvents()).toBe(before + 2);
    expect((await srv.store.sessionsForVisitor(v))[0].pageViews).toBe(2);
  });

  test('text/plain bodies (sendBeacon) are accepted; other content types get 415', async () => {
    const v = visitorId();
    const body = JSON.stringify({ events: [pageView(v)] });
    const ok = await request(srv.url, {
      method: 'POST',
      path: '/collect',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER_UA },
      body,
    });
    expect(ok.status).toBe(204);
    for (const type of ['application/x-www-form-urlencoded', 'application/xml', undefined]) {
      const res = await request(srv.url, {
        method: 'POST',
        path: '/collect',
        headers: { ...(type ? { 'content-type': type } : {}), 'user-agent': BROWSER_UA },
        body,
      });
      expect(res.status).toBe(415);
      expect(res.json().error).toMatch(/application\/json or text\/plain/);
    }
    expect(await srv.store.sessionsForVisitor(v)).toHaveLength(1);
  });

  test('a body over 64 KB gets 413; a body that is not JSON gets 400', async () => {
    const big = {
      events: [pageView(visitorId(), { url: 'https://www.example.com/?q=' + 'x'.repeat(70_000) })],
    };
    expect((await collect(srv.url, big)).status).toBe(413);
    const bad = await collect(srv.url, '{"events": [');
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/not valid UTF-8 JSON/);
    expect((await collect(srv.url, { events: [] })).json().error).toMatch(/at least one event/);
  });

  test('CORS: listed origins may post with credentials; others are refused with 403', async () => {
    const pre = await request(srv.url, {
      method: 'OPTIONS',
      path: '/collect',
      headers: { origin: 'https://www.example.com', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://www.example.com');
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(pre.headers['access-control-allow-methods']).toContain('POST');

    const v = visitorId();
    const ok = await collect(srv.url, { events: [pageView(v)] }, { origin: 'https://www.example.com' });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://www.example.com');

    const other = visitorId();
    const refused = await collect(
      srv.url,
      { events: [pageView(other)] },
      { origin: 'https://evil.example.net' },
    );
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatch(/SITE_ORIGINS/);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(await srv.store.sessionsForVisitor(other)).toEqual([]);

    const same = await collect(srv.url, { events: [pageView(visitorId())] }, { origin: srv.url });
    expect(same.status).toBe(204);
  });

  test('the cookie is set for the site domain only when the middleware is first-party to it', async () => {
    const v = visitorId();
    // Middleware answering as track.example.com for a page on www.example.com.
    const first = await collect(
      srv.url,
      { events: [pageView(v)] },
      { origin: 'https://www.example.com', host: 'track.example.com' },
    );
    expect(String(first.headers['set-cookie'])).toContain('; Domain=example.com;');
    // Same middleware, page on another site: a third-party cookie would be useless, none is set.
    const third = await collect(
      srv.url,
      { events: [pageView(v)] },
      { origin: 'https://shop.other.org', host: 'track.example.com' },
    );
    expect(third.status).toBe(204);
    expect(third.headers['set-cookie']).toBeUndefined();
  });

  test('bots are dropped (204, nothing stored) and counted', async () => {
    const v = visitorId();
    const before = await counter(botsDropped);
    const res = await collect(
      srv.url,
      { events: [pageView(v)] },
      { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    );
    expect(res.status).toBe(204);
    expect(await srv.store.sessionsForVisitor(v)).toEqual([]);
    expect(await counter(botsDropped)).toBe(before + 1);
  });

  test('Sec-GPC: 1 and DNT: 1 are honoured as an opt-out: nothing stored, no cookie', async () => {
    const v = visitorId();
    const before = await counter(trackingOptOutDropped);
    for (const h of [{ 'sec-gpc': '1' }, { dnt: '1' }] as Record<string, string>[]) {
      const res = await collect(srv.url, { events: [pageView(v)] }, h);
      expect(res.status).toBe(204);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await srv.store.sessionsForVisitor(v)).toEqual([]);
    expect(await counter(trackingOptOutDropped)).toBe(before + 2);
  });

  test('a client time outside the allowed skew is dropped and the event kept', async () => {
    const v = visitorId();
    const now = Date.now();
    const res = await collect(srv.url, {
      events: [
        pageView(v, { eventId: `skew_far_${v}`, clientTime: now - 24 * 3600_000 }),
        pageView(v, { eventId: `skew_near_${v}`, clientTime: now - 1000 }),
      ],
    });
    expect(res.status).toBe(204);
    const [s] = await srv.store.sessionsForVisitor(v);
    // The far-off client time was dropped: the session starts at server time, not a day ago.
    expect(s.startedAt).toBeGreaterThan(now - 10_000);
    expect(s.eventIds.sort()).toEqual([`skew_far_${v}`, `skew_near_${v}`]);
  });
});

describe('POST /collect limits and settings', () => {
  test('the per-IP rate limit answers 429', async () => {
    const srv = await startTrackingServer({ COLLECT_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await collect(srv.url, { events: [pageView(visitorId())] })).status);
      expect(statuses).toEqual([204, 204, 204, 429, 429]);
    } finally {
      await srv.close();
    }
  });

  test('TRACKING_HONOR_OPT_OUT=false stores events sent with Sec-GPC', async () => {
    const srv = await startTrackingServer({ TRACKING_HONOR_OPT_OUT: 'false' });
    try {
      const v = visitorId();
      expect((await collect(srv.url, { events: [pageView(v)] }, { 'sec-gpc': '1' })).status).toBe(204);
      expect(await srv.store.sessionsForVisitor(v)).toHaveLength(1);
    } finally {
      await srv.close();
    }
  });

  test('without SITE_ORIGINS only the middleware origin itself may post', async () => {
    const srv = await startTrackingServer();
    try {
      expect(
        (await collect(srv.url, { events: [pageView(visitorId())] }, { origin: 'https://www.example.com' }))
          .status,
      ).toBe(403);
      expect((await collect(srv.url, { events: [pageView(visitorId())] }, { origin: srv.url })).status).toBe(
        204,
      );
    } finally {
      await srv.close();
    }
  });
});

describe('GET /api/visitors/:id/sessions', () => {
  test('answers 401 with the reason when ADMIN_TOKEN is not set', async () => {
    const srv = await startTrackingServer();
    try {
      const res = await request(srv.url, {
        path: `/api/visitors/${visitorId()}/sessions`,
        headers: { authorization: 'Bearer x' },
      });
      expect(res.status).toBe(401);
      expect(res.json().error).toMatch(/set ADMIN_TOKEN/);
    } finally {
      await srv.close();
    }
  });

  test('returns the sessions as Web_Session__c records behind the bearer token', async () => {
    const srv = await startTrackingServer({ ADMIN_TOKEN: 'admin-secret-0123456789abcdefghijklmn' });
    try {
      const v = visitorId();
      await collect(srv.url, {
        events: [
          pageView(v),
          pageView(v, { type: 'form_submit', url: 'https://www.example.com/contact', referrer: '' }),
        ],
      });
      const path = `/api/visitors/${v}/sessions`;
      expect((await request(srv.url, { path })).status).toBe(401);
      expect(
        (await request(srv.url, { path, headers: { authorization: 'Bearer wrong' } })).json().error,
      ).toMatch(/wrong bearer token/);
      const auth = { authorization: 'Bearer admin-secret-0123456789abcdefghijklmn' };
      expect(
        (await request(srv.url, { path: '/api/visitors/NOT-A-VISITOR/sessions', headers: auth })).status,
      ).toBe(400);
      expect(
        (await request(srv.url, { path: `${path}?from=yesterday`, headers: auth })).json().error,
      ).toMatch(/"from"/);
      const res = await request(srv.url, { path, headers: auth });
      expect(res.status).toBe(200);
      const body = res.json();
      expect(body.visitorId).toBe(v);
      expect(body.sessions).toHaveLength(1);
      expect(body.sessions[0]).toMatchObject({
        sobject: 'Web_Session__c',
        BizibleId__c: v,
        Landing_Page__c: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=Cj0abc',
        Referrer_Page__c: 'https://www.google.com/',
        Channel__c: 'Paid Search',
        Source__c: 'google',
        Medium__c: 'cpc',
        Click_Id__c: 'gclid=Cj0abc',
        Page_Views__c: 1,
        Form_Submits__c: 1,
      });
      const empty = await request(srv.url, {
        path: `${path}?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`,
        headers: auth,
      });
      expect(empty.json().sessions).toEqual([]);
    } finally {
      await srv.close();
    }
  });
});
