import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertOpportunity, lwcFixture } from './demo-opportunities';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../middleware/src/config';
import { silentLogger } from '../middleware/src/log';
import { projectFile } from '../middleware/src/project-root';
import { startServer } from '../middleware/src/server/start';

/**
 * `npm run screenshots`: the docs' screenshots, taken from a fresh `serve` on embedded defaults (local
 * org, SQLite in a temp folder) with a few tracked visitors and their calls, in headless Chromium
 * (/usr/bin/chromium, or CHROMIUM) with a desktop Chrome user agent so the bot filter tracks it.
 * Writes docs/screenshots/*.png; rerun after a change to a page so the docs never go stale.
 */

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = projectFile('docs', 'screenshots');
const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Visitors who arrive through different channels and call a few minutes later. */
const CALLERS = [
  {
    landing:
      'https://www.northwind-plumbing.example/emergency?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo&gclid=Cj0KCQiA-demo',
    referrer: 'https://www.google.com/',
    minutesLater: 6,
  },
  {
    landing: 'https://www.northwind-plumbing.example/',
    referrer: 'https://www.google.com/',
    minutesLater: 3,
  },
  {
    landing: 'https://www.northwind-plumbing.example/offers?utm_source=newsletter&utm_medium=email',
    referrer: '',
    minutesLater: 12,
  },
  {
    landing:
      'https://www.northwind-plumbing.example/pricing?utm_source=google&utm_medium=cpc&utm_campaign=Spring%20Promo',
    referrer: 'https://www.google.com/',
    minutesLater: 1,
  },
];

async function shoot(page: Page, url: string, file: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(OUT, file), fullPage: true });
  process.stdout.write(`  docs/screenshots/${file}\n`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it or set CHROMIUM`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-screenshots-'));
  process.stdout.write('screenshots: starting serve on embedded defaults…\n');
  const server = await startServer(
    loadConfig({ CALL_TOUCHPOINTS_DATA_DIR: dataDir, PORT: '0', TASK_DISCOVERY: 'polling' }),
    { port: 0, host: '127.0.0.1', logger: silentLogger, joinIntervalMs: 3_600_000 },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  try {
    const taskIds: string[] = [];
    for (const [i, caller] of CALLERS.entries()) {
      const visitor = `d${String(i).padStart(31, '0')}`;
      const res = await fetch(`${server.url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': DESKTOP_UA },
        body: JSON.stringify({
          events: [{ type: 'page_view', visitorId: visitor, url: caller.landing, referrer: caller.referrer }],
        }),
      });
      if (res.status !== 204) throw new Error(`/collect answered ${res.status}`);
      const created = (await server.org.conn.sobject('Task').create({
        Subject: `Call from (555) 010-${4400 + i}`,
        Type: 'Call',
        BizibleId__c: visitor,
        Call_Started_At__c: new Date(Date.now() + caller.minutesLater * 60_000).toISOString(),
      })) as { id: string };
      taskIds.push(created.id);
    }
    // A caller the website never saw: a standalone call.
    const standalone = (await server.org.conn.sobject('Task').create({
      Subject: 'Call from (555) 010-4499',
      Type: 'Call',
      BizibleId__c: 'f0000000000000000000000000000099',
    })) as { id: string };
    await server.join.trigger([...taskIds, standalone.id]);

    fs.mkdirSync(OUT, { recursive: true });
    const desktop = await browser.newPage({ userAgent: DESKTOP_UA, viewport: { width: 1100, height: 800 } });
    // Lightning's right sidebar is about 320 px wide: the panel as a rep sees it there.
    const sidebar = await browser.newPage({ userAgent: DESKTOP_UA, viewport: { width: 360, height: 900 } });
    await shoot(
      sidebar,
      `${server.url}/tasks/${taskIds[0]}`,
      'task-merged.png',
      'c-call-touchpoint-panel .ctp-sentence',
    );
    await shoot(
      sidebar,
      `${server.url}/tasks/${standalone.id}`,
      'task-standalone.png',
      'c-call-touchpoint-panel .ctp-standalone',
    );
    // Marketo Measure's Person A / Person B example and an open Opportunity with calls, as the join writes them.
    const wonId = await insertOpportunity(server.org, lwcFixture('personAPersonB'));
    await insertOpportunity(server.org, lwcFixture('openWithCalls'));
    await shoot(
      sidebar,
      `${server.url}/opportunities/${wonId}`,
      'opportunity-touchpoints.png',
      'c-opportunity-call-touchpoints .otp-table',
    );
    await shoot(desktop, `${server.url}/tasks`, 'tasks-list.png', 'main');
    // The March 2026 range holds both the calls above (today) and the demo Opportunities' touchpoints.
    const today = new Date().toISOString().slice(0, 10);
    const to = today > '2026-03-31' ? today : '2026-03-31';
    await shoot(
      desktop,
      `${server.url}/reports/calls-by-channel?from=2026-03-01&to=${to}`,
      'report-calls-by-channel.png',
      'main',
    );
    await shoot(desktop, `${server.url}/demo/site/`, 'demo-site.png', '[data-simulate-call]');
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
