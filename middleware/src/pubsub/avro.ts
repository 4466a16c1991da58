import { createType, type AvroType } from 'avro-js/lib/schemas';

export type { AvroType } from 'avro-js/lib/schemas';

/** Parses an Avro schema (JSON text or object) once per schema id; without one, only a known id. */
const cache = new Map<string, AvroType>();
export function avroType(schemaId: string, schema?: string | object): AvroType {
  let t = cache.get(schemaId);
  if (!t) {
    if (schema === undefined) throw new Error(`unknown schema id ${schemaId}`);
    t = createType(typeof schema === 'string' ? JSON.parse(schema) : schema);
    cache.set(schemaId, t);
  }
  return t;
}

/** avro-js wraps union values as { type: value }; Salesforce's schemas make every field a union. */
export function unwrapUnion(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && ['string', 'long', 'int', 'double', 'boolean'].includes(keys[0]))
      return (v as Record<string, unknown>)[keys[0]];
  }
  return v;
}
