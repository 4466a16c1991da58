import { createTasks } from '../salesforce/fixtures';
import { orgSettled, serveDuringSuite } from '../server/helpers';
import { BROWSER_UA } from '../tracking/harness';

/**
 * Issue 24's lower findings against serve with its embedded local org: odd ids and dates on the
 * pages answer 4xx, not 500; the "waiting for the call" page costs a bounded number of org requests;
 * a UTM value that a spreadsheet would run as a formula reaches Salesforce quoted.
 */
jest.setTimeout(90_000);

const VISITOR = 'e0000000000000000000000000000024';

describe('pages and values that used to answer 500 or pass unchanged', () => {
  const ctx = serveDuringSuite('lower', { joinIntervalMs: 3_600_000 });

  it('a newline (or any odd character) in /tasks/by-call/:vendor/:id answers 404 naming the form', async () => {
    for (const path of [
      '/tasks/by-call/callrail/CAL%0A1',
      '/tasks/by-call/callrail/a%00b',
      '/tasks/by-call/nope/CAL1',
    ]) {
      const res = await fetch(`${ctx.server.url}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).toMatch(/Not a vendor call id/);
    }
  });

  it('a report range ending in 9999 answers 400 naming the field', async () => {
    const res = await fetch(`${ctx.server.url}/reports/calls-by-channel?from=2026-01-01&to=9999-12-31`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/to must lie between 1700-01-01 and 4000-12-30/);
  });

  it('the waiting page: tabs share one org read a second, and reload with a growing pause', async () => {
    const org = ctx.server.localOrg!;
    await orgSettled(org);
    const before = org.apiRequests();
    const pages = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${ctx.server.url}/tasks/by-call/callrail/CALwaiting1`)),
    );
    expect(pages.map((p) => p.status)).toEqual(Array(10).fill(202));
    expect(org.apiRequests() - before).toBe(1);
    const first = await pages[0].text();
    expect(first).toContain('content="1;url=/tasks/by-call/callrail/CALwaiting1?n=1"');
    const later = await (await fetch(`${ctx.server.url}/tasks/by-call/callrail/CALwaiting1?n=6`)).text();
    expect(later).toContain('content="30;url=/tasks/by-call/callrail/CALwaiting1?n=7"');
    const done = await (await fetch(`${ctx.server.url}/tasks/by-call/callrail/CALwaiting1?n=40`)).text();
    expect(done).not.toContain('http-equiv="refresh"');
    expect(done).toContain('stopped checking');
  });

  it('UTM values that start like a formula (=, +, -, @) reach Salesforce quoted (OWASP CSV injection)', async () => {
    const landing =
      'https://www.example.com/?utm_source=%2Bsrc&utm_medium=cpc&utm_campaign=%3DHYPERLINK(%22http%3A%2F%2Fevil.example%22)&utm_content=%40x&utm_term=-1%2B2';
    const collected = await fetch(`${ctx.server.url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ events: [{ type: 'page_view', visitorId: VISITOR, url: landing }] }),
    });
    expect(collected.status).toBe(204);
    const [id] = await createTasks(ctx.server.org, [
      {
        Subject: 'Call',
        Type: 'Call',
        BizibleId__c: VISITOR,
        Call_Started_At__c: new Date(Date.now() + 30_000).toISOString(),
      },
    ]);
    await ctx.server.join.trigger([id]);
    const tp = await ctx.server.org.conn.query<Record<string, string>>(
      `SELECT Campaign__c, Source__c, Ad_Content__c, Keyword__c FROM Touchpoint__c WHERE BizibleId__c = '${VISITOR}'`,
    );
    expect(tp.records).toHaveLength(1);
    const r = tp.records[0];
    expect([r.Campaign__c, r.Source__c, r.Ad_Content__c, r.Keyword__c]).toEqual([
      `'=HYPERLINK("http://evil.example")`,
      "'+src",
      "'@x",
      "'-1+2",
    ]);
  });
});
