/**
 * Pub/Sub API sends the ChangeEventHeader's changedFields, nulledFields and diffFields as field
 * bitmaps: a hex string whose bit i stands for the i-th top-level field of the event's Avro schema
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html,
 * "Bitmap Fields in Change Events"). Entries "N-0x…" name fields nested in compound field N; Task
 * has no compound fields we read, so they are skipped.
 */
export function encodeFieldBitmap(schemaFields: readonly string[], names: readonly string[]): string[] {
  if (!names.length) return [];
  let bits = 0n;
  for (const n of names) {
    const i = schemaFields.indexOf(n);
    if (i >= 0) bits |= 1n << BigInt(i);
  }
  // Whole bytes, as Salesforce writes them (0x06, not 0x6): a byte-wise decoder rejects half a byte.
  const hex = bits.toString(16).toUpperCase();
  return [`0x${hex.length % 2 ? `0${hex}` : hex}`];
}

/** Field names of a bitmap list; throws on a value that is not a bitmap (a malformed event). */
export function decodeFieldBitmap(schemaFields: readonly string[], bitmaps: readonly string[]): string[] {
  const out: string[] = [];
  for (const b of bitmaps) {
    if (/^\d+-0x[0-9a-f]+$/i.test(b)) continue; // nested (compound) fields
    if (!/^0x[0-9a-f]+$/i.test(b)) throw new Error(`not a field bitmap: ${JSON.stringify(b).slice(0, 40)}`);
    const bits = BigInt(b);
    schemaFields.forEach((name, i) => {
      if ((bits >> BigInt(i)) & 1n) out.push(name);
    });
  }
  return out;
}
