import { collect, pageView, visitorId } from '../tracking/harness';
import { serveDuringSuite } from './helpers';

describe('serve with no org configured (embedded local org)', () => {
  const ctx = serveDuringSuite('serve');

  test('start-up output names the local org, the SQLite file and every URL', () => {
    const text = ctx.server.summary.join('\n');
    expect(ctx.server.orgMode).toBe('local');
    expect(text).toMatch(/embedded local org http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toContain(`SQLite ${ctx.dir}`);
    expect(text).toMatch(/API budget: \d+ requests in 24 h, cap 1500 \(10% of the org's daily limit\)/);
    for (const p of [
      '/demo/',
      '/tasks',
      '/opportunities',
      '/reports/calls-by-channel',
      '/healthz',
      '/metrics',
      '/t.js',
      '/collect',
      '/webhooks/',
    ]) {
      expect(text).toContain(p);
    }
    expect(text).not.toContain(ctx.server.demoCallRailKey as string);
  });

  test('GET /healthz answers 200 with store and org ok', async () => {
    const res = await fetch(`${ctx.server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', store: 'ok (sqlite)', org: 'ok' });
    // The daily request budget: the local org reports 15,000 a day in Sforce-Limit-Info; we take 10%.
    expect(body.budget).toMatchObject({
      state: 'ok',
      deferring: false,
      cap: 1500,
      org: { limit: 15000 },
    });
    expect(body.budget.spent).toBeGreaterThan(0);
    // deploy selected Task for Change Data Capture in the embedded org: no Task polling.
    expect(body.taskDiscovery).toMatch(/^cdc \(/);
  });

  test('GET /metrics is Prometheus text with the gauges set at scrape time', async () => {
    await fetch(`${ctx.server.url}/healthz`);
    const res = await fetch(`${ctx.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^call_touchpoints_sessions 0$/m);
    expect(text).toMatch(/^call_touchpoints_outbox_depth 0$/m);
    expect(text).toContain('# TYPE call_touchpoints_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /call_touchpoints_http_request_duration_seconds_count\{route="\/healthz",status="200"\} \d+/,
    );
    // Every org request is counted by kind and purpose: start-up deployed, /healthz read /limits.
    expect(text).toMatch(
      /call_touchpoints_salesforce_requests_total\{kind="metadata",purpose="deploy"\} [1-9]/,
    );
    expect(text).toMatch(
      /call_touchpoints_salesforce_requests_total\{kind="limits",purpose="health"\} [1-9]/,
    );
  });

  test('the demo site carries the snippet and the channel links; the snippet is served', async () => {
    const index = await (await fetch(`${ctx.server.url}/demo/`)).text();
    expect(index).toContain('gclid=');
    expect(index).toContain('utm_campaign=Spring%20Promo');
    expect(index).toContain('utm_medium=email');
    const home = await (await fetch(`${ctx.server.url}/demo/site/`)).text();
    expect(home).toContain('<script src="/t.js" async></script>');
    expect(home).toContain('(555) 010-4477');
    expect(home).toContain('local-only helper');
    const snippet = await fetch(`${ctx.server.url}/t.js`);
    expect(snippet.status).toBe(200);
    expect(snippet.headers.get('content-type')).toMatch(/javascript/);
  });

  test('the report page rejects a bad date range with 400 and the reason', async () => {
    const bad = await fetch(`${ctx.server.url}/reports/calls-by-channel?from=2026-02-30`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('from is not a calendar date: &quot;2026-02-30&quot;');
    const reversed = await fetch(
      `${ctx.server.url}/reports/calls-by-channel?from=2026-03-10&to=2026-03-01&format=json`,
    );
    expect(reversed.status).toBe(400);
    expect(await reversed.json()).toEqual({ error: 'from (2026-03-10) is after to (2026-03-01)' });
    const ok = await fetch(`${ctx.server.url}/reports/calls-by-channel?from=2026-03-01&to=2026-03-10`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('No call touchpoints in this range.');
  });

  test("an unknown Task id answers 404; the panel gets the controller's notFound state", async () => {
    // What the panel then shows in the browser: middleware/test/web/task-panel.browser.test.ts.
    const res = await fetch(`${ctx.server.url}/tasks/00T000000000000AAA`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('data-record-id="00T000000000000AAA"');
    const json = await fetch(`${ctx.server.url}/tasks/00T000000000000AAA/panel.json`);
    expect([json.status, await json.json()]).toEqual([
      404,
      { state: 'notFound', taskId: '00T000000000000AAA' },
    ]);
  });

  test('the simulate-call helper refuses a browser without the visitor cookie', async () => {
    const res = await fetch(`${ctx.server.url}/demo/api/simulate-call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/_biz_uid/);
  });

  test('a visitor whose page views were dropped as automated hears so from simulate-call, not "browse a page first"', async () => {
    const visitor = visitorId();
    // sendBeacon from headless Chromium: the UA says HeadlessChrome, so /collect drops the events.
    const headless =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
    expect(
      (await collect(ctx.server.url, { events: [pageView(visitor)] }, { 'user-agent': headless })).status,
    ).toBe(204);
    const call = (body: unknown) =>
      fetch(`${ctx.server.url}/demo/api/simulate-call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `_biz_uid=${visitor}` },
        body: JSON.stringify(body),
      });

    const later = await call({ minutesAfterLastActivity: 45 });
    expect(later.status).toBe(409);
    const { error } = await later.json();
    expect(error).toMatch(/^this visitor's page views were dropped as automated traffic/);
    expect(error).toContain('TRACKING_BOT_FILTER=off');
    expect(error).not.toContain('browse a page first');

    // A call "now" is still placed (it becomes a standalone touchpoint), with the same warning first.
    const now = await call({});
    expect(now.status).toBe(200);
    expect((await now.json()).warning).toMatch(/dropped as automated traffic/);
  });
});
