import { createTasks } from '../salesforce/fixtures';
import { BROWSER_UA } from '../tracking/harness';
import { serveDuringSuite } from './helpers';

jest.setTimeout(60_000);

const VISITOR = 'b0000000000000000000000000000011';

describe('serve: page views after a call was joined (R11)', () => {
  // No timer runs during the test: only the webhook-less trigger and /collect drive the join.
  const ctx = serveDuringSuite('late-session', { joinIntervalMs: 3_600_000 });

  test('POST /collect for a visitor with a Standalone call turns it into Merged', async () => {
    // The call comes a minute after the page view below (events carry the server's receive time).
    const [id] = await createTasks(ctx.server.org, [
      {
        Subject: 'Call',
        Type: 'Call',
        BizibleId__c: VISITOR,
        Call_Started_At__c: new Date(Date.now() + 60_000).toISOString(),
      },
    ]);
    const first = await ctx.server.join.trigger([id]);
    expect(first.standalone).toBe(1);

    const res = await fetch(`${ctx.server.url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({
        events: [
          { type: 'page_view', visitorId: VISITOR, url: 'https://www.example.com/pricing', referrer: '' },
        ],
      }),
    });
    expect(res.status).toBe(204);

    const until = Date.now() + 15_000;
    let status = '';
    while (status !== 'Merged' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      const q = await ctx.server.org.conn.query<{ Call_Join_Status__c: string }>(
        `SELECT Call_Join_Status__c FROM Task WHERE Id = '${id}'`,
      );
      status = q.records[0].Call_Join_Status__c;
    }
    expect(status).toBe('Merged');
    const tps = await ctx.server.org.conn.query<{ Touchpoint_Key__c: string }>(
      `SELECT Touchpoint_Key__c FROM Touchpoint__c WHERE BizibleId__c = '${VISITOR}'`,
    );
    expect(tps.records.map((r) => r.Touchpoint_Key__c)).not.toContain(`tp:call:${id}`);
    expect(tps.records).toHaveLength(1);

    const again = await ctx.server.join.trigger({ visitorIds: [VISITOR] });
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    expect(again.apiRequests).toBe(1);
  });
});
