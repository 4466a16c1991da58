import { chromiumDuringSuite, describeWithChromium } from '../chromium';
import { postSignedCallRail, callRailPayload } from '../../src/web/demo-site';
import { serveDuringSuite } from './helpers';

const run = describeWithChromium('pages in a phone-sized browser');

/** The pages as a rep opens them on a phone (390 px wide, like an iPhone 14), against `serve`. */
run('pages in Chromium', () => {
  const ctx = serveDuringSuite('pages-browser');
  const browser = chromiumDuringSuite();

  beforeAll(async () => {
    // One call (standalone: the visitor never browsed), joined within a second or so.
    const delivery = await postSignedCallRail(
      `${ctx.server.url}/webhooks/callrail`,
      ctx.server.demoCallRailKey as string,
      callRailPayload({
        id: 'CALNARROW1',
        visitorId: 'cd'.repeat(16),
        startedAt: new Date(),
        durationSeconds: 60,
      }),
    );
    expect(delivery.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      if (/Standalone/.test(await (await fetch(`${ctx.server.url}/tasks`)).text())) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the call was not joined');
  }, 60_000);

  it("/tasks and a call's panel fit a 390 px-wide screen: no sideways scrolling", async () => {
    const page = await browser().newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${ctx.server.url}/tasks`);
      await page.getByText('Standalone').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // The call's panel page too.
      await page.locator('table.calls a').first().click();
      // The real panel LWC renders the standalone call.
      await page.locator('c-call-touchpoint-panel .ctp-standalone').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });

  it('the report has one count column when every touchpoint is a call, not "Call" and "Calls"', async () => {
    const page = await browser().newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(`${ctx.server.url}/reports/calls-by-channel`);
      const headers = await page.locator('table.report thead th').allTextContents();
      expect(headers.map((h) => h.trim())).toEqual(['Channel', 'Calls', 'U-shaped credit', 'U-shaped share']);
    } finally {
      await page.close();
    }
  });
});
