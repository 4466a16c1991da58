/**
 * SOQL literal helpers. Every value that goes into a SOQL string passes through one of these:
 * values are never concatenated raw (team rule: SOQL values escaped).
 */

/** A quoted SOQL string literal: backslash and single quote escaped, as SOQL requires. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A SOQL datetime literal in UTC with a `Z` suffix. Never `+0000`: an unencoded `+` in a query URL
 * turns into a space and Salesforce answers MALFORMED_QUERY. Both forms are valid SOQL:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */
export function soqlDateTime(value: Date | number | string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date/time: ${String(value)}`);
  return d.toISOString();
}

/** `'a','b'` for an IN (…) list; each value escaped. */
export function soqlList(values: readonly string[]): string {
  return values.map(soqlString).join(',');
}

/** API names we splice into SOQL (field and object names) must look like API names. */
export function soqlName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a Salesforce API name: ${name}`);
  return name;
}
