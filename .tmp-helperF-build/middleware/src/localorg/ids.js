"use strict";
/**
 * Salesforce record ids: 3-character key prefix + 12 characters, plus the 3-character case-safe
 * suffix that makes the 18-character form safe for case-insensitive comparison.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.caseSafeSuffix = caseSafeSuffix;
exports.toId18 = toId18;
exports.makeId = makeId;
exports.sequenceOf = sequenceOf;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The documented checksum: per 5-character chunk, bit i is set when character i is A-Z. */
function caseSafeSuffix(id15) {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id15.charCodeAt(chunk * 5 + i);
            if (c >= 65 && c <= 90)
                bits |= 1 << i;
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
function toId18(input) {
    if (!ID_SHAPE.test(input))
        return null;
    if (input.length === 15)
        return input + caseSafeSuffix(input);
    const suffix = input.slice(15).toUpperCase();
    let base = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk]);
        if (bits < 0)
            return null;
        for (let i = 0; i < 5; i++) {
            const ch = input[chunk * 5 + i];
            base += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase();
        }
    }
    return base + caseSafeSuffix(base);
}
/** A new 18-character id: prefix + "000" (pod/reserved) + 9-character base-62 sequence number. */
function makeId(keyPrefix, sequence) {
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
function sequenceOf(id) {
    let n = 0;
    for (const ch of id.slice(6, 15))
        n = n * 62 + BASE62.indexOf(ch);
    return n;
}
//# sourceMappingURL=ids.js.map