import { inSalesforceDateRange } from '../values/salesforce-ranges';

/**
 * The "Call touchpoints by channel" report, computed in Node from Touchpoint__c rows (the org may
 * not support GROUP BY — the local org does not): calls by channel and touchpoint type, and each
 * channel's U-shaped share (R10) of the attribution credit in the range. Pure: no I/O, no clock.
 */

export interface DateRange {
  /** Inclusive calendar days in UTC, YYYY-MM-DD. */
  from: string;
  to: string;
  /** SOQL datetime literals: [fromInstant, toExclusiveInstant). */
  fromInstant: string;
  toExclusiveInstant: string;
}

export type DateRangeResult = { ok: true; range: DateRange } | { ok: false; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DAYS = 3660;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(name: string, text: string): number | string {
  const m = DATE.exec(text);
  if (!m) return `${name} must be a date written YYYY-MM-DD, got "${text.slice(0, 40)}"`;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== text) return `${name} is not a calendar date: "${text}"`;
  // Issue 24: the range becomes a SOQL DateTime; past 4000-12-30 its end would not be one.
  if (!inSalesforceDateRange(ms + DAY_MS))
    return `${name} must lie between 1700-01-01 and 4000-12-30 (the dates Salesforce accepts), got "${text}"`;
  return ms;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD`; defaults to the 30 days ending today (UTC). */
export function parseDateRange(query: { from?: unknown; to?: unknown }, nowMs: number): DateRangeResult {
  const today = Date.UTC(
    new Date(nowMs).getUTCFullYear(),
    new Date(nowMs).getUTCMonth(),
    new Date(nowMs).getUTCDate(),
  );
  const bounds: Record<'from' | 'to', number> = { from: today - 29 * DAY_MS, to: today };
  for (const name of ['from', 'to'] as const) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return { ok: false, reason: `${name} must be given once, as YYYY-MM-DD` };
    const parsed = parseDay(name, value);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    bounds[name] = parsed;
  }
  if (bounds.from > bounds.to)
    return { ok: false, reason: `from (${day(bounds.from)}) is after to (${day(bounds.to)})` };
  if ((bounds.to - bounds.from) / DAY_MS > MAX_DAYS)
    return { ok: false, reason: 'the range may span at most 10 years' };
  return {
    ok: true,
    range: {
      from: day(bounds.from),
      to: day(bounds.to),
      fromInstant: new Date(bounds.from).toISOString().replace('.000Z', 'Z'),
      toExclusiveInstant: new Date(bounds.to + DAY_MS).toISOString().replace('.000Z', 'Z'),
    },
  };
}

export interface TouchpointRow {
  Channel__c?: string | null;
  Touchpoint_Type__c?: string | null;
  U_Shaped_Percent__c?: number | null;
}

export interface ChannelBar {
  channel: string;
  total: number;
  byType: Record<string, number>;
  /** Sum of U-shaped percentages / 100: how many "leads" of credit the channel earned. */
  uShapedCredit: number;
  /** The channel's part of all U-shaped credit in the range, 0..1. */
  uShapedShare: number;
}

export interface ChannelReport {
  types: string[];
  channels: ChannelBar[];
  totalCalls: number;
  totalCredit: number;
}

export function aggregateByChannel(rows: readonly TouchpointRow[]): ChannelReport {
  const byChannel = new Map<string, ChannelBar>();
  const typeCounts = new Map<string, number>();
  let totalCredit = 0;
  for (const row of rows) {
    const channel = row.Channel__c || 'Other';
    const type = row.Touchpoint_Type__c || '(no type)';
    const credit = (typeof row.U_Shaped_Percent__c === 'number' ? row.U_Shaped_Percent__c : 0) / 100;
    let bar = byChannel.get(channel);
    if (!bar)
      byChannel.set(channel, (bar = { channel, total: 0, byType: {}, uShapedCredit: 0, uShapedShare: 0 }));
    bar.total += 1;
    bar.byType[type] = (bar.byType[type] ?? 0) + 1;
    bar.uShapedCredit += credit;
    typeCounts.set(type, (typeCounts.get(type) ?? 0) + 1);
    totalCredit += credit;
  }
  const channels = [...byChannel.values()].sort(
    (a, b) => b.total - a.total || a.channel.localeCompare(b.channel),
  );
  for (const bar of channels) bar.uShapedShare = totalCredit > 0 ? bar.uShapedCredit / totalCredit : 0;
  const types = [...typeCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t]) => t);
  return { types, channels, totalCalls: rows.length, totalCredit };
}
