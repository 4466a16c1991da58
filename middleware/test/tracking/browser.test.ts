import type { Express } from 'express';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../chromium';
import { BROWSER_UA, startTrackingServer, type TrackingServer } from './harness';

/**
 * The snippet in a real browser (headless Chromium): cookie, page views (also SPA navigations),
 * form submit with email, consent. Skipped with a message when /usr/bin/chromium is missing.
 */
jest.setTimeout(60_000);

const html = (body: string, script = '<script src="/t.js"></script>') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${script}</head><body>${body}</body></html>`;

function testPages(app: Express): void {
  app.get('/landing', (_req, res) => {
    res.type('html').send(html('<h1>Landing</h1><a id="next" href="/pricing">Pricing</a>'));
  });
  app.get('/pricing', (_req, res) => {
    res
      .type('html')
      .send(
        html(
          '<form action="/thanks" method="get"><input name="name" value="Ann"><input type="email" name="email"><button type="submit">Send</button></form>',
        ),
      );
  });
  app.get('/thanks', (_req, res) => {
    res.type('html').send(html('<p>Thanks</p>', ''));
  });
  app.get('/consent', (_req, res) => {
    res.type('html').send(html('<p>Consent page</p>', '<script src="/t.js" data-requires-consent></script>'));
  });
  app.get('/no-dnt', (_req, res) => {
    res
      .type('html')
      .send(html('<p>Ignores opt-out</p>', '<script src="/t.js" data-honor-dnt="false"></script>'));
  });
  app.get(['/app', '/app/*rest'], (_req, res) => {
    res.type('html').send(html('<p>SPA</p>'));
  });
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  explain?: () => Promise<string>,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${explain ? `; found ${await explain()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const maybe = describeWithChromium('Browser tracking tests');

maybe('tracking snippet in headless Chromium', () => {
  let browser: Browser;
  let srv: TrackingServer;
  let context: BrowserContext;

  beforeAll(async () => {
    // Headless Chromium says "HeadlessChrome" in its user agent, which isbot rightly drops. A
    // real visitor's desktop Chrome agent is set on the browser itself: a per-context override
    // does not reach beacons sent while a page unloads.
    browser = await launchChromium(`--user-agent=${BROWSER_UA}`);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    srv = await startTrackingServer({}, testPages);
    context = await browser.newContext();
  });
  afterEach(async () => {
    await context?.close();
    await srv?.close();
  });

  test('two pages and a form: one visitor with _biz_uid, one session with 2 page views and 1 form submit', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const landing = `${srv.url}/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale&gclid=TeSt123`;
    await page.goto(landing);
    await page.click('#next');
    await page.waitForURL(/\/pricing$/);
    await page.fill('input[name=email]', 'ann@example.com');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/thanks/);

    const cookie = await waitFor('the _biz_uid cookie', async () =>
      (await context.cookies()).find((c) => c.name === '_biz_uid'),
    );
    expect(cookie.value).toMatch(/^[0-9a-f]{32}$/);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.httpOnly).toBe(false);
    expect(cookie.expires * 1000 - Date.now()).toBeGreaterThan(360 * 24 * 3600_000);

    const [session] = await waitFor(
      'three events in one session',
      async () => {
        const s = await srv.store.sessionsForVisitor(cookie.value);
        return s.length === 1 && s[0].pageViews + s[0].formSubmits === 3 ? s : null;
      },
      15_000,
      async () =>
        JSON.stringify({
          events: await srv.store.countEvents(),
          sessions: await srv.store.sessionsForVisitor(cookie.value),
        }),
    );
    expect(await srv.store.countEvents()).toBe(3); // one visitor: every stored event is this one's
    expect(await srv.store.countSessions()).toBe(1);
    expect(session).toMatchObject({
      visitorId: cookie.value,
      pageViews: 2,
      formSubmits: 1,
      landingPage: landing,
      utmSource: 'google',
      utmMedium: 'cpc',
      utmCampaign: 'spring_sale',
      clickId: 'gclid=TeSt123',
    });
    expect(session.forms).toEqual([
      { at: expect.any(Number), url: `${srv.url}/pricing`, email: 'ann@example.com' },
    ]);
    expect(errors).toEqual([]);
  });

  test('data-requires-consent: no cookie and no events until consent(), then both', async () => {
    const page = await context.newPage();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/collect')) posts.push(r.method());
    });
    await page.goto(`${srv.url}/consent?utm_source=newsletter&utm_medium=email`);
    await page.evaluate(() => history.pushState({}, '', '/consent/step-2'));
    // Longer than the snippet's 1 s batching delay, and a page-hide flush: still nothing may leave.
    await page.waitForTimeout(1500);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => (window as any).callTouchpoints.visitorId())).toBeNull();
    expect((await context.cookies()).filter((c) => c.name === '_biz_uid')).toEqual([]);
    expect(posts).toEqual([]);
    expect(await srv.store.countEvents()).toBe(0);

    await page.evaluate(() => (window as any).callTouchpoints.consent());
    const id = await page.evaluate(() => (window as any).callTouchpoints.visitorId());
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await context.cookies()).find((c) => c.name === '_biz_uid')?.value).toBe(id);
    const sessions = await waitFor('the held events', async () => {
      const s = await srv.store.sessionsForVisitor(id);
      return s.length && s[0].pageViews === 2 ? s : null;
    });
    expect(sessions).toHaveLength(1);
    expect(sessions[0].utmSource).toBe('newsletter');
  });

  test('single-page-app navigations count as page views; replaceState to the same URL does not', async () => {
    const page = await context.newPage();
    await page.goto(`${srv.url}/app`);
    await page.evaluate(() => {
      history.pushState({}, '', '/app/step-2');
      history.replaceState({ x: 1 }, '', '/app/step-2');
      history.pushState({}, '', '/app/step-3');
    });
    await page.goBack(); // popstate back to step-2
    const id = await page.evaluate(() => (window as any).callTouchpoints.visitorId());
    const [s] = await waitFor('four page views', async () => {
      const list = await srv.store.sessionsForVisitor(id);
      return list.length && list[0].pageViews === 4 ? list : null;
    });
    expect(s.landingPage).toBe(`${srv.url}/app`);
    expect(await srv.store.countEvents()).toBe(4);
  });

  test('Global Privacy Control keeps the snippet silent unless data-honor-dnt="false"', async () => {
    const gpc = await browser.newContext();
    try {
      await gpc.addInitScript(() =>
        Object.defineProperty(navigator, 'globalPrivacyControl', { get: () => true }),
      );
      const page = await gpc.newPage();
      await page.goto(`${srv.url}/landing`);
      await page.waitForTimeout(1500);
      await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
      expect(await page.evaluate(() => document.cookie)).toBe('');
      expect(await page.evaluate(() => (window as any).callTouchpoints.visitorId())).toBeNull();
      expect(await srv.store.countEvents()).toBe(0);

      // The site opted out of honouring the signal in the snippet (the server honours Sec-GPC
      // on its own, but this browser does not send that header).
      await page.goto(`${srv.url}/no-dnt`);
      const id = await page.evaluate(() => (window as any).callTouchpoints.visitorId());
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      await waitFor('the page view', async () => (await srv.store.sessionsForVisitor(id)).length === 1);
    } finally {
      await gpc.close();
    }
  });
});
