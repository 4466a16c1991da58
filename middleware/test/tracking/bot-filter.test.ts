import { loadConfig } from '../../src/config';
import { callRailPayload, postSignedCallRail } from '../../src/web/demo-site';
import { chromiumDuringSuite, describeWithChromium } from '../chromium';
import { serveDuringSuite } from '../server/helpers';
import { BROWSER_UA, collect, pageView, visitorId } from './harness';

jest.setTimeout(90_000);

const CURL_UA = 'curl/8.5.0';
type Served = ReturnType<typeof serveDuringSuite>;

interface JoinedCall {
  taskId: string;
  /** What the Task panel's Apex wire answers (/tasks/:id/panel.json): what the LWC renders. */
  panel: { state: string; joinStatus?: string; joinDetail?: string };
}

/** A CallRail call for `visitor` through the webhook; resolves once the join has written its Task. */
async function callAndReadPanel(ctx: Served, visitor: string, id: string): Promise<JoinedCall> {
  const base = ctx.server.url;
  const delivery = await postSignedCallRail(
    `${base}/webhooks/callrail`,
    ctx.server.demoCallRailKey as string,
    callRailPayload({ id, visitorId: visitor, startedAt: new Date(), durationSeconds: 30 }),
  );
  expect(delivery.status).toBe(202);
  for (let i = 0; i < 150; i++) {
    const [task] = (
      await ctx.server.org.conn.query<{ Id: string; Call_Join_Status__c: string | null }>(
        `SELECT Id, Call_Join_Status__c FROM Task WHERE BizibleId__c = '${visitor}'`,
      )
    ).records;
    if (task?.Call_Join_Status__c && task.Call_Join_Status__c !== 'Pending') {
      const res = await fetch(`${base}/tasks/${task.Id}/panel.json?refresh=1`);
      return { taskId: task.Id, panel: await res.json() };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the call of ${visitor} was not joined`);
}

const AUTOMATED =
  'No web session: this BizibleId was seen on the website, but its page views were dropped as automated traffic (bot user agent). Testing with a headless browser? Set TRACKING_BOT_FILTER=off.';

describe('bot filter on (default): automated browsers are dropped, and the call says so', () => {
  const ctx = serveDuringSuite('bots-on');

  it('curl: 204, nothing stored, and the Task detail and panel name automated traffic, not the vendor', async () => {
    const v = visitorId();
    const r = await collect(ctx.server.url, { events: [pageView(v)] }, { 'user-agent': CURL_UA });
    expect(r.status).toBe(204);
    expect(await ctx.server.store.sessionsForVisitor(v)).toEqual([]);

    const { panel } = await callAndReadPanel(ctx, v, 'CALBOTCURL1');
    expect(panel.joinStatus).toBe('Standalone');
    expect(panel.joinDetail?.startsWith(AUTOMATED)).toBe(true);
  });
});

describe('TRACKING_BOT_FILTER=off: automated browsers are tracked (for testing)', () => {
  const ctx = serveDuringSuite('bots-off', { env: { TRACKING_BOT_FILTER: 'off' } });

  it('curl: the page view is stored and the call merges with its session', async () => {
    const v = visitorId();
    const r = await collect(ctx.server.url, { events: [pageView(v)] }, { 'user-agent': CURL_UA });
    expect(r.status).toBe(204);
    expect(await ctx.server.store.sessionsForVisitor(v)).toHaveLength(1);
    const { panel } = await callAndReadPanel(ctx, v, 'CALBOTOFF1');
    expect(panel.joinStatus).toBe('Merged');
    expect(panel.joinDetail).toMatch(/^Merged with the/);
  });
});

const withChromium = describeWithChromium('bot filter with headless Chromium');
withChromium("headless Chromium's default user agent on the demo site", () => {
  const ctx = serveDuringSuite('bots-chromium');
  const browser = chromiumDuringSuite();

  it('its page views are dropped, and the rep reads that it was automated traffic, not a vendor problem', async () => {
    const context = await browser().newContext(); // HeadlessChrome/… user agent
    try {
      const page = await context.newPage();
      await page.goto(`${ctx.server.url}/demo/`);
      // The demo's Google Ads arrival: the snippet sends the page view, /collect answers 204.
      const sent = page.waitForResponse((res) => res.url().endsWith('/collect'));
      await page.click('#arrive-google-ads');
      expect((await sent).status()).toBe(204);
      const cookie = (await context.cookies()).find((c) => c.name === '_biz_uid');
      expect(cookie?.value).toMatch(/^[0-9a-f]{32}$/);
      expect(await ctx.server.store.sessionsForVisitor(cookie!.value)).toEqual([]);
      const { taskId, panel } = await callAndReadPanel(ctx, cookie!.value, 'CALBOTCHROME1');
      expect(panel.joinDetail?.startsWith(AUTOMATED)).toBe(true);

      // The rep opens the Task in a person's browser: the real panel LWC says what happened.
      const rep = await browser().newContext({ userAgent: BROWSER_UA });
      try {
        const tab = await rep.newPage();
        await tab.goto(`${ctx.server.url}/tasks/${taskId}`);
        const panelText = tab.locator('c-call-touchpoint-panel');
        await panelText.getByText('Nothing to fix at the call-tracking vendor', { exact: false }).waitFor();
        const shown = (await panelText.innerText()).replace(/\s+/g, ' ');
        expect(shown).toContain(AUTOMATED);
        expect(shown).not.toContain('never tracked');
        expect(shown).not.toContain('sends the visitor cookie');
      } finally {
        await rep.close();
      }
    } finally {
      await context.close();
    }
  });
});

describe('TRACKING_BOT_FILTER values', () => {
  it('on/off and true/false read alike, as every boolean variable; anything else is refused, naming the values', () => {
    expect(() => loadConfig({ TRACKING_BOT_FILTER: 'no' })).toThrow(
      'TRACKING_BOT_FILTER must be on or off (or true/false; off only for testing with automated browsers), got "no"',
    );
    expect(loadConfig({}).tracking.botFilter).toBe(true);
    expect(loadConfig({ TRACKING_BOT_FILTER: 'OFF' }).tracking.botFilter).toBe(false);
    expect(loadConfig({ TRACKING_BOT_FILTER: 'false' }).tracking.botFilter).toBe(false);
    expect(loadConfig({ TRACKING_HONOR_OPT_OUT: 'off' }).tracking.honorOptOut).toBe(false);
  });
});
