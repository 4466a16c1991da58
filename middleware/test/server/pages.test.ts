import { html, escapeHtml } from '../../src/web/html';
import {
  buildPanelData,
  type PanelSession,
  type PanelTask,
  type PanelTouchpoint,
} from '../../src/web/panel-data';
import { aggregateByChannel, parseDateRange } from '../../src/web/report-data';
import { renderChannelChart } from '../../src/web/chart-svg';

const task = (over: Partial<PanelTask> = {}): PanelTask => ({
  Id: '00T000000000001EAA',
  Subject: 'Call from +1 555 010 9000 (Google Ads)',
  Type: 'Call',
  BizibleId: 'a'.repeat(32),
  CreatedDate: '2026-03-10T13:10:00.000+0000',
  Call_Started_At__c: null,
  CallDurationInSeconds: 180,
  Call_Join_Status__c: 'Merged',
  Call_Join_Detail__c:
    'Merged with the Paid Search session that started 12:55 UTC (landing page /); the call came 5 minutes after the last page view.',
  Call_Touchpoint__c: 'a01000000000001AAA',
  ...over,
});
const touchpoint: PanelTouchpoint = {
  Id: 'a01000000000001AAA',
  Name: 'TP-0001',
  Touchpoint_Type__c: 'Call',
  Medium__c: 'Call',
  Channel__c: 'Paid Search',
  Subchannel__c: 'Google Ads',
  Source__c: 'google',
  Campaign__c: 'Spring Promo',
  Ad_Content__c: null,
  Keyword__c: null,
  Position__c: 'FT, LC',
  First_Touch_Percent__c: 100,
  Lead_Creation_Percent__c: 100,
  U_Shaped_Percent__c: 100,
  Touchpoint_Date__c: '2026-03-10T13:07:00.000+0000',
  Web_Session__c: 'a02000000000001AAA',
};
const session: PanelSession = {
  Id: 'a02000000000001AAA',
  Name: 'WS-0001',
  Started_At__c: '2026-03-10T12:55:00.000+0000',
  Last_Activity_At__c: '2026-03-10T13:02:00.000+0000',
  Landing_Page__c: 'https://www.example.com/?gclid=x',
  Referrer_Page__c: null,
  Source__c: 'google',
  Medium__c: 'cpc',
  Campaign__c: 'Spring Promo',
  Content__c: null,
  Term__c: null,
  Click_Id__c: 'gclid=x',
  Page_Views__c: 3,
  Form_Submits__c: 0,
};

describe('Task panel data (same states and texts as the LWC)', () => {
  test('merged: summary line from touchpoint and session, badges, call time by R3, timeline with minutes', () => {
    const d = buildPanelData(task(), touchpoint, session);
    expect(d.state).toBe('merged');
    expect(d.header).toBe('Call from Paid Search · google / cpc · Spring Promo');
    expect(d.statusText).toBe("Merged with the caller's web session");
    expect(d.positions).toEqual(['FT', 'LC']);
    expect(d.callTime).toBe('2026-03-10T13:07:00.000Z'); // CreatedDate − CallDurationInSeconds
    expect(d.timeline.map((s) => [s.title, s.minutesSincePrevious])).toEqual([
      ['Session started', null],
      ['Last activity on the website', 7],
      ['Phone call', 5],
    ]);
    expect(d.timeline[1].text).toBe('3 page views, 0 form submits');
    // An ad click (gclid + UTM) whose browser sent no referrer is not a "direct arrival".
    expect(d.timeline[0].subtext).toBe(
      'Arrived through a tagged link (gclid, google / cpc, Spring Promo); the browser sent no referring site',
    );
    const direct = { ...session, Source__c: null, Medium__c: null, Campaign__c: null, Click_Id__c: null };
    expect(buildPanelData(task(), touchpoint, direct).timeline[0].subtext).toBe(
      'No referring site (direct arrival)',
    );
  });

  test('standalone: no session, the join sentence and the next step', () => {
    const detail =
      'No web session in the 30-minute window: the nearest session (Email, last activity 12:17 UTC) ended 18 minutes before the call at 13:05 UTC.';
    const d = buildPanelData(
      task({ Call_Join_Status__c: 'Standalone', Call_Join_Detail__c: detail }),
      {
        ...touchpoint,
        Channel__c: 'Other',
        Source__c: 'CRM Activity',
        Campaign__c: null,
        Web_Session__c: null,
      },
      null,
    );
    expect(d.state).toBe('standalone');
    expect(d.header).toBe('Call from Other · CRM Activity');
    expect(d.detail).toBe(detail);
    expect(d.nextStep).toMatch(/^Nothing to fix if the caller did not use the website/);
    expect(d.timeline).toEqual([]);
  });

  test('missing BizibleId, pending, touchpoint gone, not found', () => {
    const missing = buildPanelData(
      task({
        BizibleId: null,
        Call_Join_Status__c: 'Missing BizibleId',
        Call_Join_Detail__c: null,
        Call_Touchpoint__c: null,
      }),
      null,
      null,
    );
    expect([missing.state, missing.header]).toEqual(['missing-id', 'No visitor id on this call']);
    expect(missing.nextStep).toContain('_biz_uid');
    const pending = buildPanelData(
      task({ Call_Join_Status__c: null, Call_Join_Detail__c: null, Call_Touchpoint__c: null }),
      null,
      null,
    );
    expect([pending.state, pending.header]).toEqual(['pending', 'This call has not been matched yet']);
    const gone = buildPanelData(task(), null, null);
    expect([gone.state, gone.header]).toEqual(['no-touchpoint', 'No touchpoint for this call']);
    expect(gone.detail).toBe(task().Call_Join_Detail__c);
    const none = buildPanelData(null, null, null);
    expect([none.state, none.header]).toEqual(['not-found', 'This Task could not be found']);
  });
});

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
    expect(svg).toContain('70%');
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
