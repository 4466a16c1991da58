import { CALL_OUTBOX_KIND } from '../../src/vendors/normalized-call';
import { serveDuringSuite } from '../server/helpers';

jest.setTimeout(90_000);

/**
 * /tasks, the operator's calls page: the calls the pipeline set aside (issue 24, "set aside, don't
 * stall") are listed above the recent calls with the org's reason and how to retry or discard them;
 * the recent calls are newest call first by the time the page shows (issue 27: they were in creation
 * order, so a late-written older call sat above newer ones).
 */
describe('/tasks', () => {
  const ctx = serveDuringSuite('tasks-list');

  const page = async (): Promise<string> => {
    const res = await fetch(`${ctx.server.url}/tasks?refresh=1`);
    expect(res.status).toBe(200);
    return res.text();
  };

  test('shows parked calls with their reason and the retry/discard commands', async () => {
    const store = ctx.server.store;
    const item = await store.enqueue(CALL_OUTBOX_KIND, 'generic:parked-on-page', '{}', Date.now());
    await store.park(item.id, 'JSON_PARSER_ERROR: Cannot deserialize the request body');
    const html = await page();
    expect(html).toContain('Set aside: 1 call(s) the org refused');
    const section = html.slice(html.indexOf('class="parked"'), html.indexOf('</section>'));
    expect(section).toContain(`<td class="mono">${item.id}</td>`);
    expect(section).toContain('generic:parked-on-page');
    expect(section).toContain('JSON_PARSER_ERROR: Cannot deserialize the request body');
    expect(section).toContain('call-touchpoints outbox retry &lt;id&gt;');
    expect(section).toContain('outbox discard &lt;id&gt;');
    // The section comes before the list; once discarded it is gone.
    expect(html.indexOf('class="parked"')).toBeLessThan(html.indexOf('<h1>Recent calls</h1>'));
    expect(await store.discardParked(item.id)).toBe(true);
    expect(await page()).not.toContain('Set aside:');
  });

  test('lists the newest call first, even when an older call was written later', async () => {
    const tasks = ctx.server.org.conn.sobject('Task');
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    // Written first: the newer call. Written after it: a call that started earlier (a late webhook).
    await tasks.create({ Subject: 'Call newer', Type: 'Call', Call_Started_At__c: minutesAgo(1) });
    await new Promise((r) => setTimeout(r, 20));
    await tasks.create({ Subject: 'Call older', Type: 'Call', Call_Started_At__c: minutesAgo(30) });
    const html = await page();
    expect(html).toContain('newest call first');
    expect(html.indexOf('>Call newer<')).toBeGreaterThan(0);
    expect(html.indexOf('>Call newer<')).toBeLessThan(html.indexOf('>Call older<'));
  });

  test('shows the person each call was linked to, or that it was not (issue 22)', async () => {
    const lead = await ctx.server.org.conn
      .sobject('Lead')
      .create({ LastName: 'Caller +1 415 555 0177', Company: 'Unknown (phone caller)' });
    const tasks = ctx.server.org.conn.sobject('Task');
    await tasks.create({
      Subject: 'Call linked',
      Type: 'Call',
      WhoId: (lead as { id: string }).id,
      Call_Join_Status__c: 'Merged',
      Call_Join_Reason__c: 'Lead_Created',
    });
    await tasks.create({ Subject: 'Call unlinked', Type: 'Call', Call_Join_Reason__c: 'Unknown_Caller' });
    const html = await page();
    const row = (subject: string) =>
      html.slice(html.indexOf(`>${subject}<`), html.indexOf('</tr>', html.indexOf(`>${subject}<`)));
    expect(row('Call linked')).toContain('<td>Lead: Caller +1 415 555 0177</td>');
    expect(row('Call unlinked')).toContain('not linked to a Lead or Contact');
    // And why (Call_Join_Reason__c's label, R23).
    expect(row('Call linked')).toContain('<td class="reason">Joined, Lead created for the caller</td>');
    expect(row('Call unlinked')).toContain('<td class="reason">Joined, caller unknown (no person)</td>');
  });

  test("the panel's Open touchpoint / Open web session show the record's fields here (the local org has no record pages)", async () => {
    const conn = ctx.server.org.conn;
    const task = await conn.sobject('Task').create({ Subject: 'Call with a touchpoint', Type: 'Call' });
    const session = await conn.sobject('Web_Session__c').create({
      Session_Key__c: 'record-page-session',
      Channel__c: 'Paid Search',
      Landing_Page__c: 'https://www.example.com/pricing',
      Page_Views__c: 3,
    });
    const touchpoint = await conn.sobject('Touchpoint__c').create({
      Touchpoint_Key__c: 'record-page-touchpoint',
      Channel__c: 'Paid Search',
      Campaign__c: 'Spring',
      Task_Id__c: (task as { id: string }).id,
      Web_Session__c: (session as { id: string }).id,
    });
    const get = async (path: string) => {
      const res = await fetch(`${ctx.server.url}${path}`);
      return { status: res.status, text: await res.text() };
    };
    const tp = await get(`/tasks/record/${(touchpoint as { id: string }).id}?object=Touchpoint__c`);
    expect(tp.status).toBe(200);
    expect(tp.text).toContain('<h1>Touchpoint');
    expect(tp.text).toContain('Spring');
    expect(tp.text).toContain(`href="/tasks/${(task as { id: string }).id}"`);
    expect(tp.text).toContain(`href="/tasks/record/${(session as { id: string }).id}?object=Web_Session__c"`);
    expect(tp.text).not.toContain('No record page');
    // Without ?object= the kind is found too; the session's own page shows its fields.
    const ws = await get(`/tasks/record/${(session as { id: string }).id}`);
    expect(ws.status).toBe(200);
    expect(ws.text).toContain('<h1>Web session');
    expect(ws.text).toContain('https://www.example.com/pricing');
    // Any other record (here the Task itself) still answers 404, with the way back.
    const other = await get(`/tasks/record/${(task as { id: string }).id}?object=Task`);
    expect(other.status).toBe(404);
    expect(other.text).toContain('No record page');
    expect(other.text).toContain('href="/tasks"');
  });
});
