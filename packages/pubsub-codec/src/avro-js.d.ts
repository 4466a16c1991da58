/**
 * avro-js (Apache Avro's JavaScript implementation) ships no types; avro.ts types the slice we use.
 * We load lib/schemas directly: avro-js 1.12.2's index also loads a deprecated validator that requires
 * `underscore`, which the package does not declare, so `require('avro-js')` fails.
 */
declare module 'avro-js/lib/schemas' {
  export function createType(schema: unknown): unknown;
}
