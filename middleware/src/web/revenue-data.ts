import { namesACall } from '../domain/calls';

/**
 * "Revenue by channel" on the local report page (the Salesforce report "Call revenue by channel" in
 * force-app shows the same): the W-shaped and Full Path revenue (R16, R17) of the Opportunity_Touchpoint__c
 * records in a date range, per channel, calls next to web touchpoints. A call is a touchpoint whose type
 * names a call (the Task's Type, R6: "Call", "Phone Call"); everything else — web visits and forms — is web.
 * Pure: no I/O, no clock. Sums are kept in cents, so they add up to the Opportunities' Amounts exactly.
 */

export interface RevenueRow {
  Channel__c?: string | null;
  Touchpoint_Type__c?: string | null;
  W_Shaped_Revenue__c?: number | null;
  Full_Path_Revenue__c?: number | null;
}

/** Revenue of one model split by calls and web touchpoints, in the org's currency. */
export interface RevenueSplit {
  calls: number;
  web: number;
  total: number;
}

export interface ChannelRevenue {
  channel: string;
  wShaped: RevenueSplit;
  fullPath: RevenueSplit;
  /** Opportunity touchpoints counted (with or without revenue). */
  touchpoints: number;
}

export interface RevenueReport {
  channels: ChannelRevenue[];
  wShaped: RevenueSplit;
  fullPath: RevenueSplit;
  touchpoints: number;
}

const cents = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) : 0);
const split = (c: { calls: number; web: number }): RevenueSplit => ({
  calls: c.calls / 100,
  web: c.web / 100,
  total: (c.calls + c.web) / 100,
});

interface Cents {
  w: { calls: number; web: number };
  fp: { calls: number; web: number };
  touchpoints: number;
}
const empty = (): Cents => ({ w: { calls: 0, web: 0 }, fp: { calls: 0, web: 0 }, touchpoints: 0 });

function add(into: Cents, row: RevenueRow): void {
  const kind = namesACall(row.Touchpoint_Type__c) ? 'calls' : 'web';
  into.w[kind] += cents(row.W_Shaped_Revenue__c);
  into.fp[kind] += cents(row.Full_Path_Revenue__c);
  into.touchpoints += 1;
}

/** Channels by Full Path revenue, largest first (ties by name). */
export function aggregateRevenueByChannel(rows: readonly RevenueRow[]): RevenueReport {
  const byChannel = new Map<string, Cents>();
  const all = empty();
  for (const row of rows) {
    const channel = row.Channel__c || 'Other';
    let c = byChannel.get(channel);
    if (!c) byChannel.set(channel, (c = empty()));
    add(c, row);
    add(all, row);
  }
  const channels = [...byChannel.entries()]
    .map(([channel, c]) => ({
      channel,
      wShaped: split(c.w),
      fullPath: split(c.fp),
      touchpoints: c.touchpoints,
    }))
    .sort((a, b) => b.fullPath.total - a.fullPath.total || a.channel.localeCompare(b.channel));
  return { channels, wShaped: split(all.w), fullPath: split(all.fp), touchpoints: all.touchpoints };
}

/** 22500 → "22,500.00": amounts in the org's currency, as the Currency fields hold them. */
export function formatAmount(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
