import { parse } from 'csv-parse/sync';
import type { ArrivalAttributes, ChannelAssignment } from './types';

/**
 * Channel rules (R12): the Marketo-Measure-style sheet. Rows are tried top-down and the first row
 * whose every filled-in condition matches wins. A blank cell means "any value, or none"; a filled
 * cell requires the attribute to be present and match one of its `;`-separated alternatives.
 * Matching is case-insensitive; `*` is a wildcard (`*x*` contains, `x*` starts with, `*x` ends
 * with, `*` anything non-empty).
 */
export const SHEET_COLUMNS = [
  'Channel',
  'Subchannel',
  'Campaign',
  'Medium',
  'Source',
  'Landing Page',
  'Referring Website',
] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];

/** Source__c of standalone call touchpoints (R8); sheet rows with this Source classify them. */
export const CRM_ACTIVITY_SOURCE = 'CRM Activity';
/** R8: channel of a standalone call when no offline row matches. */
export const DEFAULT_OFFLINE_CHANNEL: ChannelAssignment = Object.freeze({
  channel: 'Other',
  subchannel: null,
});
/** Channel when no row matches at all (a sheet without a catch-all row). */
export const UNMATCHED_CHANNEL: ChannelAssignment = Object.freeze({ channel: 'Other', subchannel: null });

type Matcher = (value: string) => boolean;

export interface ChannelRule {
  /** Line of the sheet the rule came from (1 = header). */
  row: number;
  channel: string;
  subchannel: string | null;
  campaign: Matcher | null;
  medium: Matcher | null;
  source: Matcher | null;
  landingPage: Matcher | null;
  referringWebsite: Matcher | null;
  /** The raw Source cell's alternatives, lower-cased (offline classification, R8). */
  sourceLiterals: string[];
}

export interface ChannelRules {
  rules: ChannelRule[];
}

/** A sheet that cannot be loaded; names the row (sheet line, header = 1) and column at fault. */
export class ChannelSheetError extends Error {
  constructor(
    readonly row: number,
    readonly column: string,
    problem: string,
    fix: string,
  ) {
    super(`Channel sheet row ${row}, column "${column}": ${problem}. ${fix}`);
    this.name = 'ChannelSheetError';
  }
}

/** Salesforce field lengths of Channel__c / Subchannel__c. */
const NAME_MAX = 80;

type SheetRow = { record: string[]; info: { lines: number } };

/** Parses a channel sheet (CSV). Throws ChannelSheetError naming row and column on bad input. */
export function parseChannelSheet(csvText: string): ChannelRules {
  const rows = readSheetRows(csvText);
  const header = rows[0].record.map((h) => h.trim().toLowerCase());
  const headerRow = rows[0].info.lines;
  const index = columnIndex(header, headerRow);

  const rules: ChannelRule[] = [];
  for (const { record, info } of rows.slice(1)) {
    if (record.every((c) => c.trim() === '')) continue;
    rules.push(parseRuleRow(record, info.lines, header.length, index));
  }
  if (rules.length === 0)
    throw new ChannelSheetError(
      headerRow + 1,
      'Channel',
      'the sheet has no rule rows',
      'Add at least one row below the header.',
    );
  return { rules };
}

/** The sheet's CSV rows with their line numbers; at least the header. */
function readSheetRows(csvText: string): SheetRow[] {
  let rows: SheetRow[];
  try {
    rows = parse(csvText, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as SheetRow[];
  } catch (err) {
    const e = err as { lines?: number; column?: number | string; message?: string };
    throw new ChannelSheetError(
      e.lines ?? 1,
      String(e.column ?? '?'),
      `the file is not valid CSV (${e.message ?? String(err)})`,
      'Save the sheet as CSV (comma-separated, fields with commas in double quotes).',
    );
  }
  if (rows.length === 0)
    throw new ChannelSheetError(
      1,
      'Channel',
      'the sheet is empty',
      `Add a header row: ${SHEET_COLUMNS.join(',')}.`,
    );
  return rows;
}

/** Where each of SHEET_COLUMNS sits in the (lower-cased) header; each must appear exactly once. */
function columnIndex(header: string[], headerRow: number): Map<SheetColumn, number> {
  const index = new Map<SheetColumn, number>();
  for (const col of SHEET_COLUMNS) {
    const at = header.indexOf(col.toLowerCase());
    if (at < 0)
      throw new ChannelSheetError(
        headerRow,
        col,
        'the header has no such column',
        `The header row must name the columns ${SHEET_COLUMNS.join(', ')} (any order, any letter case).`,
      );
    if (header.indexOf(col.toLowerCase(), at + 1) >= 0)
      throw new ChannelSheetError(
        headerRow,
        col,
        'the column appears twice in the header',
        'Keep one column of that name.',
      );
    index.set(col, at);
  }
  return index;
}

/** One rule row (sheet line `row`, not blank) compiled into a rule. */
function parseRuleRow(
  record: string[],
  row: number,
  headerLength: number,
  index: Map<SheetColumn, number>,
): ChannelRule {
  if (record.length > headerLength && record.slice(headerLength).some((c) => c.trim() !== ''))
    throw new ChannelSheetError(
      row,
      `#${headerLength + 1}`,
      `the row has ${record.length} cells but the header has ${headerLength}`,
      'Remove the extra cells or put a value containing a comma in double quotes.',
    );
  const cell = (col: SheetColumn) => (record[index.get(col)!] ?? '').trim();
  const channel = cell('Channel');
  if (!channel)
    throw new ChannelSheetError(
      row,
      'Channel',
      'the channel name is empty',
      'Every rule row needs a channel name.',
    );
  for (const col of ['Channel', 'Subchannel'] as const)
    if (cell(col).length > NAME_MAX)
      throw new ChannelSheetError(
        row,
        col,
        `the name is ${cell(col).length} characters long`,
        `Salesforce stores at most ${NAME_MAX}: shorten it.`,
      );
  const m = (col: SheetColumn) => compileCell(cell(col), row, col);
  return {
    row,
    channel,
    subchannel: cell('Subchannel') || null,
    campaign: m('Campaign'),
    medium: m('Medium'),
    source: m('Source'),
    landingPage: m('Landing Page'),
    referringWebsite: m('Referring Website'),
    sourceLiterals: cell('Source')
      ? cell('Source')
          .split(';')
          .map((s) => s.trim().toLowerCase())
      : [],
  };
}

/** Compiles one cell: `;` alternatives of exact values or `*` wildcard patterns. */
function compileCell(text: string, row: number, column: string): Matcher | null {
  if (!text) return null;
  const alternatives = text.split(';').map((a) => a.trim().toLowerCase());
  const matchers: Matcher[] = alternatives.map((alt, i) => {
    if (!alt)
      throw new ChannelSheetError(
        row,
        column,
        `alternative ${i + 1} of "${text}" is empty`,
        'Separate alternatives with a single ";" and no trailing ";".',
      );
    return compilePattern(alt);
  });
  return matchers.length === 1 ? matchers[0] : (v) => matchers.some((m) => m(v));
}

function compilePattern(p: string): Matcher {
  if (p === '*' || /^\*+$/.test(p)) return (v) => v.length > 0;
  const inner = p.slice(1, -1);
  if (p.length > 2 && p.startsWith('*') && p.endsWith('*') && !inner.includes('*'))
    return (v) => v.includes(inner);
  if (p.endsWith('*') && !p.slice(0, -1).includes('*')) {
    const prefix = p.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  if (p.startsWith('*') && !p.slice(1).includes('*')) {
    const suffix = p.slice(1);
    return (v) => v.endsWith(suffix);
  }
  if (!p.includes('*')) return (v) => v === p;
  // Wildcards in the middle (`google.*.uk`): rare, compiled to an anchored expression.
  const re = new RegExp('^' + p.split('*').map(escapeRegExp).join('.*') + '$', 's');
  return (v) => re.test(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The arrival's values, lower-cased once per classification (rules compare lower-case). */
interface Lowered {
  campaign: string;
  medium: string;
  source: string;
  landingPage: string;
  /** Registrable domain, host and full URL of an external referrer; empty when none. */
  refDomain: string;
  refHost: string;
  refPage: string;
}

function lowered(a: ArrivalAttributes): Lowered {
  const refPage = a.referrerDomain !== null ? (a.referrerPage ?? '').toLowerCase() : '';
  return {
    campaign: a.utmCampaign ? a.utmCampaign.toLowerCase() : '',
    medium: a.utmMedium ? a.utmMedium.toLowerCase() : '',
    source: a.utmSource ? a.utmSource.toLowerCase() : '',
    landingPage: a.landingPage ? a.landingPage.toLowerCase() : '',
    refDomain: a.referrerDomain ?? '',
    refHost: hostOf(refPage) ?? '',
    refPage,
  };
}

/** A blank cell matches anything; a filled cell needs a present value that matches. */
function test(m: Matcher | null, value: string): boolean {
  return m === null || (value !== '' && m(value));
}

/**
 * "Referring Website" matches the external referrer's registrable domain (`google.co.uk`), its host
 * (`www.google.co.uk`) or the full referrer URL — whichever the sheet's pattern was written for, so
 * `google.*`, `*.google.com` and `*google.com/search*` all work. Same-site referrers never match.
 */
function testReferrer(m: Matcher | null, l: Lowered): boolean {
  if (m === null) return true;
  if (l.refDomain === '') return false;
  return m(l.refDomain) || (l.refHost !== '' && m(l.refHost)) || (l.refPage !== '' && m(l.refPage));
}

function hostOf(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+@)?([^/?#:]+)/.exec(url);
  return m ? m[2] : null;
}

/** First matching rule of the sheet (R12). */
export function classify(attrs: ArrivalAttributes, rules: ChannelRules): ChannelAssignment {
  const l = lowered(attrs);
  for (const r of rules.rules) {
    if (
      test(r.campaign, l.campaign) &&
      test(r.medium, l.medium) &&
      test(r.source, l.source) &&
      test(r.landingPage, l.landingPage) &&
      testReferrer(r.referringWebsite, l)
    )
      return { channel: r.channel, subchannel: r.subchannel };
  }
  return { ...UNMATCHED_CHANNEL };
}

/**
 * Offline/activity classification of a standalone call (R8). A standalone call has no web data:
 * only rows whose Source cell names "CRM Activity" literally apply (their Medium cell, if any, is
 * matched against Task.Type); other rows — including catch-alls — are web rules. No match → "Other".
 */
export function classifyActivity(taskType: string | null, rules: ChannelRules): ChannelAssignment {
  const source = CRM_ACTIVITY_SOURCE.toLowerCase();
  for (const r of rules.rules) {
    if (!r.sourceLiterals.includes(source)) continue;
    if (r.medium !== null && !(taskType && r.medium(taskType.toLowerCase()))) continue;
    return { channel: r.channel, subchannel: r.subchannel };
  }
  return { ...DEFAULT_OFFLINE_CHANNEL };
}

/** Web and offline classification of one planning run. */
export interface ChannelClassifier {
  /** classify() (R12) of a session's arrival. */
  web(attrs: ArrivalAttributes): ChannelAssignment;
  /** classifyActivity() (R8) of a standalone call's Task.Type. */
  activity(taskType: string | null): ChannelAssignment;
}

/** Bound on the remembered arrivals, so a run over millions of distinct landing pages stays flat. */
const CLASSIFIER_CACHE_MAX = 50_000;

/**
 * classify() and classifyActivity() remembered per distinct input for one planning run: the
 * sessions of many visitors share a few arrivals (the home page from Google, a newsletter link),
 * and trying a sheet of 40 rows costs more than a lookup. The results are shared, read-only.
 */
export function channelClassifier(rules: ChannelRules): ChannelClassifier {
  const web = new Map<string, ChannelAssignment>();
  const activity = new Map<string | null, ChannelAssignment>();
  return {
    web(attrs) {
      const key = arrivalKey(attrs);
      let c = web.get(key);
      if (c === undefined) {
        if (web.size >= CLASSIFIER_CACHE_MAX) web.clear();
        web.set(key, (c = classify(attrs, rules)));
      }
      return c;
    },
    activity(taskType) {
      let c = activity.get(taskType);
      if (c === undefined) {
        if (activity.size >= CLASSIFIER_CACHE_MAX) activity.clear();
        activity.set(taskType, (c = classifyActivity(taskType, rules)));
      }
      return c;
    },
  };
}

/**
 * Exactly the values classify() reads (see lowered): the UTM campaign, medium and source, the
 * landing page, and the referrer when it is external. Lengths first, so the key is unambiguous
 * whatever characters the values hold.
 */
function arrivalKey(a: ArrivalAttributes): string {
  const campaign = a.utmCampaign || '';
  const medium = a.utmMedium || '';
  const source = a.utmSource || '';
  const landing = a.landingPage || '';
  const refDomain = a.referrerDomain ?? '';
  const refPage = a.referrerDomain !== null ? (a.referrerPage ?? '') : '';
  return `${campaign.length},${medium.length},${source.length},${landing.length},${refDomain.length},${a.referrerDomain === null ? 0 : 1}|${campaign}${medium}${source}${landing}${refDomain}${refPage}`;
}
