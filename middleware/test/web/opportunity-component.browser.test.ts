import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { projectFile } from '../../src/project-root';
import { chromiumDuringSuite, describeWithChromium } from '../chromium';
import { serveDuringSuite } from '../server/helpers';
import { BROWSER_UA } from '../tracking/harness';
import { insertOpportunity, lwcFixture } from '../../../scripts/demo-opportunities';

jest.setTimeout(120_000);

/**
 * The Opportunity preview runs the real opportunityCallTouchpoints LWC (built by `npm run build` into
 * dist/panel-preview/, with the Task panel) in Chromium, its Apex wire answered by
 * /opportunities/:id/touchpoints.json from the Opportunity_Touchpoint__c records in the org. Marketo
 * Measure's Person A / Person B example (Amount 100,000) is inserted as the join writes it.
 */
const BUNDLE = projectFile('dist', 'panel-preview', 'call-touchpoint-panel.js');
if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const COMPONENT = 'c-opportunity-call-touchpoints';

describeWithChromium('Opportunity preview: the real opportunityCallTouchpoints LWC in Chromium')(
  'Opportunity preview in Chromium',
  () => {
    const ctx = serveDuringSuite('opportunity-component', { joinIntervalMs: 3_600_000 });
    const browser = chromiumDuringSuite(`--user-agent=${BROWSER_UA}`);
    const errors: string[] = [];
    let wonId = '';
    let openId = '';
    let emptyId = '';

    beforeAll(async () => {
      wonId = await insertOpportunity(ctx.server.org, lwcFixture('personAPersonB'));
      openId = await insertOpportunity(ctx.server.org, lwcFixture('openWithCalls'));
      emptyId = await insertOpportunity(ctx.server.org, {
        ...lwcFixture('openWithCalls'),
        name: 'Globex — pilot',
        touchpoints: [],
      });
    });

    async function open(id: string, ready: string, width = 1280): Promise<Page> {
      const page = await browser().newPage({ viewport: { width, height: 900 }, locale: 'en-US' });
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${ctx.server.url}/opportunities/${id}`);
      // The bundle runs under the pages' policy: own scripts only, no eval (a violation is a console error).
      expect(res?.headers()['content-security-policy'] ?? '').toContain("script-src 'self'");
      await page.locator(`${COMPONENT} ${ready}`).first().waitFor({ timeout: 20_000 });
      return page;
    }
    const texts = async (page: Page, selector: string) =>
      (await page.locator(`${COMPONENT} ${selector}`).allInnerTexts()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      );

    afterEach(() => {
      expect(errors).toEqual([]);
      errors.length = 0;
    });

    async function pickModel(page: Page, name: string): Promise<void> {
      await page.getByRole('combobox', { name: 'Attribution model' }).selectOption({ label: name });
    }

    test('Person A / Person B: time order, positions spelled out, why, W-shaped credit and revenue; the picker switches to Full Path', async () => {
      const page = await open(wonId, '.otp-table');
      expect(await texts(page, '.otp-summary')).toEqual(['Amount $100,000.00']);
      expect(await texts(page, 'tbody .otp-line')).toEqual([
        'Paid Search · Web Visit',
        'Organic Search · Web Form',
        'Paid Social · Web Visit',
        'Webinar · Web Form',
        'Email · Web Form',
      ]);
      expect(await texts(page, 'tbody .otp-person')).toEqual([
        'by Person A',
        'by Person A',
        'by Person B',
        'by Person B',
        'by Person A',
      ]);
      expect(await texts(page, '.otp-position')).toEqual([
        'First Touch',
        'Lead Creation',
        'Opportunity Creation',
        'Closed',
      ]);
      const details = await texts(page, '.otp-detail');
      expect(details[3]).toBe('OC: the last touch before the opportunity was created on Mar 8, 2026.');
      expect(details[4]).toBe('Closed: the last touch before the opportunity closed on Mar 20, 2026.');
      expect(await texts(page, 'tbody .otp-credit')).toEqual(['30%', '30%', '10%', '30%', '0%']);
      expect(await texts(page, 'tbody .otp-revenue')).toEqual([
        '$30,000.00',
        '$30,000.00',
        '$10,000.00',
        '$30,000.00',
        '$0.00',
      ]);
      expect(await texts(page, 'tfoot .otp-revenue')).toEqual(['$100,000.00']);

      await pickModel(page, 'Full Path');
      await page.locator(`${COMPONENT} tbody .otp-credit`, { hasText: '22.5%' }).first().waitFor();
      expect(await texts(page, 'tbody .otp-credit')).toEqual(['22.5%', '22.5%', '10%', '22.5%', '22.5%']);
      expect(await texts(page, 'tbody .otp-revenue')).toEqual([
        '$22,500.00',
        '$22,500.00',
        '$10,000.00',
        '$22,500.00',
        '$22,500.00',
      ]);
      expect(await texts(page, '.otp-model-help')).toEqual([
        '22.5% each to the first touch, lead creation, opportunity creation and the closing touch; 10% shared by the touches between.',
      ]);
      await page.close();
    });

    test('an open Opportunity with calls: calls marked, Pending spelled out, the calls’ share of credit', async () => {
      const page = await open(openId, '.otp-table');
      expect(await page.locator(`${COMPONENT} tbody tr[data-call="true"]`).count()).toBe(3);
      expect(await texts(page, '.otp-call')).toEqual(['Call', 'Call', 'Call']);
      expect(await texts(page, '.otp-position[data-code="Pending"]')).toEqual([
        'Pending (closing touch while open)',
      ]);
      // The local org is single-currency (USD): the preview shows revenue in dollars.
      expect(await texts(page, '.otp-calls')).toEqual([
        'Calls earn 60% of the credit ($28,800.00) in this model.',
      ]);
      await page.close();
    });

    test('an Opportunity without touchpoints says so in plain words', async () => {
      const page = await open(emptyId, '.state-message');
      expect(await texts(page, '.state-title')).toEqual(['No touchpoints on this opportunity yet']);
      expect(await page.locator(`${COMPONENT} .otp-table`).count()).toBe(0);
      await page.close();
    });

    test('320 px (Lightning sidebar): the table and the picker show, nothing scrolls sideways', async () => {
      const page = await open(openId, '.otp-table', 320);
      const overflow = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      expect(overflow).toEqual({ scrollWidth: 320, viewport: 320 });
      const table = await page.locator(`${COMPONENT} .otp-table`).boundingBox();
      expect(table && table.x >= 0 && table.x + table.width <= 320).toBe(true);
      await expect(page.getByRole('combobox', { name: 'Attribution model' }).isVisible()).resolves.toBe(true);
      // Every revenue is whole, not cut or pushed out of view.
      for (const cell of await page.locator(`${COMPONENT} tbody .otp-revenue`).all()) {
        const box = await cell.boundingBox();
        expect(box && box.x + box.width <= 320).toBe(true);
      }
      await pickModel(page, 'Full Path');
      await page.locator(`${COMPONENT} tbody .otp-credit`, { hasText: '22.5%' }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(320);
      await page.close();
    });
  },
);
