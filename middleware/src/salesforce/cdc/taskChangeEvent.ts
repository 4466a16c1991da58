import { decodeFieldBitmap, unwrapUnion, type AvroType } from '@call-touchpoints/pubsub-codec';
import { isSalesforceId } from '../../values/salesforce-ranges';
import type { TaskRecord } from '../../domain';

/**
 * A TaskChangeEvent as the Task discovery needs it, decoded from its Avro payload, and the pure
 * rule of which events make the join run. Header fields:
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm
 */
export interface TaskChange {
  changeType: string;
  recordIds: string[];
  /** Entries of recordIds that are not Salesforce ids: skipped and reported, never queried (issue 24). */
  skippedIds: string[];
  changedFields: string[];
  commitUser: string;
  /** When the change was committed (header commitTimestamp, epoch ms; null when absent). */
  commitTimestamp: number | null;
  /** Body field values, unwrapped, by field name (a field absent from the schema is absent here). */
  body: Record<string, unknown>;
}

export function decodeTaskChange(type: AvroType, payload: Buffer): TaskChange {
  const rec = type.fromBuffer(payload);
  const h = rec.ChangeEventHeader as Record<string, unknown> | undefined;
  if (!h || typeof h !== 'object') throw new Error('no ChangeEventHeader');
  const names = type.getFields().map((f) => f.getName());
  const ids = h.recordIds;
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string'))
    throw new Error('recordIds is not a list of ids');
  return {
    changeType: String(unwrapUnion(h.changeType)),
    recordIds: (ids as string[]).filter(isSalesforceId),
    skippedIds: (ids as string[]).filter((i) => !isSalesforceId(i)),
    changedFields: decodeFieldBitmap(names, (h.changedFields as string[] | undefined) ?? []),
    commitUser: String(unwrapUnion(h.commitUser) ?? ''),
    commitTimestamp: epochMs(unwrapUnion(h.commitTimestamp)),
    body: Object.fromEntries(
      names.filter((n) => n !== 'ChangeEventHeader').map((n) => [n, unwrapUnion(rec[n]) ?? null]),
    ),
  };
}

function epochMs(v: unknown): number | null {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
}

/** A datetime as the REST API writes it (`2026-12-07T22:55:01.000+0000`), so a later read hashes alike. */
function restDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * The Task a CREATE event describes, in the shape a REST query of `fields` returns, or null when the
 * event cannot stand in for that read. A create event carries every non-null field of the new record
 * ("Change Event Body Fields", CDC Developer Guide:
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_body.htm),
 * datetimes as epoch milliseconds (Pub/Sub API payloads:
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm).
 * Not planned from the event: other change types (an update holds only the changed fields), an event
 * naming several records, or a schema lacking a field the join reads (the read says what it is).
 * SystemModstamp is not in the body: the commit timestamp stands in (the join hashes Tasks without it,
 * and Tasks planned from events do not move the watermark).
 */
export function taskFromCreate(
  change: TaskChange,
  fields: readonly string[],
  datetimeFields: ReadonlySet<string>,
): TaskRecord | null {
  if (change.changeType !== 'CREATE' || change.recordIds.length !== 1 || change.skippedIds.length)
    return null;
  const task: TaskRecord = { Id: change.recordIds[0], CreatedDate: '' };
  for (const f of fields) {
    if (f === 'Id') continue;
    if (f === 'SystemModstamp') {
      if (change.commitTimestamp === null) return null;
      task.SystemModstamp = restDateTime(change.commitTimestamp);
      continue;
    }
    if (!(f in change.body)) return null;
    const v = change.body[f];
    if (v === null) task[f] = null;
    else if (datetimeFields.has(f)) {
      const ms = epochMs(v);
      if (ms === null) return null;
      task[f] = restDateTime(ms);
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') task[f] = v;
    else return null;
  }
  return typeof task.CreatedDate === 'string' && task.CreatedDate ? task : null;
}

export type ChangeAction = 'join' | 'ignore' | 'deleted' | 'catch-up' | 'unknown';

/**
 * What an event asks of us. Creates and undeletes: join. Updates: only when they touch a field the
 * join reads — the join's own writes (status, lookups) never do, so they cause no loop. Gap events
 * name records whose change could not be captured in detail: read them (join). A GAP_OVERFLOW
 * names none: a catch-up run from the watermark.
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
 */
export function actionFor(change: TaskChange, joinInputFields: ReadonlySet<string>): ChangeAction {
  switch (change.changeType) {
    case 'CREATE':
    case 'UNDELETE':
    case 'GAP_CREATE':
    case 'GAP_UPDATE':
    case 'GAP_UNDELETE':
      return 'join';
    case 'UPDATE':
      return change.changedFields.some((f) => joinInputFields.has(f)) ? 'join' : 'ignore';
    case 'DELETE':
    case 'GAP_DELETE':
      return 'deleted';
    case 'GAP_OVERFLOW':
      return 'catch-up';
    default:
      return 'unknown';
  }
}
