import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests expect Chromium (the Debian/Ubuntu `chromium` package). */
export const CHROMIUM = '/usr/bin/chromium';

/** `describe` when Chromium is installed; otherwise `describe.skip`, after printing what is skipped and why. */
export function describeWithChromium(what: string): jest.Describe {
  if (fs.existsSync(CHROMIUM)) return describe;
  console.log(`${what} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return describe.skip;
}

/** Headless Chromium as it runs in a container; `args` adds flags (e.g. --user-agent=…). */
export function launchChromium(...args: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      ...args,
    ],
  });
}

/** One Chromium for the enclosing describe block: launched before its tests, closed after them. */
export function chromiumDuringSuite(...args: string[]): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(...args);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  }, 60_000);
  return () => {
    if (!browser) throw new Error('Chromium did not start (see the beforeAll error)');
    return browser;
  };
}
