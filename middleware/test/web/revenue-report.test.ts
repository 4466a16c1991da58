import { serveDuringSuite } from '../server/helpers';
import { insertOpportunity, lwcFixture } from '../../../scripts/demo-opportunities';

jest.setTimeout(90_000);

/**
 * The report page's "Revenue by channel" against the local org: Marketo Measure's Person A / Person B
 * Opportunity (closed won, 100,000, web touches only) and an open one with calls (48,000), their
 * Opportunity_Touchpoint__c records inserted directly as the join writes them, read back by SOQL.
 */
describe('report page: revenue by channel from Opportunity_Touchpoint__c in the org', () => {
  const ctx = serveDuringSuite('revenue-report', { joinIntervalMs: 3_600_000 });

  beforeAll(async () => {
    await insertOpportunity(ctx.server.org, lwcFixture('personAPersonB'));
    await insertOpportunity(ctx.server.org, lwcFixture('openWithCalls'));
  });

  const report = async (query: string) => {
    const res = await fetch(`${ctx.server.url}/reports/calls-by-channel?${query}&format=json`);
    expect(res.status).toBe(200);
    return (await res.json()) as { revenue: Record<string, unknown> };
  };

  test('W-shaped and Full Path revenue per channel, calls next to web, summing to the Amounts', async () => {
    const { revenue } = await report('from=2026-03-01&to=2026-03-31');
    const split = (calls: number, web: number) => ({ calls, web, total: calls + web });
    expect(revenue).toEqual({
      touchpoints: 10,
      wShaped: split(28_800, 119_200),
      fullPath: split(32_400, 115_600),
      channels: [
        // Sorted by Full Path revenue; Email and Organic Search tie and go by name.
        {
          channel: 'Paid Search',
          touchpoints: 3,
          wShaped: split(14_400, 44_400),
          fullPath: split(10_800, 33_300),
        },
        { channel: 'Email', touchpoints: 2, wShaped: split(0, 0), fullPath: split(10_800, 22_500) },
        {
          channel: 'Organic Search',
          touchpoints: 2,
          wShaped: split(14_400, 30_000),
          fullPath: split(10_800, 22_500),
        },
        { channel: 'Webinar', touchpoints: 1, wShaped: split(0, 30_000), fullPath: split(0, 22_500) },
        { channel: 'Paid Social', touchpoints: 2, wShaped: split(0, 14_800), fullPath: split(0, 14_800) },
      ],
    });
  });

  test('the range counts by touchpoint date: from 10 March only the closing touches remain', async () => {
    const { revenue } = await report('from=2026-03-10&to=2026-03-31');
    expect(revenue).toMatchObject({
      touchpoints: 2,
      channels: [{ channel: 'Email', fullPath: { calls: 10_800, web: 22_500, total: 33_300 } }],
    });
  });

  test('the page draws one picture, bars on one scale, and a table; it says what the calls earned', async () => {
    const res = await fetch(`${ctx.server.url}/reports/calls-by-channel?from=2026-03-01&to=2026-03-31`);
    const page = await res.text();
    expect(page).toContain('<h2 id="revenue">Revenue by channel</h2>');
    const svg = /<svg[^>]*class="chart revenue-chart"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(svg).toContain(
      'aria-label="Revenue by channel, W-shaped and Full Path, calls and web touchpoints. Paid Search: W-shaped 58,800.00 (calls 14,400.00), Full Path 44,100.00 (calls 10,800.00);',
    );
    // One scale: the largest bar (Paid Search, W-shaped: 58,800) is the full 430 px; the others in proportion.
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="16"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths.slice(0, 2).reduce((a, b) => a + b, 0)).toBeCloseTo(430, 0);
    // Paid Search Full Path (44,100) is 44,100 / 58,800 of it.
    expect(widths.slice(2, 4).reduce((a, b) => a + b, 0)).toBeCloseTo((430 * 44_100) / 58_800, 0);
    expect(page.replace(/\s+/g, ' ')).toContain(
      'Calls earned 28,800.00 of 148,000.00 W-shaped and 32,400.00 of 148,000.00 Full Path revenue.',
    );
    expect(page).toContain('<th scope="col">Full Path: calls</th>');
  });
});
