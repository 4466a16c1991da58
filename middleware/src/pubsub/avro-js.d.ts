/**
 * The slice of avro-js (Apache Avro's JavaScript implementation) we use; it ships no types. We load
 * lib/schemas directly: avro-js 1.12.2's index also loads a deprecated validator that requires
 * `underscore`, which the package does not declare, so `require('avro-js')` fails.
 */
declare module 'avro-js/lib/schemas' {
  export interface AvroField {
    getName(): string;
  }
  export interface AvroType {
    toBuffer(value: unknown): Buffer;
    fromBuffer(buf: Buffer): Record<string, unknown>;
    getFields(): AvroField[];
  }
  export function createType(schema: unknown): AvroType;
}
