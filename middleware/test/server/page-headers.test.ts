import http from 'node:http';
import { describeWithChromium, launchChromium } from '../chromium';
import { BROWSER_UA } from '../tracking/harness';
import { serveDuringSuite } from './helpers';

jest.setTimeout(60_000);

/** A GET with a Host header of our choosing (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host, accept: 'text/html' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/**
 * docs/security.md, "Pages and sign-in": the pages carry security headers (CSP, no framing, nosniff, referrer
 * policy) without breaking the snippet on customers' sites, and the local org on loopback answers
 * only loopback host names (DNS rebinding).
 */
describe('page security headers and the Host check (local org on loopback)', () => {
  const ctx = serveDuringSuite('headers', { env: { SITE_ORIGINS: 'https://www.example.com' } });

  test('pages send CSP with frame-ancestors none, X-Frame-Options DENY, nosniff and a referrer policy', async () => {
    for (const path of ['/tasks', '/reports/calls-by-channel', '/demo/', '/demo/site/', '/login']) {
      const res = await fetch(`${ctx.server.url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  test('the snippet and /collect stay usable from a customer site', async () => {
    const snippet = await fetch(`${ctx.server.url}/t.js`);
    expect(snippet.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(snippet.headers.get('content-security-policy')).toBeNull();
    const preflight = await fetch(`${ctx.server.url}/collect`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://www.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://www.example.com');
  });

  test('a request for another host name (DNS rebinding) is refused with 421 and the reason', async () => {
    const evil = await getWithHost(`${ctx.server.url}/tasks`, 'rebind.evil.example');
    expect(evil.status).toBe(421);
    expect(evil.body).toContain('does not answer for host "rebind.evil.example"');
    expect(evil.body).toContain('PUBLIC_HOSTNAMES');
    const port = ctx.server.port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect((await getWithHost(`${ctx.server.url}/tasks`, host)).status).toBe(200);
    }
  });
});

describeWithChromium('Pages under their CSP in Chromium')('pages under their CSP in Chromium', () => {
  const ctx = serveDuringSuite('headers-chromium');

  test('no CSP violation on the pages and the demo site, and the snippet still records the visit', async () => {
    const browser = await launchChromium(`--user-agent=${BROWSER_UA}`);
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      for (const path of ['/demo/', '/demo/site/', '/tasks', '/reports/calls-by-channel', '/login'])
        await page.goto(`${ctx.server.url}${path}`, { waitUntil: 'load' });
      await page.goto(`${ctx.server.url}/demo/site/`, { waitUntil: 'load' });
      await page.goto(`${ctx.server.url}/demo/`, { waitUntil: 'load' });
      const visitor = (await context.cookies()).find((c) => c.name === '_biz_uid')?.value;
      expect(visitor).toMatch(/^[0-9a-f]{32}$/);
      const until = Date.now() + 10_000;
      while (!(await ctx.server.store.sessionsForVisitor(visitor as string)).length && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect((await ctx.server.store.sessionsForVisitor(visitor as string)).length).toBeGreaterThan(0);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
