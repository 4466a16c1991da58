import crypto from 'node:crypto';
import { avroType, encodeFieldBitmap } from '@call-touchpoints/pubsub-codec';
import type { OrgData, RecordChange } from '../data';
import { changeEventSchema, avroValue, type ChangeEventSchema, type ChangeType } from './changeEventSchema';
import { isSelectedForCdc } from './channelMember';
import { currentChangeOrigin } from './changeOrigin';

/**
 * The local org's event bus for change events: every committed change of an entity in ENTITIES becomes
 * an Avro-encoded <Entity>ChangeEvent (TaskChangeEvent, OpportunityChangeEvent, …) when that entity is
 * selected on the ChangeEvents channel (at most 5 selections, channelMember.ts), kept for the
 * retention window (Salesforce: 72 hours,
 * https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html).
 * Bodies as Pub/Sub clients get them: every field on create and undelete, only the changed ones on
 * update (the others null), none on delete
 * (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_body.htm).
 * Events live in memory: a restarted local org starts an empty bus, and replay ids it hands out
 * keep growing (seeded from the clock), so an id from before the restart reads as expired.
 */
export const DEFAULT_RETENTION_MS = 72 * 3600_000;
/**
 * The entities whose change events the local org publishes: all four support change events (Object
 * Reference, "StandardObjectNameChangeEvent", Objects That Support Change Events: Lead, Opportunity,
 * OpportunityContactRole, Task;
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/api/sforce_api_associated_objects_change_event.htm).
 */
export const CDC_ENTITIES = ['Task', 'Opportunity', 'OpportunityContactRole', 'Lead'];
/** Change events leave out fields the header covers or that change on every write. */
const NOT_CHANGED = new Set(['SystemModstamp']);
/**
 * A lead conversion's Lead update event carries Status, IsConverted, ConvertedDate and the Converted*Id
 * fields but not LastModifiedDate (CDC Developer Guide, "Change Events for Lead Conversion",
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_standard_objects_lead_conversion.htm).
 */
const NOT_IN_CONVERSION = new Set(['LastModifiedDate']);

export interface BusEvent {
  replayId: bigint;
  /** The entity whose change it is: its topic is /data/<Entity>ChangeEvent. */
  entity: string;
  id: string;
  schemaId: string;
  payload: Buffer;
  at: number;
}

export class ChangeEventBus {
  private events: BusEvent[] = [];
  private nextReplay = BigInt(Date.now()) * 1000n;
  private commitNumber = 0;
  private schemas = new Map<string, ChangeEventSchema>();
  private listeners = new Set<() => void>();

  constructor(
    private data: OrgData,
    private opts: { retentionMs?: number; now?: () => number },
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  selected(entity: string): boolean {
    return isSelectedForCdc(this.data.listMetadata('PlatformEventChannelMember'), entity);
  }

  /** The current schema of an entity's change event (changes when fields are deployed). */
  schemaFor(entity: string): ChangeEventSchema | null {
    const def = this.data.object(entity);
    if (!def) return null;
    const s = changeEventSchema(def);
    this.schemas.set(s.schemaId, s);
    return s;
  }

  schemaById(id: string): ChangeEventSchema | undefined {
    return this.schemas.get(id);
  }

  onEvent(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with each committed transaction's changes. */
  record(changes: RecordChange[]): void {
    const entities = CDC_ENTITIES.filter((e) => changes.some((c) => c.obj === e) && this.selected(e));
    if (!entities.length) return;
    const transactionKey = crypto.randomUUID();
    const commitTimestamp = this.now();
    const commitNumber = ++this.commitNumber;
    const changeOrigin = currentChangeOrigin();
    let sequenceNumber = 0;
    for (const entity of entities) {
      const schema = this.schemaFor(entity)!;
      const type = avroType(schema.schemaId, schema.json);
      for (const c of changes.filter((x) => x.obj === entity)) {
        const changeType = changeTypeOf(c);
        if (!changeType) continue;
        const changed = changeType === 'UPDATE' ? changedFieldNames(schema, c, entity) : [];
        if (changeType === 'UPDATE' && !changed.length) continue;
        const body: Record<string, unknown> = {};
        for (const f of schema.bodyFields) {
          const include =
            changeType === 'CREATE' ||
            changeType === 'UNDELETE' ||
            (changeType === 'UPDATE' && changed.includes(f.name));
          body[f.name] = include ? avroValue(f, c.after[f.name]) : null;
        }
        const nulled = changed.filter((n) => c.after[n] === null || c.after[n] === undefined);
        const header = {
          entityName: entity,
          recordIds: [String(c.after.Id)],
          changeType,
          changeOrigin,
          transactionKey,
          sequenceNumber: ++sequenceNumber,
          commitTimestamp,
          commitNumber,
          commitUser: String(c.after.LastModifiedById ?? this.data.adminUserId),
          nulledFields: encodeFieldBitmap(schema.fieldNames, nulled),
          diffFields: [],
          changedFields: encodeFieldBitmap(schema.fieldNames, changed),
        };
        this.append(entity, schema.schemaId, type.toBuffer({ ChangeEventHeader: header, ...body }));
      }
    }
    this.prune();
    for (const l of this.listeners) l();
  }

  private append(entity: string, schemaId: string, payload: Buffer): void {
    this.events.push({
      replayId: ++this.nextReplay,
      entity,
      id: crypto.randomUUID(),
      schemaId,
      payload,
      at: this.now(),
    });
  }

  private prune(): void {
    const cutoff = this.now() - (this.opts.retentionMs ?? DEFAULT_RETENTION_MS);
    let i = 0;
    while (i < this.events.length && this.events[i].at < cutoff) i++;
    if (i) this.events.splice(0, i);
  }

  /** The replay id of the newest event (or the bus's start position when it has none). */
  latestReplayId(): bigint {
    return this.nextReplay;
  }

  /**
   * An entity's events after a position: null when the position is not a retained replay id of that
   * entity's events (each topic has its own replay ids).
   */
  after(replayId: bigint, entity = 'Task'): BusEvent[] | null {
    this.prune();
    const mine = this.events.filter((e) => e.entity === entity);
    const i = mine.findIndex((e) => e.replayId === replayId);
    return i < 0 ? null : mine.slice(i + 1);
  }

  /** An entity's events with replay id > position (for a stream already positioned). */
  since(replayId: bigint, entity = 'Task'): BusEvent[] {
    this.prune();
    return this.events.filter((e) => e.entity === entity && e.replayId > replayId);
  }

  earliest(entity = 'Task'): BusEvent[] {
    this.prune();
    return this.events.filter((e) => e.entity === entity);
  }
}

function changeTypeOf(c: RecordChange): ChangeType | null {
  const wasLive = c.before !== undefined && !c.before.IsDeleted;
  const isLive = !c.after.IsDeleted;
  if (!c.before) return isLive ? 'CREATE' : null;
  if (wasLive && !isLive) return 'DELETE';
  if (!wasLive && isLive) return 'UNDELETE';
  return isLive ? 'UPDATE' : null;
}

function changedFieldNames(schema: ChangeEventSchema, c: RecordChange, entity: string): string[] {
  const conversion = entity === 'Lead' && !c.before?.IsConverted && c.after.IsConverted === true;
  return schema.bodyFields
    .map((f) => f.name)
    .filter(
      (n) =>
        !NOT_CHANGED.has(n) &&
        !(conversion && NOT_IN_CONVERSION.has(n)) &&
        JSON.stringify(c.before?.[n] ?? null) !== JSON.stringify(c.after[n] ?? null),
    );
}
