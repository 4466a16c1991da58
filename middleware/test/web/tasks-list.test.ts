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
});
