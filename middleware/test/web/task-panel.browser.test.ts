import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLocalOrg } from '@call-touchpoints/local-org';
import { projectFile } from '../../src/project-root';
import type { ServerHandle } from '../../src/server/start';
import { chromiumDuringSuite, describeWithChromium, launchChromium } from '../chromium';
import { createTasks } from '../salesforce/fixtures';
import { startTestServer, serveDuringSuite, suiteTempDirs, TEST_ADMIN_TOKEN } from '../server/helpers';
import { BROWSER_UA, collect } from '../tracking/harness';

jest.setTimeout(90_000);

/**
 * The Task preview runs the real callTouchpointPanel LWC (built by `npm run build` into
 * dist/panel-preview/) in Chromium, its Apex wire answered by /tasks/:id/panel.json. Each test reads
 * what a rep reads in the panel, in every state the controller answers.
 */
const BUNDLE = projectFile('dist', 'panel-preview', 'call-touchpoint-panel.js');
if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const PANEL = 'c-call-touchpoint-panel';

describeWithChromium('Task preview: the real callTouchpointPanel LWC in Chromium')(
  'Task preview in Chromium',
  () => {
    // No join timer and no Change Data Capture: only the steps of a test run the join.
    const ctx = serveDuringSuite('task-panel', {
      joinIntervalMs: 3_600_000,
      env: { TASK_DISCOVERY: 'polling' },
    });
    const browser = chromiumDuringSuite(`--user-agent=${BROWSER_UA}`);
    const errors: string[] = [];

    /** Opens /tasks/:id and waits until the panel shows `selector`; fails on any console error (CSP). */
    async function openTask(id: string, selector: string, clock = false): Promise<Page> {
      const page = await browser().newPage();
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      // A fixed clock keeps the panel's own 5-second refresh from firing: only Refresh can change it.
      if (clock) await page.clock.install();
      const res = await page.goto(`${ctx.server.url}/tasks/${id}`);
      // The bundle runs under the pages' policy: own scripts only, no eval (a violation is a console error).
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      await page.locator(`${PANEL} ${selector}`).waitFor({ timeout: 20_000 });
      return page;
    }
    const text = async (page: Page, selector: string) =>
      (await page.locator(`${PANEL} ${selector}`).first().innerText()).replace(/\s+/g, ' ').trim();

    afterEach(() => {
      expect(errors).toEqual([]);
      errors.length = 0;
    });

    async function pageView(visitor: string, url: string): Promise<void> {
      const res = await collect(ctx.server.url, {
        events: [{ type: 'page_view', visitorId: visitor, url, referrer: 'https://www.google.com/' }],
      });
      expect(res.status).toBe(204);
    }

    async function joinStatus(id: string): Promise<string | null> {
      const q = await ctx.server.org.conn.query<{ Call_Join_Status__c: string | null }>(
        `SELECT Call_Join_Status__c FROM Task WHERE Id = '${id}'`,
      );
      return q.records[0].Call_Join_Status__c;
    }

    test('pending → merged: the panel says "not matched yet"; after the join writes, Refresh shows the merged touchpoint', async () => {
      const visitor = 'e0000000000000000000000000000001';
      const [id] = await createTasks(ctx.server.org, [
        {
          Subject: 'Call from (555) 010-4455',
          Type: 'Call',
          BizibleId__c: visitor,
          Call_Started_At__c: new Date(Date.now() + 60_000).toISOString(),
        },
      ]);
      const page = await openTask(id, '.state-message', true);
      expect(await text(page, '.state-title')).toBe('This call has not been matched yet');
      expect(await text(page, '.state-detail')).toBe(
        'Call Touchpoints matches new calls with web sessions within a few minutes.',
      );

      // The visitor's page view reaches /collect, then the join runs for the call and writes it.
      await pageView(
        visitor,
        'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo&gclid=abc',
      );
      await ctx.server.join.trigger([id]);
      expect(await joinStatus(id)).toBe('Merged');
      // Still pending on screen: the panel's clock is stopped, and the wire's value is what it was.
      expect(await text(page, '.state-title')).toBe('This call has not been matched yet');

      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator(`${PANEL} .ctp-summary`).waitFor({ timeout: 10_000 });
      expect(await text(page, '.ctp-summary')).toBe('Call from Paid Search · google / cpc · Spring Promo');
      expect(await text(page, '.ctp-status')).toMatch(
        /^Merged with the caller's web session · Call time: \w/,
      );
      // Positions spelled out (issue 27), and one sentence naming the touchpoint and the session.
      expect(await text(page, '.ctp-positions')).toContain('Lead Creation');
      // Who the call is linked to and why (R23): this Task names nobody.
      expect(await text(page, '.ctp-person [data-id="person"]')).toBe('Not linked to anyone');
      expect(await text(page, '.ctp-person [data-id="reason"]')).toBe('Joined, caller unknown (no person)');
      expect(await text(page, '.ctp-sentence')).toMatch(
        /^Paid Search touchpoint, campaign Spring Promo: the caller's web session landed on www\.example\.com\/pricing (under a minute|\d+ minutes?) before the call\.$/,
      );
      expect(await text(page, '[data-step="start"] .ctp-step-text')).toBe(
        'Landed on https://www.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo&gclid=abc',
      );
      expect(await text(page, '[data-step="start"] .slds-text-title_bold')).toMatch(/^Session started · \d/);
      expect(await text(page, '[data-field="source"]')).toBe('google');
      expect(await text(page, '[data-step="call"] .ctp-step-text')).toBe('Call from (555) 010-4455');
      await page.close();
    });

    test('while pending, the panel asks again by itself after 5 seconds and shows the merged call', async () => {
      const visitor = 'e0000000000000000000000000000003';
      const [id] = await createTasks(ctx.server.org, [
        {
          Subject: 'Call from (555) 010-5566',
          Type: 'Call',
          BizibleId__c: visitor,
          Call_Started_At__c: new Date(Date.now() + 60_000).toISOString(),
        },
      ]);
      const page = await openTask(id, '.state-message', true);
      await pageView(visitor, 'https://www.example.com/?utm_source=newsletter&utm_medium=email');
      await ctx.server.join.trigger([id]);
      await page.clock.runFor(4_000);
      expect(await text(page, '.state-title')).toBe('This call has not been matched yet');
      await page.clock.runFor(1_000);
      await page.locator(`${PANEL} .ctp-summary`).waitFor({ timeout: 10_000 });
      expect(await text(page, '.ctp-summary')).toBe('Call from Email · newsletter / email');
      await page.close();
    });

    test('standalone: a call whose visitor had no session in the window says why and what to do', async () => {
      const [id] = await createTasks(ctx.server.org, [
        {
          Subject: 'Call from (555) 010-6677',
          Type: 'Call',
          BizibleId__c: 'e0000000000000000000000000000002',
        },
      ]);
      expect((await ctx.server.join.trigger([id])).standalone).toBe(1);
      const page = await openTask(id, '.ctp-standalone');
      expect(await text(page, '.ctp-status')).toMatch(
        /^Standalone call: no web session in the window · Call time: \w/,
      );
      expect(await text(page, '.ctp-standalone-detail')).toMatch(/^No web session/);
      expect(await text(page, '.ctp-standalone .ctp-next-step')).toMatch(
        /^Nothing to fix if the caller did not use the website right before calling/,
      );
      expect(await page.locator(`${PANEL} .ctp-timeline`).count()).toBe(0);
      await page.close();
    });

    test('missing BizibleId: the panel names the missing visitor id and the fix', async () => {
      const [id] = await createTasks(ctx.server.org, [{ Subject: 'Call from (555) 010-8899', Type: 'Call' }]);
      await ctx.server.join.trigger([id]);
      const page = await openTask(id, '.state-message');
      expect(await text(page, '.state-title')).toBe('No visitor id on this call');
      expect(await text(page, '.state-next-step')).toBe(
        "Ask your admin to check that the call-tracking vendor captures the _biz_uid cookie from the website and writes it to the Task's BizibleId field.",
      );
      // The join ran (R23): who the call is linked to and why, under the message.
      expect(await text(page, '.ctp-person [data-id="person"]')).toBe('Not linked to anyone');
      expect(await text(page, '.ctp-person [data-id="reason"]')).toBe('No BizibleId from the vendor');
      await page.close();
    });

    test('not found: a Task id that does not exist', async () => {
      const page = await openTask('00T000000000000ZZZ', '.state-message');
      // The page and panel.json answer 404 for it, which Chromium logs; nothing else may be logged.
      const logged404 = errors.filter((e) => e.includes('status of 404'));
      expect(logged404.length).toBeGreaterThan(0);
      errors.splice(0, errors.length, ...errors.filter((e) => !logged404.includes(e)));
      expect(await text(page, '.state-title')).toBe('This Task could not be found');
      expect(await text(page, '.state-next-step')).toBe(
        'Open the Task again from its related record, or ask its owner to share it.',
      );
      await page.close();
    });
  },
);

describeWithChromium('Task preview: no access')('Task preview in Chromium: no access', () => {
  const newDir = suiteTempDirs();
  let server: ServerHandle;
  let close: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    // An org where Task.BizibleId__c is not readable: the query answers "No such column", as the API
    // does for a field hidden by field-level security; the controller then answers noAccess.
    const dir = newDir('task-panel-no-access');
    const forceApp = path.join(dir, 'force-app');
    fs.cpSync(projectFile('force-app'), forceApp, { recursive: true });
    fs.rmSync(
      path.join(forceApp, 'main', 'default', 'objects', 'Activity', 'fields', 'BizibleId__c.field-meta.xml'),
    );
    const org = await startLocalOrg({
      port: 0,
      dataDir: path.join(dir, 'org'),
      preload: true,
      forceAppDir: forceApp,
    });
    server = await startTestServer(path.join(dir, 'serve'), {
      env: {
        SF_INSTANCE_URL: org.instanceUrl,
        SF_ACCESS_TOKEN: org.accessToken,
        ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      },
      joinIntervalMs: 3_600_000,
    });
    close = async () => {
      await server.close();
      await org.close();
    };
    browser = await launchChromium(`--user-agent=${BROWSER_UA}`);
  });
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  test('the rep reads that they cannot see call touchpoints and which permission set to ask for', async () => {
    const [id] = await createTasks(server.org, [{ Subject: 'Call', Type: 'Call' }]);
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/tasks/${id}`);
    await page.locator(`${PANEL} .state-message`).waitFor({ timeout: 20_000 });
    expect(await page.locator(`${PANEL} .state-message`).getAttribute('data-state')).toBe('noAccess');
    expect(await page.locator(`${PANEL} .state-title`).innerText()).toBe(
      'You cannot see call touchpoints yet',
    );
    expect(await page.locator(`${PANEL} .state-next-step`).innerText()).toBe(
      'Ask your Salesforce admin to assign you the Call Touchpoints Viewer permission set.',
    );
    await context.close();
  });
});
