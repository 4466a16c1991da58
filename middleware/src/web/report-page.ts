import { Router } from 'express';
import type { SalesforcePort } from '../salesforce/port';
import { renderChannelChart, typeColor } from './chart-svg';
import { appPage, dataTable, html, signedIn } from './html';
import { PAGE_ATTEMPTS, refreshAsked, TtlCache } from './ttl-cache';
import {
  aggregateByChannel,
  parseDateRange,
  type ChannelReport,
  type DateRange,
  type TouchpointRow,
} from './report-data';
import { loadRevenueRows, revenueJson, revenueSection, type RevenueRows } from './revenue-section';

/**
 * /reports/calls-by-channel: the report "Call touchpoints by channel" (also shipped as a Salesforce
 * report in force-app) drawn from the Touchpoint__c records in the org, for a date range, and under it
 * "Revenue by channel" (the report "Call revenue by channel") from the Opportunity_Touchpoint__c records.
 */
export interface ReportPageDeps {
  /** The org; the report counts as 'pages'. */
  salesforce: SalesforcePort;
  now?: () => number;
}

/** Report rows are kept this long per date range (org reads count against the daily API limit). */
export const REPORT_CACHE_MS = 20_000;

/** Call touchpoints (those that carry a Task id) whose date lies in the range, all pages. */
export async function loadCallTouchpoints(sf: SalesforcePort, range: DateRange): Promise<TouchpointRow[]> {
  const soql =
    'SELECT Channel__c, Touchpoint_Type__c, U_Shaped_Percent__c FROM Touchpoint__c ' +
    `WHERE Task_Id__c != null AND Touchpoint_Date__c >= ${range.fromInstant} AND Touchpoint_Date__c < ${range.toExclusiveInstant}`;
  return sf.query<TouchpointRow>(soql);
}

function rangeForm(from: string, to: string) {
  return html`<form class="range" method="get" action="/reports/calls-by-channel">
    <label>From <input type="date" name="from" value="${from}" /></label>
    <label>To <input type="date" name="to" value="${to}" /></label>
    <button type="submit">Show</button>
  </form>`;
}

function table(report: ChannelReport) {
  // One column per touchpoint type only when there are several: with one type ("Call") its column
  // would repeat the Calls column number for number.
  const types = report.types.length > 1 ? report.types : [];
  return dataTable(
    'report',
    [
      'Channel',
      ...types.map((t, i) => html`<span class="swatch" style="background:${typeColor(i)}"></span>${t}`),
      'Calls',
      'U-shaped credit',
      'U-shaped share',
    ],
    report.channels.map(
      (c) =>
        html`<th scope="row">${c.channel}</th>
          ${types.map((t) => html`<td>${c.byType[t] ?? 0}</td>`)}
          <td>${c.total}</td>
          <td>${c.uShapedCredit.toFixed(2)}</td>
          <td>${Math.round(c.uShapedShare * 100)}%</td>`,
    ),
    html`<th scope="row">Total</th>
      ${types.map(() => html`<td></td>`)}
      <td>${report.totalCalls}</td>
      <td>${report.totalCredit.toFixed(2)}</td>
      <td></td>`,
  );
}

export function createReportRouter(deps: ReportPageDeps): Router {
  const router = Router();
  const sf = deps.salesforce.for('pages', { maxAttempts: PAGE_ATTEMPTS });
  const cache = new TtlCache<TouchpointRow[]>({
    maxEntries: 50,
    ttlMs: () => REPORT_CACHE_MS,
    now: deps.now,
  });
  const revenueCache = new TtlCache<RevenueRows>({
    maxEntries: 50,
    ttlMs: () => REPORT_CACHE_MS,
    now: deps.now,
  });
  router.get('/reports/calls-by-channel', async (req, res, next) => {
    const parsed = parseDateRange(req.query as { from?: unknown; to?: unknown }, (deps.now ?? Date.now)());
    if (!parsed.ok) {
      const from = typeof req.query.from === 'string' ? req.query.from : '';
      const to = typeof req.query.to === 'string' ? req.query.to : '';
      if (req.query.format === 'json') return void res.status(400).json({ error: parsed.reason });
      res
        .status(400)
        .type('html')
        .send(
          appPage({
            signedIn: signedIn(res),
            title: 'Calls by channel',
            nav: 'reports',
            body: html`<h1>Call touchpoints by channel</h1>
              <p class="error" role="alert">Bad date range: ${parsed.reason}.</p>
              ${rangeForm(from, to)}`,
          }),
        );
      return;
    }
    try {
      const { range } = parsed;
      const key = `${range.from}/${range.to}`;
      const refresh = refreshAsked(req.query, sf.budget().deferring);
      const [rows, revenue] = await Promise.all([
        cache.get(key, () => loadCallTouchpoints(sf, range), refresh),
        revenueCache.get(key, () => loadRevenueRows(sf, range), refresh),
      ]);
      const report = aggregateByChannel(rows);
      if (req.query.format === 'json')
        return void res.json({
          range: { from: range.from, to: range.to },
          ...report,
          revenue: revenueJson(revenue),
        });
      const body = html`<h1>Call touchpoints by channel</h1>
        <p class="muted">
          Phone-call touchpoints in the org dated ${range.from} to ${range.to} (UTC), by channel and
          touchpoint type, with each channel's share of U-shaped attribution credit (40% first touch, 40% lead
          creation, 20% between).
        </p>
        ${rangeForm(range.from, range.to)}
        <figure>
          ${renderChannelChart(report)}
          <figcaption>${report.totalCalls} call touchpoint${report.totalCalls === 1 ? '' : 's'}.</figcaption>
        </figure>
        ${report.channels.length ? table(report) : ''} ${revenueSection(revenue, range)}`;
      res
        .type('html')
        .send(appPage({ title: 'Calls by channel', nav: 'reports', body, signedIn: signedIn(res) }));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
