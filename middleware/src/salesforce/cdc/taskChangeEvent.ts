import { decodeFieldBitmap, unwrapUnion, type AvroType } from '@call-touchpoints/pubsub-codec';
import { isSalesforceId } from '../../values/salesforce-ranges';

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
  };
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
