import type { Page } from 'playwright-core';
import { chromiumDuringSuite, describeWithChromium } from '../chromium';
import { createTasks } from '../salesforce/fixtures';
import { serveDuringSuite } from '../server/helpers';
import { BROWSER_UA, collect } from '../tracking/harness';

jest.setTimeout(120_000);

/**
 * A rep opens the Task panel in Lightning's right sidebar (≤ 320 px) or on a phone (390 px): every
 * page a user reaches must fit the width without horizontal scrolling, and the panel still says which
 * session and touchpoint the call is, with the positions spelled out.
 */
const WIDTHS = [320, 390];
const PANEL = 'c-call-touchpoint-panel';
const LONG_LANDING =
  'https://www.example.com/services/emergency-plumbing/burst-pipes?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo&utm_content=plumber-ad-1&utm_term=emergency%20plumber%2024%2F7&gclid=Cj0KCQiA-spring-2026-very-long-click-identifier';

describeWithChromium('Narrow screens in Chromium')('Narrow screens (320 px sidebar, 390 px phone)', () => {
  const ctx = serveDuringSuite('narrow-screens', {
    joinIntervalMs: 3_600_000,
    env: { TASK_DISCOVERY: 'polling' },
  });
  const browser = chromiumDuringSuite(`--user-agent=${BROWSER_UA}`);
  let taskId = '';

  beforeAll(async () => {
    const visitor = 'e0000000000000000000000000000320';
    const res = await collect(ctx.server.url, {
      events: [
        { type: 'page_view', visitorId: visitor, url: LONG_LANDING, referrer: 'https://www.google.com/' },
      ],
    });
    expect(res.status).toBe(204);
    [taskId] = await createTasks(ctx.server.org, [
      {
        Subject: 'Call from (555) 010-3200',
        Type: 'Call',
        BizibleId__c: visitor,
        Call_Started_At__c: new Date(Date.now() + 60_000).toISOString(),
      },
    ]);
    await ctx.server.join.trigger([taskId]);
  });

  /** Page width the user would have to scroll to, beyond the viewport. */
  async function overflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
    return page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
  }

  async function open(width: number, path: string, ready: string): Promise<Page> {
    const page = await browser().newPage({ viewport: { width, height: 800 } });
    await page.goto(`${ctx.server.url}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    return page;
  }

  for (const width of WIDTHS) {
    test(`${width} px: the Task panel fits, says which session and touchpoint, positions spelled out`, async () => {
      const page = await open(width, `/tasks/${taskId}`, `${PANEL} .ctp-sentence`);
      expect(await overflow(page)).toEqual({ scrollWidth: width, viewport: width });
      const sentence = await page.locator(`${PANEL} .ctp-sentence`).innerText();
      expect(sentence).toMatch(
        /^Paid Search touchpoint, campaign Spring Promo: the caller's web session landed on www\.example\.com\/services\/emergency-plumbing\/burst-pipes (under a minute|\d+ minutes?) before the call\.$/,
      );
      expect(await page.locator(`${PANEL} .ctp-positions`).innerText()).toContain('Lead Creation');
      // The model names are whole, not cut to "Lead creat…".
      const terms = await page.locator(`${PANEL} .ctp-percentages dt`).allInnerTexts();
      expect(terms).toEqual(['First touch', 'Lead creation', 'U-shaped']);
      for (const dt of await page.locator(`${PANEL} .ctp-percentages dt`).all())
        expect(await dt.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await page.close();
    });

    for (const [name, path, ready] of [
      ['the Tasks list', '/tasks', 'main'],
      ['the report', '/reports/calls-by-channel', 'main'],
      ['the demo launcher', '/demo/', '.launcher'],
    ] as const) {
      test(`${width} px: ${name} has no horizontal scroll`, async () => {
        const page = await open(width, path, ready);
        expect(await overflow(page)).toEqual({ scrollWidth: width, viewport: width });
        await page.close();
      });
    }
  }
});
