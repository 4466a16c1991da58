import crypto from 'node:crypto';
import type { FieldDef, ObjectDef } from '../schema';

/**
 * The Avro schema of an entity's change event, shaped as Salesforce documents it: a
 * ChangeEventHeader record first, then every field of the object as a nullable union (only changed
 * fields carry values on an update). System fields the header already covers (Id → recordIds,
 * IsDeleted → changeType, SystemModstamp) are not in the body.
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm
 * Date and datetime fields are epoch values in Pub/Sub API payloads (datetimes: epoch ms longs)
 * (https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm).
 */
export const CHANGE_TYPES = ['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const NOT_IN_BODY = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

function avroTypeOf(f: FieldDef): string {
  switch (f.type) {
    case 'datetime':
      return 'long';
    case 'date':
    case 'int':
      return 'int';
    case 'boolean':
      return 'boolean';
    case 'double':
    case 'percent':
    case 'currency':
      return 'double';
    default:
      return 'string';
  }
}

export interface ChangeEventSchema {
  schemaId: string;
  json: string;
  /** Top-level field names in schema order (index = bitmap bit). */
  fieldNames: string[];
  /** Body fields (without the header), with their definitions. */
  bodyFields: FieldDef[];
}

export function changeEventSchema(def: ObjectDef): ChangeEventSchema {
  const bodyFields = [...def.fields.values()].filter((f) => !NOT_IN_BODY.has(f.name));
  const schema = {
    type: 'record',
    name: `${def.name}ChangeEvent`,
    namespace: 'com.sforce.eventbus',
    fields: [
      {
        name: 'ChangeEventHeader',
        type: {
          type: 'record',
          name: 'ChangeEventHeader',
          fields: [
            { name: 'entityName', type: 'string' },
            { name: 'recordIds', type: { type: 'array', items: 'string' } },
            { name: 'changeType', type: { type: 'enum', name: 'ChangeType', symbols: [...CHANGE_TYPES] } },
            { name: 'changeOrigin', type: 'string' },
            { name: 'transactionKey', type: 'string' },
            { name: 'sequenceNumber', type: 'int' },
            { name: 'commitTimestamp', type: 'long' },
            { name: 'commitNumber', type: 'long' },
            { name: 'commitUser', type: 'string' },
            { name: 'nulledFields', type: { type: 'array', items: 'string' } },
            { name: 'diffFields', type: { type: 'array', items: 'string' } },
            { name: 'changedFields', type: { type: 'array', items: 'string' } },
          ],
        },
      },
      ...bodyFields.map((f) => ({ name: f.name, type: ['null', avroTypeOf(f)], default: null })),
    ],
  };
  const json = JSON.stringify(schema);
  // Salesforce's schema ids are opaque; a digest of the schema changes when a field is deployed.
  const schemaId = crypto.createHash('sha256').update(json).digest('base64url').slice(0, 22);
  return { schemaId, json, fieldNames: ['ChangeEventHeader', ...bodyFields.map((f) => f.name)], bodyFields };
}

/** A stored value as the Avro union member of its field (null stays null). */
export function avroValue(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const t = avroTypeOf(f);
  if (t === 'int' && f.type === 'date')
    return { int: Math.floor(Date.parse(`${String(v)}T00:00:00Z`) / 86_400_000) };
  if (t === 'long' || t === 'int') return { [t]: Math.trunc(Number(v)) };
  if (t === 'double') return { double: Number(v) };
  if (t === 'boolean') return { boolean: Boolean(v) };
  return { string: String(v) };
}
