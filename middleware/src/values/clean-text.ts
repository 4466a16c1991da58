/**
 * One door for text values (docs/security.md, "One door for values"), pure. Every text that enters
 * — /collect fields, webhook fields, values read from the org — either passes `textProblem` (and is
 * refused with a 4xx naming the field when it does not) or is cleaned by `cleanText` before any store
 * or org write. Why: PostgreSQL text cannot hold NUL (a NUL fails the whole INSERT), and XML 1.0 —
 * the SOAP API and Metadata API — cannot carry most C0 control characters; a lone UTF-16 surrogate
 * is not a character in UTF-8 at all (node-postgres and the org would silently turn it into U+FFFD).
 */

/** C0 controls except tab, LF and CR; DEL; C1 controls (matching them is this module's purpose). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Tab, LF, CR: fine in a multi-line text, not in a one-line value such as a URL or an id. */
const LINE_BREAKS = /[\t\n\r]/;
const LINE_BREAKS_ALL = /[\t\n\r]+/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `value` cannot be stored as it is, or null when it can: a NUL, another control character, a
 * line break in a one-line value, or a lone surrogate. For refusals that name the field.
 */
export function textProblem(value: string, opts: { multiLine?: boolean } = {}): string | null {
  const control = CONTROL.exec(value);
  if (control)
    return control[0] === '\u0000'
      ? 'holds a NUL character (U+0000)'
      : `holds a control character (${codePoint(control[0])})`;
  if (!opts.multiLine) {
    const br = LINE_BREAKS.exec(value);
    if (br) return `holds a tab or line break (${codePoint(br[0])})`;
  }
  if (LONE_SURROGATE.test(value)) return 'holds an unpaired UTF-16 surrogate (not a character)';
  return null;
}

/** `value` cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutTo(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value[max - 1] ?? '') ? max - 1 : max;
  return value.slice(0, end);
}

/**
 * Accept-and-clean: control characters and lone surrogates removed, line breaks in a one-line value
 * turned into one space, cut to `max` characters (the Salesforce field's length where it ends in one).
 */
export function cleanText(value: string, max: number, opts: { multiLine?: boolean } = {}): string {
  let v = value.replace(CONTROL_ALL, '').replace(LONE_SURROGATE_ALL, '');
  if (!opts.multiLine) v = v.replace(LINE_BREAKS_ALL, ' ');
  return cutTo(v, max);
}

/** cleanText for optional values: null stays null, and so does a value that cleans to nothing. */
export function cleanOptional(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const v = cleanText(value, max).trim();
  return v === '' ? null : v;
}

/**
 * OWASP "CSV Injection": a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is read
 * as a formula by spreadsheet programs, so such a value is stored with a leading single quote
 * (https://owasp.org/www-community/attacks/CSV_Injection). Applied to text that came from outside
 * (UTM values, referrers, landing pages) on its way into a Salesforce text field, because a report
 * exported from Salesforce is opened in a spreadsheet as it is.
 */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
