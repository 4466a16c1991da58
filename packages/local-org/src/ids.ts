/**
 * Salesforce record ids: 3-character key prefix + 12 characters, plus the 3-character case-safe
 * suffix that makes the 18-character form safe for case-insensitive comparison.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The documented checksum: per 5-character chunk, bit i is set when character i is A-Z. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/**
 * Canonical 18-character id for a 15- or 18-character input, or null when the text is not an id.
 * An 18-character id whose suffix disagrees with its case is rebuilt from the suffix, as the
 * API does when a case-insensitive tool lowercased it.
 */
export function toId18(input: string): string | null {
  if (!ID_SHAPE.test(input)) return null;
  if (input.length === 15) return input + caseSafeSuffix(input);
  const suffix = input.slice(15).toUpperCase();
  let base = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk]);
    if (bits < 0) return null;
    for (let i = 0; i < 5; i++) {
      const ch = input[chunk * 5 + i];
      base += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return base + caseSafeSuffix(base);
}

/** A new 18-character id: prefix + "000" (pod/reserved) + 9-character base-62 sequence number. */
export function makeId(keyPrefix: string, sequence: number): string {
  let n = sequence;
  let body = '';
  for (let i = 0; i < 9; i++) {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  }
  const id15 = `${keyPrefix}000${body}`;
  return id15 + caseSafeSuffix(id15);
}

/** Inverse of makeId's sequence part (used to continue numbering after a restart). */
export function sequenceOf(id: string): number {
  let n = 0;
  for (const ch of id.slice(6, 15)) n = n * 62 + BASE62.indexOf(ch);
  return n;
}
