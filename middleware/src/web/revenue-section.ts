import { errorCode } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import { dataTable, html, type Html } from './html';
import type { DateRange } from './report-data';
import { renderRevenueChart } from './revenue-chart-svg';
import { aggregateRevenueByChannel, formatAmount, type RevenueReport, type RevenueRow } from './revenue-data';

/**
 * The report page's "Revenue by channel" section: Opportunity_Touchpoint__c records (written by the join,
 * R13–R17) dated in the page's range, read from the org, summed by revenue-data.ts, drawn by
 * revenue-chart-svg.ts.
 */

/** The rows, or why there are none: an org without the object (force-app not deployed yet). */
export type RevenueRows = { rows: RevenueRow[] } | { unavailable: string };

/**
 * The object or a field missing: the REST API answers INVALID_TYPE / INVALID_FIELD, as for a user without
 * access (panel-data.ts, NO_ACCESS_CODES).
 */
const MISSING_CODES = new Set(['INVALID_TYPE', 'INVALID_FIELD']);

export async function loadRevenueRows(sf: SalesforcePort, range: DateRange): Promise<RevenueRows> {
  const soql =
    'SELECT Channel__c, Touchpoint_Type__c, W_Shaped_Revenue__c, Full_Path_Revenue__c FROM Opportunity_Touchpoint__c ' +
    `WHERE Touchpoint_Date__c >= ${range.fromInstant} AND Touchpoint_Date__c < ${range.toExclusiveInstant}`;
  try {
    return { rows: await sf.query<RevenueRow>(soql) };
  } catch (err) {
    if (!MISSING_CODES.has(errorCode(err))) throw err;
    return {
      unavailable:
        'the org has no Opportunity Touchpoints the integration user can read: deploy force-app ' +
        '(call-touchpoints deploy) and assign the Call Touchpoints Integration permission set',
    };
  }
}

/** The JSON form (`?format=json`): the report, or why there is none. */
export function revenueJson(loaded: RevenueRows): RevenueReport | { unavailable: string } {
  return 'rows' in loaded ? aggregateRevenueByChannel(loaded.rows) : loaded;
}

function table(report: RevenueReport): Html {
  const amounts = (m: Pick<RevenueReport, 'wShaped' | 'fullPath'>) =>
    html`<td>${formatAmount(m.wShaped.calls)}</td>
      <td>${formatAmount(m.wShaped.web)}</td>
      <td>${formatAmount(m.fullPath.calls)}</td>
      <td>${formatAmount(m.fullPath.web)}</td>`;
  return dataTable(
    'report revenue',
    ['Channel', 'W-shaped: calls', 'W-shaped: web', 'Full Path: calls', 'Full Path: web'],
    report.channels.map(
      (c) =>
        html`<th scope="row">${c.channel}</th>
          ${amounts(c)}`,
    ),
    html`<th scope="row">Total</th>
      ${amounts(report)}`,
  );
}

export function revenueSection(loaded: RevenueRows, range: DateRange): Html {
  const intro = html`<h2 id="revenue">Revenue by channel</h2>
    <p class="muted">
      Opportunity revenue credited to each channel by the W-shaped model (30% first touch, 30% lead creation,
      30% opportunity creation, 10% between) and the Full Path model (22.5% each to those and the closing
      touch, 10% between), for opportunity touchpoints dated ${range.from} to ${range.to} (UTC), calls next to
      web touchpoints, in the org's currency.
    </p>`;
  if (!('rows' in loaded))
    return html`${intro}
      <p class="error" role="alert">No revenue: ${loaded.unavailable}.</p>`;
  const report = aggregateRevenueByChannel(loaded.rows);
  const n = report.touchpoints;
  return html`${intro}
    <figure>
      ${renderRevenueChart(report)}
      <figcaption>
        ${n} opportunity touchpoint${n === 1 ? '' : 's'}. Calls earned ${formatAmount(report.wShaped.calls)}
        of ${formatAmount(report.wShaped.total)} W-shaped and ${formatAmount(report.fullPath.calls)} of
        ${formatAmount(report.fullPath.total)} Full Path revenue.
      </figcaption>
    </figure>
    ${report.channels.length ? table(report) : ''}`;
}
