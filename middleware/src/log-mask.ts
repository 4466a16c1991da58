/**
 * Personal data out of logs (docs/security.md, "What is logged"): caller numbers and e-mail addresses are
 * masked in every string a log line carries (messages, fields, error messages and stacks), and a URL loses
 * its query string (a SOQL query in ?q= held 14 spellings of a caller's number). Pure functions; log.ts
 * applies them to every line.
 */

const MASK = '•';

/**
 * A phone-looking run: optional +, then 7 to 15 digits with the usual separators (space . - ( )).
 * Not glued to letters, digits, ':' '/' or '_' on either side, so ids (CAL8154…, 00T…, callrail:123…),
 * URL paths and ISO timestamps (…T12:00) are left alone.
 */
const PHONE = /(?<![\w:/%-])\+?\(?\d(?:[\s.()-]{0,2}\d){6,14}\)?(?![\w:/%-])/g;
/** Calendar dates (2026-03-10) and decimals (1.2345678) look like that too, but nobody dials them. */
const NOT_A_PHONE = /^(\d{4}[-./]\d{2}[-./]\d{2}|\d+\.\d+)$/;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})/g;
/** A URL or an absolute path followed by a query string. */
const URL_QUERY = /((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#"'<>]*)?\/[^\s?#"'<>]*)\?[^\s#"'<>]*/g;
export const QUERY_REMOVED = '?[query removed]';

/** "+1 415 555 0167" → "+• ••• ••• ••67": every digit but the last two. */
export function maskPhone(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => (++seen > digits - 2 ? d : MASK));
}

/** Masks phone numbers and e-mail addresses and removes query strings from URLs in free text. */
export function maskPersonalData(text: string): string {
  return text
    .replace(URL_QUERY, `$1${QUERY_REMOVED}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}${MASK.repeat(3)}@${domain}`)
    .replace(PHONE, (m) => (NOT_A_PHONE.test(m.trim()) ? m : maskPhone(m)));
}

/**
 * A copy of `value` with every string masked (objects and arrays to `depth` levels; deeper is
 * dropped). An Error becomes { type, message, stack }, all masked, since its text is where request
 * URLs and SOQL end up.
 */
export function maskValue(value: unknown, depth = 6): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth <= 0) return '[nested too deep]';
  if (value instanceof Error) {
    const code: unknown = (value as Error & { errorCode?: unknown }).errorCode;
    return {
      type: value.name,
      message: maskPersonalData(value.message),
      ...(value.stack ? { stack: maskPersonalData(value.stack) } : {}),
      ...(typeof code === 'string' ? { errorCode: code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth - 1);
  return out;
}
