import { CALL_OUTBOX_KIND } from '../../src/vendors/router';
import { callRailPayload, postSignedCallRail } from '../../src/web/demo-site';
import { createTasks } from '../salesforce/fixtures';
import { BROWSER_UA } from '../tracking/harness';
import { serveDuringSuite, startRemoteServe, suiteTempDirs, TEST_ADMIN_TOKEN } from './helpers';
import { until } from '../until';

jest.setTimeout(90_000);

/**
 * Issue 17, the daily request budget (salesforce/budget.ts): the org's allowance is shared by every
 * integration, so work that can wait waits when ours is spent, and a refused request
 * (REQUEST_LIMIT_EXCEEDED) loses nothing.
 */
describe('the org refuses requests (REQUEST_LIMIT_EXCEEDED)', () => {
  const ctx = serveDuringSuite('limit-exceeded');

  test('calls wait in the outbox, /healthz says why, and the Task is written once the org takes requests again', async () => {
    const org = ctx.server.localOrg!;
    org.setFaults({ requestLimitExceeded: true });
    const delivery = await postSignedCallRail(
      `${ctx.server.url}/webhooks/callrail`,
      ctx.server.demoCallRailKey as string,
      callRailPayload({
        id: 'CALLIMIT1',
        visitorId: 'cd'.repeat(16),
        startedAt: new Date(),
        durationSeconds: 60,
      }),
    );
    expect(delivery.status).toBe(202);

    const health = await until('the refusal in /healthz', 20_000, async () => {
      const body = await (await fetch(`${ctx.server.url}/healthz`)).json();
      return body.budget?.state === 'limit-exceeded' ? body : null;
    });
    expect(health.budget.deferring).toBe(true);
    expect(health.budget.summary).toContain('limit-exceeded');
    // Nothing was written and nothing was dropped: the call is still in the outbox.
    expect(await ctx.server.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(1);
    expect(org.apiRequests()).toBeGreaterThan(0);

    // The allowance is back (Salesforce's window rolls on): the outbox drains by itself.
    org.setFaults({ requestLimitExceeded: false });
    const status = await until('the joined Task', 30_000, async () => {
      const r = await ctx.server.org.conn.query<{ Call_Join_Status__c: string | null }>(
        "SELECT Call_Join_Status__c FROM Task WHERE Vendor_Call_Id__c = 'callrail:CALLIMIT1'",
      );
      return r.records[0]?.Call_Join_Status__c ?? null;
    });
    expect(status).toBe('Standalone');
    expect(await ctx.server.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
    const after = await (await fetch(`${ctx.server.url}/healthz`)).json();
    expect(after.budget.state).toBe('ok');
  });
});

describe('our budget is spent (SF_DAILY_REQUEST_BUDGET)', () => {
  const newDir = suiteTempDirs();
  const VISITOR = 'b0000000000000000000000000000017';

  test('re-plans for late page views and page refreshes wait; calls are still joined at once', async () => {
    const { server, close } = await startRemoteServe(newDir('budget'), { SF_DAILY_REQUEST_BUDGET: '1' });
    try {
      expect(server.summary.join('\n')).toMatch(/API budget: .*cap 1 \(SF_DAILY_REQUEST_BUDGET\).*deferring/);
      const health = await (await fetch(`${server.url}/healthz`)).json();
      expect(health.status).toBe('ok');
      expect(health.budget).toMatchObject({ state: 'exhausted', deferring: true, cap: 1 });

      // A call: joined at once (Standalone: its visitor has no page views yet), budget or not.
      const [first] = await createTasks(server.org, [
        {
          Subject: 'Call',
          Type: 'Call',
          BizibleId__c: VISITOR,
          Call_Started_At__c: new Date(Date.now() + 60_000).toISOString(),
        },
      ]);
      server.join.triggerSoon({ taskIds: [first] });
      const statusOf = async (id: string) =>
        (
          await server.org.conn.query<{ Call_Join_Status__c: string | null }>(
            `SELECT Call_Join_Status__c FROM Task WHERE Id = '${id}'`,
          )
        ).records[0].Call_Join_Status__c;
      await until('the call joined', 15_000, async () =>
        (await statusOf(first)) === 'Standalone' ? true : null,
      );

      // A late page view of that visitor would turn the call Merged; the re-plan waits for the budget.
      const collect = await fetch(`${server.url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
        body: JSON.stringify({
          events: [
            { type: 'page_view', visitorId: VISITOR, url: 'https://www.example.com/pricing', referrer: '' },
          ],
        }),
      });
      expect(collect.status).toBe(204);
      // Three times the batching delay: without the budget the re-plan has run by now (late-session.test.ts).
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await statusOf(first)).toBe('Standalone');

      // ?refresh=1 is answered from the page cache while the budget defers.
      const url = `${server.url}/tasks/${first}/panel.json`;
      const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
      expect((await (await fetch(url, { headers })).json()).subject).toBe('Call');
      await server.org.conn.sobject('Task').update({ Id: first, Subject: 'Call, subject changed' });
      expect((await (await fetch(`${url}?refresh=1`, { headers })).json()).subject).toBe('Call');
    } finally {
      await close();
    }
  });
});
