import { createType } from 'avro-js/lib/schemas';

/** The slice of an avro-js type we use. Declared here, not in avro-js.d.ts, so it reaches our consumers. */
export interface AvroType {
  toBuffer(value: unknown): Buffer;
  fromBuffer(buf: Buffer): Record<string, unknown>;
  getFields(): { getName(): string }[];
}

/** Parses an Avro schema (JSON text or object) once per schema id; without one, only a known id. */
const cache = new Map<string, AvroType>();
export function avroType(schemaId: string, schema?: string | object): AvroType {
  let t = cache.get(schemaId);
  if (!t) {
    if (schema === undefined) throw new Error(`unknown schema id ${schemaId}`);
    t = createType(typeof schema === 'string' ? JSON.parse(schema) : schema) as AvroType;
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
