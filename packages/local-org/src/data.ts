/**
 * The local org's data: schema (standard objects + deployed metadata), records and their indexes.
 * Records live in memory (Map per object, indexes on unique/external-id fields) and are written
 * through to SQLite (better-sqlite3, WAL) at the end of every transaction, so a restart with the
 * same data dir sees the same org.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { SfError, notFound } from './errors';
import { lockDataDir } from './lock';
import { makeId, sequenceOf, toId18 } from './ids';
import {
  PERSON_OBJECTS,
  fieldFromMetadata,
  isIdLookup,
  objectFromMetadata,
  objectsForMetadataParent,
  type FieldDef,
  type Metadata,
  type ObjectDef,
} from './schema';
import { standardObjects } from './standardObjects';
import { hasUserPermission } from './permissions';
import { SETTABLE_AUDIT_FIELDS, deriveOpportunityState, otherPrimaryRoles } from './opportunityRules';
import { coerceInput } from './values';
import type { Catalog, CompiledQuery, Rec } from './soql';

export const ADMIN_USERNAME = 'admin@local-org.invalid';

interface Undo {
  obj: string;
  id: string;
  before: Rec | undefined;
}

/** One record changed by a committed transaction (before is undefined for a create). */
export interface RecordChange {
  obj: string;
  before: Rec | undefined;
  after: Rec;
}

export interface SaveOutcome {
  id: string;
  created: boolean;
}

/** Types the Metadata API stores: the first three shape the schema; the rest are kept as deployed. */
export type MetadataType =
  | 'CustomObject'
  | 'CustomField'
  | 'PermissionSet'
  | 'ApexClass'
  | 'LightningComponentBundle'
  | 'FlexiPage'
  | 'ReportType'
  | 'Report'
  | 'ReportFolder'
  | 'Dashboard'
  | 'DashboardFolder'
  | 'CustomTab'
  | 'CustomLabels'
  | 'PlatformEventChannelMember';

/** Where a metadata component's lastModifiedDate is kept (the state table: no schema change). */
const modifiedKey = (type: string, fullName: string) => `modified:${type}:${fullName.toLowerCase()}`;

export class OrgData implements Catalog {
  readonly orgId: string;
  readonly adminUserId: string;
  /** The user the current (synchronous) request runs as: asUser. */
  private actingUserId: string | null = null;
  private objectsByName = new Map<string, ObjectDef>();
  private objectsByPrefix = new Map<string, ObjectDef>();
  private records = new Map<string, Map<string, Rec>>();
  /** object → field (lower) → normalized value → ids */
  private indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** Highest id sequence per key prefix found in stored records. */
  private sequences = new Map<string, number>();
  private counters = new Map<string, number>();
  private unlock: () => void = () => undefined;
  private statements: { upsert: Database.Statement; remove: Database.Statement } | null = null;
  private undo: Undo[] | null = null;
  private touched = new Map<string, string>(); // id → object
  private db: Database.Database;
  private forceAppObjectOrder: string[];
  /** Told about every committed transaction's record changes (the Pub/Sub change events). */
  onCommit: ((changes: RecordChange[]) => void) | null = null;

  constructor(dataDir: string | null, forceAppObjectOrder: string[]) {
    this.forceAppObjectOrder = forceAppObjectOrder;
    if (dataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      this.unlock = lockDataDir(dataDir);
    }
    this.db = new Database(dataDir ? path.join(dataDir, 'local-org.sqlite') : ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, object TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS records_object ON records(object);
      CREATE TABLE IF NOT EXISTS metadata (type TEXT NOT NULL, full_name TEXT NOT NULL, data TEXT NOT NULL,
        seq INTEGER NOT NULL, PRIMARY KEY (type, full_name));
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.orgId = this.state('orgId') ?? this.setState('orgId', makeId('00D', Date.now() % 62 ** 5));
    this.rebuildSchema();
    for (const row of this.db.prepare('SELECT id, object, data FROM records').iterate() as Iterable<{
      id: string;
      object: string;
      data: string;
    }>) {
      this.mapFor(row.object).set(row.id, JSON.parse(row.data) as Rec);
      const prefix = row.id.slice(0, 3);
      this.sequences.set(prefix, Math.max(this.sequences.get(prefix) ?? 0, sequenceOf(row.id)));
    }
    this.rebuildIndexes();
    const admin = this.scan('User').find((u) => u.Username === ADMIN_USERNAME);
    this.adminUserId = admin ? (admin.Id as string) : this.seedAdmin();
    if (!this.byId(this.orgId)) this.seedOrganization();
  }

  close(): void {
    this.db.close();
    this.unlock();
  }

  // --- state & metadata storage ------------------------------------------------------------

  private state(key: string): string | undefined {
    return (
      this.db.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined
    )?.value;
  }

  private setState(key: string, value: string): string {
    this.db
      .prepare(
        'INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
    return value;
  }

  readMetadata(type: MetadataType, fullName: string): Metadata | undefined {
    const row = this.db
      .prepare('SELECT data FROM metadata WHERE type = ? AND lower(full_name) = lower(?)')
      .get(type, fullName) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Metadata) : undefined;
  }

  listMetadata(type: MetadataType): Metadata[] {
    return (
      this.db.prepare('SELECT data FROM metadata WHERE type = ? ORDER BY seq').all(type) as Array<{
        data: string;
      }>
    ).map((r) => JSON.parse(r.data) as Metadata);
  }

  /**
   * listMetadata()'s FileProperties: each component's fullName and lastModifiedDate (Metadata API
   * Developer Guide, "listMetadata()" and "FileProperties": "lastModifiedDate — Date and time that the
   * file was last modified"). Every write of a component moves its date; a component written before
   * the date was kept gets one on its first listing.
   */
  listMetadataProperties(type: MetadataType): Array<{ fullName: string; lastModifiedDate: string }> {
    return this.listMetadata(type).map((m) => {
      const fullName = String(m.fullName);
      const key = modifiedKey(type, fullName);
      return { fullName, lastModifiedDate: this.state(key) ?? this.setState(key, this.nextModified()) };
    });
  }

  private lastModified = 0;
  /** Now as an ISO instant, strictly later than the previous one (two writes in 1 ms differ). */
  private nextModified(): string {
    this.lastModified = Math.max(Date.now(), this.lastModified + 1);
    return new Date(this.lastModified).toISOString();
  }

  /** Store a definition (replacing any earlier one) and rebuild the schema; returns true when it was new. */
  writeMetadata(type: MetadataType, fullName: string, md: Metadata): boolean {
    this.setState(modifiedKey(type, fullName), this.nextModified());
    const existing = this.db
      .prepare('SELECT full_name, seq FROM metadata WHERE type = ? AND lower(full_name) = lower(?)')
      .get(type, fullName) as { full_name: string; seq: number } | undefined;
    const nextSeq = (
      this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM metadata').get() as { n: number }
    ).n;
    if (existing) {
      this.db
        .prepare('UPDATE metadata SET data = ? WHERE type = ? AND full_name = ?')
        .run(JSON.stringify(md), type, existing.full_name);
    } else {
      this.db
        .prepare('INSERT INTO metadata(type, full_name, data, seq) VALUES (?, ?, ?, ?)')
        .run(type, fullName, JSON.stringify(md), nextSeq);
    }
    if (type === 'CustomObject' || type === 'CustomField') this.rebuildSchema();
    return !existing;
  }

  deleteMetadata(type: MetadataType, fullName: string): boolean {
    const r = this.db
      .prepare('DELETE FROM metadata WHERE type = ? AND lower(full_name) = lower(?)')
      .run(type, fullName);
    if (type === 'CustomObject') {
      this.db
        .prepare("DELETE FROM metadata WHERE type = 'CustomField' AND lower(full_name) LIKE lower(?)")
        .run(`${fullName}.%`);
    }
    if (type === 'CustomObject' || type === 'CustomField') this.rebuildSchema();
    return r.changes > 0;
  }

  /**
   * renameMetadata() of a custom object: the object keeps its key prefix, fields and records under the
   * new name (Metadata API Developer Guide, "renameMetadata()": the component is renamed in place).
   */
  renameCustomObject(oldName: string, newName: string): void {
    const md = this.readMetadata('CustomObject', oldName);
    if (!md) return;
    const from = String(md.fullName);
    const prefixKey = (n: string) => `keyPrefix:${n.toLowerCase()}`;
    this.db.transaction(() => {
      this.db
        .prepare("UPDATE metadata SET full_name = ?, data = ? WHERE type = 'CustomObject' AND full_name = ?")
        .run(newName, JSON.stringify({ ...md, fullName: newName }), from);
      for (const f of this.listMetadata('CustomField')) {
        const [parent, field] = String(f.fullName).split('.');
        if (parent.toLowerCase() !== from.toLowerCase()) continue;
        this.db
          .prepare("UPDATE metadata SET full_name = ?, data = ? WHERE type = 'CustomField' AND full_name = ?")
          .run(`${newName}.${field}`, JSON.stringify({ ...f, fullName: `${newName}.${field}` }), f.fullName);
      }
      const prefix = this.state(prefixKey(from));
      if (prefix) {
        this.db.prepare('DELETE FROM state WHERE key = ?').run(prefixKey(from));
        this.setState(prefixKey(newName), prefix);
      }
      this.db.prepare('UPDATE records SET object = ? WHERE object = ?').run(newName, from);
    })();
    const recs = this.records.get(from);
    this.records.delete(from);
    if (recs) this.records.set(newName, recs);
    this.rebuildSchema();
  }

  /** Key prefixes of custom objects: force-app objects get a01, a02… alphabetically, others the next free. */
  private keyPrefixFor(objectName: string): string {
    const stored = this.state(`keyPrefix:${objectName.toLowerCase()}`);
    if (stored) return stored;
    const used = new Set(
      (
        this.db.prepare("SELECT value FROM state WHERE key LIKE 'keyPrefix:%'").all() as Array<{
          value: string;
        }>
      ).map((r) => r.value),
    );
    const idx = this.forceAppObjectOrder.findIndex((n) => n.toLowerCase() === objectName.toLowerCase());
    let n = idx >= 0 ? idx + 1 : this.forceAppObjectOrder.length + 1;
    const code = (k: number) => `a${(k < 62 * 62 ? k : 0).toString(36).padStart(2, '0').slice(-2)}`;
    while (used.has(code(n))) n++;
    return this.setState(`keyPrefix:${objectName.toLowerCase()}`, code(n));
  }

  private rebuildSchema(): void {
    const objects = standardObjects();
    for (const md of this.listMetadata('CustomObject')) {
      const name = String(md.fullName);
      objects.push(objectFromMetadata(name, md, this.keyPrefixFor(name)));
    }
    const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
    for (const md of this.listMetadata('CustomField')) {
      const [parent, fieldName] = String(md.fullName).split('.');
      for (const objName of objectsForMetadataParent(parent)) {
        const def = byName.get(objName.toLowerCase());
        if (def) def.fields.set(fieldName.toLowerCase(), fieldFromMetadata(fieldName, md));
      }
    }
    this.objectsByName = byName;
    this.objectsByPrefix = new Map(objects.map((o) => [o.keyPrefix, o]));
    if (this.indexes.size || this.records.size) this.rebuildIndexes();
  }

  /** Writes fields no API request may set (convertLead's Converted* fields on Lead). */
  systemUpdate(def: ObjectDef, rec: Rec, changes: Rec, now: number): void {
    this.put(def.name, { ...rec, ...changes, LastModifiedDate: now, SystemModstamp: now });
  }

  /** Runs fn as the session's user (REST requests): who may set audit fields on create. */
  asUser<T>(userId: string | undefined, fn: () => T): T {
    const before = this.actingUserId;
    this.actingUserId = userId ?? null;
    try {
      return fn();
    } finally {
      this.actingUserId = before;
    }
  }

  /** The admin user has "Set Audit Fields upon Record Creation"; others through a permission set. */
  private maySetAuditFields(): boolean {
    return hasUserPermission(this, this.actingUserId ?? this.adminUserId, 'CreateAuditFields');
  }

  // --- catalog --------------------------------------------------------------------------------

  object(name: string): ObjectDef | undefined {
    return this.objectsByName.get(name.toLowerCase());
  }

  allObjects(): ObjectDef[] {
    return [...this.objectsByName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  byId(id: string): { def: ObjectDef; rec: Rec } | undefined {
    const def = this.objectsByPrefix.get(id.slice(0, 3));
    const rec = def ? this.records.get(def.name)?.get(id) : undefined;
    return def && rec ? { def, rec } : undefined;
  }

  private mapFor(obj: string): Map<string, Rec> {
    let m = this.records.get(obj);
    if (!m) this.records.set(obj, (m = new Map()));
    return m;
  }

  scan(obj: string): Rec[] {
    if (obj === 'ActivityHistory') return this.activityHistory();
    return [...(this.records.get(obj)?.values() ?? [])];
  }

  /** ActivityHistory rows (standardObjects.ts): closed Tasks and Events that ended before now. */
  private activityHistory(): Rec[] {
    const now = Date.now();
    const row = (rec: Rec, isTask: boolean): Rec => ({
      ...Object.fromEntries(
        [...this.objectsByName.get('activityhistory')!.fields.values()].map((f) => [
          f.name,
          rec[f.name] ?? null,
        ]),
      ),
      IsTask: isTask,
      IsClosed: isTask ? rec.IsClosed === true : true,
      ActivityType: rec.Type ?? null,
    });
    const tasks = this.scan('Task').filter((t) => t.IsClosed === true);
    const events = this.scan('Event').filter((e) => {
      const end = (e.EndDateTime ?? e.ActivityDateTime) as number | null;
      return end !== null && end !== undefined && end < now;
    });
    return [...tasks.map((t) => row(t, true)), ...events.map((e) => row(e, false))];
  }

  count(obj: string): number {
    return this.records.get(obj)?.size ?? 0;
  }

  // --- indexes ------------------------------------------------------------------------------

  isIndexed(f: FieldDef): boolean {
    return isIdLookup(f);
  }

  private indexKey(v: unknown): string {
    return String(v).toLowerCase();
  }

  private rebuildIndexes(): void {
    this.indexes = new Map();
    for (const def of this.objectsByName.values()) {
      const perField = new Map<string, Map<string, Set<string>>>();
      for (const f of def.fields.values())
        if (f.type !== 'id' && this.isIndexed(f)) perField.set(f.name.toLowerCase(), new Map());
      this.indexes.set(def.name, perField);
      for (const rec of this.records.get(def.name)?.values() ?? []) this.indexRecord(def.name, rec, true);
    }
  }

  private indexRecord(obj: string, rec: Rec, add: boolean): void {
    const perField = this.indexes.get(obj);
    if (!perField) return;
    const def = this.objectsByName.get(obj.toLowerCase());
    for (const [lower, idx] of perField) {
      const name = def?.fields.get(lower)?.name ?? lower;
      const v = rec[name];
      if (v === null || v === undefined) continue;
      const key = this.indexKey(v);
      let ids = idx.get(key);
      if (add) {
        if (!ids) idx.set(key, (ids = new Set()));
        ids.add(rec.Id as string);
      } else if (ids) {
        ids.delete(rec.Id as string);
        if (ids.size === 0) idx.delete(key);
      }
    }
  }

  /** Live (not deleted) records whose indexed field equals value (case-sensitive when the field is). */
  findBy(def: ObjectDef, f: FieldDef, value: unknown): Rec[] {
    if (f.type === 'id') {
      const id = typeof value === 'string' ? toId18(value) : null;
      const rec = id ? this.records.get(def.name)?.get(id) : undefined;
      return rec && !rec.IsDeleted ? [rec] : [];
    }
    const idx = this.indexes.get(def.name)?.get(f.name.toLowerCase());
    const map = this.records.get(def.name);
    if (!idx || !map) {
      return this.scan(def.name).filter((r) => !r.IsDeleted && this.sameValue(f, r[f.name], value));
    }
    const ids = idx.get(this.indexKey(value)) ?? new Set<string>();
    return [...ids]
      .map((id) => map.get(id)!)
      .filter((r) => r && !r.IsDeleted && this.sameValue(f, r[f.name], value));
  }

  private sameValue(f: FieldDef, a: unknown, b: unknown): boolean {
    if (typeof a === 'string' && typeof b === 'string' && !f.caseSensitive)
      return a.toLowerCase() === b.toLowerCase();
    return String(a) === String(b);
  }

  // --- queries ------------------------------------------------------------------------------

  runQuery(q: CompiledQuery): Rec[] {
    let rows: Rec[];
    // ActivityHistory has no stored rows to index: derived by scan().
    if (q.indexHint && q.object.name !== 'ActivityHistory') {
      const f = q.object.fields.get(q.indexHint.field.toLowerCase())!;
      const seen = new Set<string>();
      rows = [];
      for (const v of q.indexHint.values) {
        const found =
          f.type === 'id'
            ? [this.records.get(q.object.name)?.get(v)].filter((r): r is Rec => !!r)
            : [
                ...(this.indexes.get(q.object.name)?.get(f.name.toLowerCase())?.get(this.indexKey(v)) ?? []),
              ].map((id) => this.records.get(q.object.name)!.get(id)!);
        for (const r of found) {
          if (seen.has(r.Id as string)) continue;
          seen.add(r.Id as string);
          rows.push(r);
        }
      }
      rows.sort((a, b) => ((a.Id as string) < (b.Id as string) ? -1 : 1));
    } else {
      rows = this.scan(q.object.name);
    }
    rows = rows.filter((r) => (q.includeDeleted || !r.IsDeleted) && q.predicate(r));
    if (q.compare) rows.sort(q.compare);
    const end = q.limit === null ? undefined : q.offset + q.limit;
    return rows.slice(q.offset, end);
  }

  // --- transactions -------------------------------------------------------------------------

  /** Run fn atomically: on throw every record change is undone; on success changes are persisted. */
  transaction<T>(fn: () => T): T {
    if (this.undo) {
      // Nested (a composite subrequest): undo only this part on throw; the outer one persists.
      const point = this.savepoint();
      try {
        return fn();
      } catch (e) {
        this.rollbackTo(point);
        throw e;
      }
    }
    this.undo = [];
    this.touched = new Map();
    try {
      const result = fn();
      const changes = this.onCommit ? this.committedChanges() : [];
      this.persist();
      if (changes.length) this.onCommit?.(changes);
      return result;
    } catch (e) {
      this.rollbackTo(0);
      throw e;
    } finally {
      this.undo = null;
    }
  }

  /** Each record the transaction changed, as it was before it and as it is now (change events). */
  private committedChanges(): RecordChange[] {
    const seen = new Map<string, RecordChange>();
    for (const u of this.undo ?? []) {
      if (seen.has(u.id)) continue;
      const after = this.records.get(u.obj)?.get(u.id);
      if (after) seen.set(u.id, { obj: u.obj, before: u.before, after });
    }
    return [...seen.values()];
  }

  savepoint(): number {
    return this.undo?.length ?? 0;
  }

  rollbackTo(point: number): void {
    const log = this.undo ?? [];
    while (log.length > point) {
      const u = log.pop()!;
      const map = this.mapFor(u.obj);
      const current = map.get(u.id);
      if (current) this.indexRecord(u.obj, current, false);
      if (u.before) {
        map.set(u.id, u.before);
        this.indexRecord(u.obj, u.before, true);
      } else {
        map.delete(u.id);
      }
    }
  }

  private put(obj: string, rec: Rec): void {
    const map = this.mapFor(obj);
    const id = rec.Id as string;
    const before = map.get(id);
    this.undo?.push({ obj, id, before });
    if (before) this.indexRecord(obj, before, false);
    map.set(id, rec);
    this.indexRecord(obj, rec, true);
    this.touched.set(id, obj);
  }

  private persist(): void {
    if (this.touched.size === 0) return;
    this.statements ??= {
      upsert: this.db.prepare(
        'INSERT INTO records(id, object, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data',
      ),
      remove: this.db.prepare('DELETE FROM records WHERE id = ?'),
    };
    const { upsert, remove } = this.statements;
    const touched = this.touched;
    this.db.transaction(() => {
      for (const [id, obj] of touched) {
        const rec = this.records.get(obj)?.get(id);
        if (rec) upsert.run(id, obj, JSON.stringify(rec));
        else remove.run(id);
      }
      for (const [key, n] of this.counters) this.setState(key, String(n));
    })();
    this.touched = new Map();
  }

  /** Counters (id sequences, autonumbers) live in memory and are saved with the next persist(). */
  private nextCounter(key: string, floor = 0): number {
    const n = Math.max(this.counters.get(key) ?? Number(this.state(key) ?? 0), floor) + 1;
    this.counters.set(key, n);
    return n;
  }

  private nextSequence(prefix: string): number {
    return this.nextCounter(`seq:${prefix}`, this.sequences.get(prefix) ?? 0);
  }

  // --- DML ----------------------------------------------------------------------------------

  /**
   * Field-name and JSON-shape checks that fail a whole request (the API deserializes the body
   * before any DML): unknown columns → INVALID_FIELD, wrong JSON types → JSON_PARSER_ERROR.
   */
  checkBody(def: ObjectDef, input: Rec): void {
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      if (
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        this.relationshipField(def, key)
      )
        continue;
      const f = def.fields.get(key.toLowerCase());
      if (!f)
        throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
      try {
        coerceInput(f, value);
      } catch (e) {
        if (e instanceof SfError && e.errorCode === 'JSON_PARSER_ERROR') throw e;
      }
    }
  }

  private relationshipField(def: ObjectDef, key: string): FieldDef | undefined {
    const lower = key.toLowerCase();
    for (const f of def.fields.values())
      if (f.type === 'reference' && f.relationshipName?.toLowerCase() === lower) return f;
    return undefined;
  }

  /** `"Web_Session__r": {"Session_Key__c": "..."}` → the referenced record's id. */
  private resolveForeignKey(f: FieldDef, value: Rec): string | null {
    const { attributes, ...keys } = value as { attributes?: { type?: string } } & Rec;
    const entries = Object.entries(keys);
    const targetName = attributes?.type ?? f.referenceTo[0];
    const target = this.object(targetName ?? '');
    if (!target || entries.length !== 1) {
      throw new SfError(
        400,
        'INVALID_FIELD',
        `Foreign key external ID reference for ${f.relationshipName} must name exactly one external id field`,
        [f.name],
      );
    }
    const [extName, extValue] = entries[0];
    const ext = target.fields.get(extName.toLowerCase());
    if (!ext || !(ext.externalId || ext.type === 'id')) {
      throw new SfError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${extName} is not an External ID or indexed field for ${target.name}`,
        [f.name],
      );
    }
    const found = this.findBy(target, ext, extValue);
    if (found.length === 0) {
      throw new SfError(
        400,
        'INVALID_FIELD',
        `Foreign key external ID: ${String(extValue)} not found for field ${ext.name} in entity ${target.name}`,
        [f.name],
      );
    }
    if (found.length > 1) {
      throw new SfError(
        400,
        'INVALID_FIELD',
        `Foreign key external ID: ${String(extValue)} matched more than one record for field ${ext.name} in entity ${target.name}`,
        [f.name],
      );
    }
    return found[0].Id as string;
  }

  private fieldError(f: FieldDef): SfError {
    return new SfError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      [f.name],
    );
  }

  /** Validate and apply one create (existing = undefined) or update. Throws SfError (nothing applied). */
  save(def: ObjectDef, input: Rec, existing: Rec | undefined, now: number): SaveOutcome {
    if (def.writable === false)
      throw new SfError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be ${existing ? 'updated' : 'inserted'}: ${def.name}`,
      );
    if (existing && def.name === 'Lead' && existing.IsConverted === true)
      // A converted Lead is read-only: the API answers CANNOT_UPDATE_CONVERTED_LEAD "cannot reference
      // converted lead" (https://help.salesforce.com/s/articleView?id=000384333&type=1). Only users
      // with "View and Edit Converted Leads" may edit one
      // (https://help.salesforce.com/s/articleView?id=sales.leads_view_edit_converted.htm&type=5); the
      // local org grants it to nobody (stricter). Deleting one stays allowed.
      throw new SfError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
    this.checkBody(def, input);
    const creating = !existing;
    const changes: Rec = {};
    const audit: Rec = {};
    const notWritable: string[] = [];
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const rel = value !== null && typeof value === 'object' ? this.relationshipField(def, key) : undefined;
      if (rel) {
        changes[rel.name] = this.resolveForeignKey(rel, value as Rec);
        continue;
      }
      const f = def.fields.get(key.toLowerCase())!;
      if (f.type === 'id') {
        if (creating) {
          throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
            'Id',
          ]);
        }
        if (toId18(String(value)) !== existing!.Id)
          throw new SfError(400, 'INVALID_ID_FIELD', 'Id in the body does not match the record', ['Id']);
        continue;
      }
      if (creating && SETTABLE_AUDIT_FIELDS.has(f.name) && this.maySetAuditFields()) {
        audit[f.name] = coerceInput(f, value);
        continue;
      }
      if (creating ? !f.createable : !f.updateable) {
        notWritable.push(f.name);
        continue;
      }
      let v = coerceInput(f, value);
      if (f.type === 'reference' && v !== null) {
        const target = this.byId(v as string);
        if (!target || target.rec.IsDeleted) {
          throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
        }
        if (!f.referenceTo.includes(target.def.name)) {
          throw new SfError(
            400,
            'FIELD_INTEGRITY_EXCEPTION',
            `${f.label}: id value of incorrect type: ${v as string}`,
            [f.name],
          );
        }
        v = target.rec.Id;
      }
      changes[f.name] = v;
    }
    if (notWritable.length) {
      const first = def.fields.get(notWritable[0].toLowerCase())!;
      const err = this.fieldError(first);
      throw new SfError(
        400,
        err.errorCode,
        err.message.replace(first.name, notWritable.join(', ')),
        notWritable,
      );
    }

    if (creating && def.name === 'PermissionSetAssignment') this.checkAssignmentUnique(changes);
    const rec: Rec = creating ? {} : { ...existing };
    if (creating) {
      for (const f of def.fields.values()) {
        if (f.defaultValue !== null && f.defaultValue !== undefined) rec[f.name] = f.defaultValue;
        else if (f.type === 'boolean') rec[f.name] = false;
        else rec[f.name] = null;
      }
      rec.Id = makeId(def.keyPrefix, this.nextSequence(def.keyPrefix));
      rec.IsDeleted = false;
      rec.CreatedDate = now;
      rec.CreatedById = this.adminUserId ?? rec.Id; // the seeded admin creates itself
      if (def.fields.has('ownerid')) rec.OwnerId = this.adminUserId;
      if (def.autoNumberFormat) rec.Name = this.autoNumber(def);
    }
    Object.assign(rec, changes, audit);
    if (def.name === 'Opportunity') deriveOpportunityState(rec);
    if (def.name === 'Task') rec.IsClosed = rec.Status === 'Completed';
    if (PERSON_OBJECTS.has(def.name))
      rec.Name = [rec.FirstName, rec.LastName].filter(Boolean).join(' ') || null;

    const missing = [...def.fields.values()]
      .filter((f) => !f.nillable && f.type !== 'boolean' && (creating ? f.createable : f.name in changes))
      .filter((f) => rec[f.name] === null || rec[f.name] === undefined)
      .map((f) => f.name);
    if (missing.length) {
      throw new SfError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
    for (const f of def.fields.values()) {
      if (!f.unique || f.type === 'id' || rec[f.name] === null || rec[f.name] === undefined) continue;
      if (!creating && !(f.name in changes)) continue;
      const clash = this.findBy(def, f, rec[f.name]).find((r) => r.Id !== rec.Id);
      if (clash) {
        throw new SfError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id as string}`,
          [f.name],
        );
      }
    }
    rec.LastModifiedDate = audit.LastModifiedDate ?? now;
    rec.LastModifiedById = this.adminUserId ?? rec.Id;
    rec.SystemModstamp = now;
    this.put(def.name, rec);
    if (def.name === 'OpportunityContactRole')
      for (const other of otherPrimaryRoles(this.scan(def.name), rec))
        this.put(def.name, { ...other, IsPrimary: false, SystemModstamp: now, LastModifiedDate: now });
    return { id: rec.Id as string, created: creating };
  }

  /**
   * Upsert one record by an external id (or Id): create when no live record matches, update the
   * one match, report several matches (REST answers 300, collections an item error).
   */
  upsert(
    def: ObjectDef,
    f: FieldDef,
    value: unknown,
    input: Rec,
    now: number,
  ): SaveOutcome | { multiple: string[] } {
    this.checkBody(def, input);
    const matches = this.findBy(def, f, value);
    if (matches.length > 1) return { multiple: matches.map((r) => r.Id as string) };
    const body: Rec = { ...input };
    for (const k of Object.keys(body)) if (k.toLowerCase() === f.name.toLowerCase()) delete body[k];
    if (matches.length === 1) {
      if (f.type !== 'id' && f.updateable) body[f.name] = value;
      return this.save(def, body, matches[0], now);
    }
    if (f.type === 'id') throw notFound();
    body[f.name] = value;
    return this.save(def, body, undefined, now);
  }

  private autoNumber(def: ObjectDef): string {
    const n = this.nextCounter(`autonumber:${def.name.toLowerCase()}`);
    return def.autoNumberFormat!.replace(/\{(0+)\}/, (_, zeros: string) =>
      String(n).padStart(zeros.length, '0'),
    );
  }

  /** Live record by id (15 or 18 chars) of the given object, or undefined. */
  get(def: ObjectDef, id: string): Rec | undefined {
    const id18 = toId18(id);
    const rec = id18 ? this.records.get(def.name)?.get(id18) : undefined;
    return rec && !rec.IsDeleted ? rec : undefined;
  }

  /** Soft delete (IsDeleted = true, visible to queryAll), as the recycle bin does. */
  remove(def: ObjectDef, rec: Rec, now: number): void {
    this.put(def.name, { ...rec, IsDeleted: true, SystemModstamp: now, LastModifiedDate: now });
    // Lookups to it are cleared (deleteConstraint SetNull, the only kind we define).
    const id = rec.Id as string;
    for (const child of this.objectsByName.values()) {
      const refs = [...child.fields.values()].filter(
        (f) =>
          f.type === 'reference' && f.referenceTo.includes(def.name) && f.updateable && f.name !== 'OwnerId',
      );
      if (!refs.length) continue;
      for (const r of this.records.get(child.name)?.values() ?? []) {
        const hit = refs.filter((f) => r[f.name] === id);
        if (!hit.length) continue;
        const next: Rec = { ...r, SystemModstamp: now, LastModifiedDate: now };
        for (const f of hit) next[f.name] = null;
        this.put(child.name, next);
      }
    }
  }

  /**
   * Hard delete of a Recycle Bin row (SOAP emptyRecycleBin()): the record leaves the store, so even
   * queryAll no longer returns it. Rolled back with the transaction like put().
   */
  purge(obj: string, id: string): void {
    const map = this.mapFor(obj);
    const before = map.get(id);
    if (!before) return;
    this.undo?.push({ obj, id, before });
    this.indexRecord(obj, before, false);
    map.delete(id);
    this.touched.set(id, obj);
  }

  /**
   * A deployed permission set is also a PermissionSet record (Object Reference: PermissionSet), which
   * `sf org assign permset` finds by Name before it creates a PermissionSetAssignment.
   */
  syncPermissionSetRecord(name: string, label: string, description: string | null): void {
    const def = this.object('PermissionSet')!;
    const existing = this.scan('PermissionSet').find(
      (r) => String(r.Name).toLowerCase() === name.toLowerCase(),
    );
    this.transaction(() =>
      this.save(def, { Name: name, Label: label, Description: description }, existing, Date.now()),
    );
  }

  /** A user holds a permission set once: a second assignment fails DUPLICATE_VALUE, as in Salesforce. */
  private checkAssignmentUnique(changes: Rec): void {
    const dup = this.scan('PermissionSetAssignment').find(
      (a) =>
        a.AssigneeId === changes.AssigneeId && a.PermissionSetId === changes.PermissionSetId && !a.IsDeleted,
    );
    if (dup)
      throw new SfError(
        400,
        'DUPLICATE_VALUE',
        `Duplicate PermissionSetAssignment. Assignee: ${String(changes.AssigneeId)}, PermissionSet: ${String(changes.PermissionSetId)}`,
        [],
      );
  }

  /** The one Organization row, whose Id is the org id (what `sf org display` reads). */
  private seedOrganization(): void {
    const now = Date.now();
    this.transaction(() =>
      this.put('Organization', {
        Id: this.orgId,
        Name: 'Local Org',
        OrganizationType: 'Developer Edition',
        InstanceName: 'LOCAL',
        IsSandbox: false,
        TrialExpirationDate: null,
        NamespacePrefix: null,
        LanguageLocaleKey: 'en_US',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'GMT',
        IsReadOnly: false,
        IsDeleted: false,
        CreatedDate: now,
        CreatedById: this.adminUserId,
        LastModifiedDate: now,
        LastModifiedById: this.adminUserId,
        SystemModstamp: now,
      }),
    );
  }

  private seedAdmin(): string {
    const def = this.object('User')!;
    return this.transaction(
      () =>
        this.save(
          def,
          {
            Username: ADMIN_USERNAME,
            FirstName: 'Local',
            LastName: 'Admin',
            Alias: 'ladmin',
            Email: 'admin@local-org.invalid',
            IsActive: true,
          },
          undefined,
          Date.now(),
        ).id,
    );
  }
}
