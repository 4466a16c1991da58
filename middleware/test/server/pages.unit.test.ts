import { html, escapeHtml } from '../../src/web/html';
import { aggregateByChannel, parseDateRange } from '../../src/web/report-data';
import { renderChannelChart } from '../../src/web/chart-svg';

describe('report: date range and aggregation', () => {
  const now = Date.parse('2026-03-15T10:00:00Z');
  test('defaults to the 30 days ending today (UTC) and yields SOQL instants', () => {
    const r = parseDateRange({}, now);
    expect(r).toEqual({
      ok: true,
      range: {
        from: '2026-02-14',
        to: '2026-03-15',
        fromInstant: '2026-02-14T00:00:00Z',
        toExclusiveInstant: '2026-03-16T00:00:00Z',
      },
    });
  });
  test.each([
    [{ from: '2026-3-1' }, 'from must be a date written YYYY-MM-DD, got "2026-3-1"'],
    [{ to: '2026-02-29' }, 'to is not a calendar date: "2026-02-29"'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'from (2026-03-10) is after to (2026-03-01)'],
    [{ from: ['2026-03-01', '2026-03-02'] }, 'from must be given once, as YYYY-MM-DD'],
  ])('rejects %j', (query, reason) => {
    expect(parseDateRange(query, now)).toEqual({ ok: false, reason });
  });
  test('counts by channel and type, U-shaped share of the credit', () => {
    const report = aggregateByChannel([
      { Channel__c: 'Paid Search', Touchpoint_Type__c: 'Call', U_Shaped_Percent__c: 40 },
      { Channel__c: 'Paid Search', Touchpoint_Type__c: 'Web Visit', U_Shaped_Percent__c: 100 },
      { Channel__c: 'Email', Touchpoint_Type__c: 'Call', U_Shaped_Percent__c: 60 },
      { Channel__c: null, Touchpoint_Type__c: 'Call', U_Shaped_Percent__c: 0 },
    ]);
    expect(report.types).toEqual(['Call', 'Web Visit']);
    expect(
      report.channels.map((c) => [c.channel, c.total, c.byType, c.uShapedCredit, c.uShapedShare]),
    ).toEqual([
      ['Paid Search', 2, { Call: 1, 'Web Visit': 1 }, 1.4, 0.7],
      ['Email', 1, { Call: 1 }, 0.6, 0.3],
      ['Other', 1, { Call: 1 }, 0, 0],
    ]);
    const svg = renderChannelChart(report).value;
    expect(svg).toContain('data-channel="Paid Search"');
    expect(svg).toContain('70% of credit');
    // One scale: calls and credit are both shares of their total (2 of 4 calls = 50 % = 215 of 430 px).
    expect(svg).toContain('2 (50% of calls)');
    const widths = [...svg.matchAll(/width="([\d.]+)" height="7"/g)].map((m) => m[1]);
    expect(widths).toEqual(['301.0', '129.0', '0.0']);
  });
});

describe('HTML output is escaped', () => {
  test('interpolated values cannot inject markup, including in SVG labels', () => {
    expect(html`<p title="${'"><script>'}">${'<b>&'}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;</p>',
    );
    expect(escapeHtml("it's")).toBe('it&#39;s');
    const svg = renderChannelChart(
      aggregateByChannel([{ Channel__c: '<img src=x onerror=alert(1)>', Touchpoint_Type__c: 'Call' }]),
    ).value;
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
