"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ChannelSheetError = exports.UNMATCHED_CHANNEL = exports.DEFAULT_OFFLINE_CHANNEL = exports.CRM_ACTIVITY_SOURCE = exports.SHEET_COLUMNS = void 0;
exports.parseChannelSheet = parseChannelSheet;
exports.classify = classify;
exports.classifyActivity = classifyActivity;
const sync_1 = require("csv-parse/sync");
/**
 * Channel rules (R12): the Marketo-Measure-style sheet. Rows are tried top-down and the first row
 * whose every filled-in condition matches wins. A blank cell means "any value, or none"; a filled
 * cell requires the attribute to be present and match one of its `;`-separated alternatives.
 * Matching is case-insensitive; `*` is a wildcard (`*x*` contains, `x*` starts with, `*x` ends
 * with, `*` anything non-empty).
 */
exports.SHEET_COLUMNS = [
    'Channel',
    'Subchannel',
    'Campaign',
    'Medium',
    'Source',
    'Landing Page',
    'Referring Website',
];
/** Source__c of standalone call touchpoints (R8); sheet rows with this Source classify them. */
exports.CRM_ACTIVITY_SOURCE = 'CRM Activity';
/** R8: channel of a standalone call when no offline row matches. */
exports.DEFAULT_OFFLINE_CHANNEL = Object.freeze({ channel: 'Other', subchannel: null });
/** Channel when no row matches at all (a sheet without a catch-all row). */
exports.UNMATCHED_CHANNEL = Object.freeze({ channel: 'Other', subchannel: null });
/** A sheet that cannot be loaded; names the row (sheet line, header = 1) and column at fault. */
class ChannelSheetError extends Error {
    row;
    column;
    constructor(row, column, problem, fix) {
        super(`Channel sheet row ${row}, column "${column}": ${problem}. ${fix}`);
        this.row = row;
        this.column = column;
        this.name = 'ChannelSheetError';
    }
}
exports.ChannelSheetError = ChannelSheetError;
/** Salesforce field lengths of Channel__c / Subchannel__c. */
const NAME_MAX = 80;
/** Parses a channel sheet (CSV). Throws ChannelSheetError naming row and column on bad input. */
function parseChannelSheet(csvText) {
    let rows;
    try {
        rows = (0, sync_1.parse)(csvText, {
            bom: true,
            info: true,
            relax_column_count: true,
            skip_empty_lines: true,
            trim: true,
        });
    }
    catch (err) {
        const e = err;
        throw new ChannelSheetError(e.lines ?? 1, String(e.column ?? '?'), `the file is not valid CSV (${e.message ?? String(err)})`, 'Save the sheet as CSV (comma-separated, fields with commas in double quotes).');
    }
    if (rows.length === 0)
        throw new ChannelSheetError(1, 'Channel', 'the sheet is empty', `Add a header row: ${exports.SHEET_COLUMNS.join(',')}.`);
    const header = rows[0].record.map((h) => h.trim().toLowerCase());
    const headerRow = rows[0].info.lines;
    const index = new Map();
    for (const col of exports.SHEET_COLUMNS) {
        const at = header.indexOf(col.toLowerCase());
        if (at < 0)
            throw new ChannelSheetError(headerRow, col, 'the header has no such column', `The header row must name the columns ${exports.SHEET_COLUMNS.join(', ')} (any order, any letter case).`);
        if (header.indexOf(col.toLowerCase(), at + 1) >= 0)
            throw new ChannelSheetError(headerRow, col, 'the column appears twice in the header', 'Keep one column of that name.');
        index.set(col, at);
    }
    const rules = [];
    for (const { record, info } of rows.slice(1)) {
        const row = info.lines;
        if (record.every((c) => c.trim() === ''))
            continue;
        if (record.length > header.length && record.slice(header.length).some((c) => c.trim() !== ''))
            throw new ChannelSheetError(row, `#${header.length + 1}`, `the row has ${record.length} cells but the header has ${header.length}`, 'Remove the extra cells or put a value containing a comma in double quotes.');
        const cell = (col) => (record[index.get(col)] ?? '').trim();
        const channel = cell('Channel');
        if (!channel)
            throw new ChannelSheetError(row, 'Channel', 'the channel name is empty', 'Every rule row needs a channel name.');
        for (const col of ['Channel', 'Subchannel'])
            if (cell(col).length > NAME_MAX)
                throw new ChannelSheetError(row, col, `the name is ${cell(col).length} characters long`, `Salesforce stores at most ${NAME_MAX}: shorten it.`);
        const m = (col) => compileCell(cell(col), row, col);
        rules.push({
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
        });
    }
    if (rules.length === 0)
        throw new ChannelSheetError(headerRow + 1, 'Channel', 'the sheet has no rule rows', 'Add at least one row below the header.');
    return { rules };
}
/** Compiles one cell: `;` alternatives of exact values or `*` wildcard patterns. */
function compileCell(text, row, column) {
    if (!text)
        return null;
    const alternatives = text.split(';').map((a) => a.trim().toLowerCase());
    const matchers = alternatives.map((alt, i) => {
        if (!alt)
            throw new ChannelSheetError(row, column, `alternative ${i + 1} of "${text}" is empty`, 'Separate alternatives with a single ";" and no trailing ";".');
        return compilePattern(alt);
    });
    return matchers.length === 1 ? matchers[0] : (v) => matchers.some((m) => m(v));
}
function compilePattern(p) {
    if (p === '*' || /^\*+$/.test(p))
        return (v) => v.length > 0;
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
    if (!p.includes('*'))
        return (v) => v === p;
    // Wildcards in the middle (`google.*.uk`): rare, compiled to an anchored expression.
    const re = new RegExp('^' + p.split('*').map(escapeRegExp).join('.*') + '$', 's');
    return (v) => re.test(v);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function lowered(a) {
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
function test(m, value) {
    return m === null || (value !== '' && m(value));
}
/**
 * "Referring Website" matches the external referrer's registrable domain (`google.co.uk`), its host
 * (`www.google.co.uk`) or the full referrer URL — whichever the sheet's pattern was written for, so
 * `google.*`, `*.google.com` and `*google.com/search*` all work. Same-site referrers never match.
 */
function testReferrer(m, l) {
    if (m === null)
        return true;
    if (l.refDomain === '')
        return false;
    return m(l.refDomain) || (l.refHost !== '' && m(l.refHost)) || (l.refPage !== '' && m(l.refPage));
}
function hostOf(url) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+@)?([^/?#:]+)/.exec(url);
    return m ? m[2] : null;
}
/** First matching rule of the sheet (R12). */
function classify(attrs, rules) {
    const l = lowered(attrs);
    for (const r of rules.rules) {
        if (test(r.campaign, l.campaign) &&
            test(r.medium, l.medium) &&
            test(r.source, l.source) &&
            test(r.landingPage, l.landingPage) &&
            testReferrer(r.referringWebsite, l))
            return { channel: r.channel, subchannel: r.subchannel };
    }
    return { ...exports.UNMATCHED_CHANNEL };
}
/**
 * Offline/activity classification of a standalone call (R8). A standalone call has no web data:
 * only rows whose Source cell names "CRM Activity" literally apply (their Medium cell, if any, is
 * matched against Task.Type); other rows — including catch-alls — are web rules. No match → "Other".
 */
function classifyActivity(taskType, rules) {
    const source = exports.CRM_ACTIVITY_SOURCE.toLowerCase();
    for (const r of rules.rules) {
        if (!r.sourceLiterals.includes(source))
            continue;
        if (r.medium !== null && !(taskType && r.medium(taskType.toLowerCase())))
            continue;
        return { channel: r.channel, subchannel: r.subchannel };
    }
    return { ...exports.DEFAULT_OFFLINE_CHANNEL };
}
//# sourceMappingURL=channels.js.map