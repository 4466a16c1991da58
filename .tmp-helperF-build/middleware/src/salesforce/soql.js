"use strict";
/**
 * SOQL literal helpers. Every value that goes into a SOQL string passes through one of these:
 * values are never concatenated raw (team rule: SOQL values escaped).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.soqlString = soqlString;
exports.soqlDateTime = soqlDateTime;
exports.soqlList = soqlList;
exports.soqlName = soqlName;
/** A quoted SOQL string literal: backslash and single quote escaped, as SOQL requires. */
function soqlString(value) {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
/**
 * A SOQL datetime literal in UTC with a `Z` suffix. Never `+0000`: an unencoded `+` in a query URL
 * turns into a space and Salesforce answers MALFORMED_QUERY (design §3).
 */
function soqlDateTime(value) {
    const d = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(d.getTime()))
        throw new Error(`not a date/time: ${String(value)}`);
    return d.toISOString();
}
/** `'a','b'` for an IN (…) list; each value escaped. */
function soqlList(values) {
    return values.map(soqlString).join(',');
}
/** API names we splice into SOQL (field and object names) must look like API names. */
function soqlName(name) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
        throw new Error(`not a Salesforce API name: ${name}`);
    return name;
}
//# sourceMappingURL=soql.js.map