import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/**
 * Reads the metadata `deploy` sends from force-app/ — the one source of truth (no TypeScript
 * copy). Values stay strings as in the XML; whitespace runs collapse (the files are wrapped by
 * the XML formatter, the org should not see the indentation).
 */

export type Metadata = { [key: string]: MetadataValue };
export type MetadataValue = string | Metadata | MetadataValue[];

/** Elements that repeat in the types we deploy: always arrays, even with one entry. */
const REPEATED = new Set([
  'value',
  'fieldPermissions',
  'objectPermissions',
  'tabSettings',
  'classAccesses',
  'pageAccesses',
  'recordTypeVisibilities',
  'applicationVisibilities',
  'customPermissions',
  'userPermissions',
  'fields',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

function clean(value: unknown): MetadataValue | undefined {
  if (typeof value === 'string') {
    const s = value.replace(/\s+/g, ' ').trim();
    return s === '' ? undefined : s;
  }
  if (Array.isArray(value)) return value.map(clean).filter((v): v is MetadataValue => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Metadata = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === undefined || value === null ? undefined : String(value);
}

export function parseMetadataXml(xml: string, file = 'metadata'): { type: string; metadata: Metadata } {
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  if (!root) throw new Error(`${file}: no root element`);
  const metadata = (clean(doc[root]) ?? {}) as Metadata;
  return { type: root, metadata };
}

export interface SourceComponent {
  type: 'CustomField' | 'CustomObject' | 'PermissionSet' | 'PlatformEventChannelMember';
  /** Metadata API fullName: `Activity.BizibleId__c`, `Touchpoint__c`, `Call_Touchpoints_Integration`. */
  fullName: string;
  metadata: Metadata;
  file: string;
}

export interface ForceAppSource {
  root: string;
  /** Fields on Activity (Task and Event share them). */
  activityFields: SourceComponent[];
  /** Custom objects with their fields, in the order they must be created (lookup targets first). */
  objects: { object: SourceComponent; fields: SourceComponent[] }[];
  permissionSets: SourceComponent[];
  /** Change Data Capture selections (ChangeEvents_TaskChangeEvent: Task; docs/salesforce.md). */
  channelMembers: SourceComponent[];
  /** change-events/ permission sets (Call_Touchpoints_Change_Events: View All Data, for Task events). */
  changeEventPermissionSets: SourceComponent[];
}

export const DEFAULT_FORCE_APP = path.resolve(__dirname, '..', '..', '..', 'force-app', 'main', 'default');

/** Finds force-app/main/default from the source tree or the compiled dist/ tree. */
export function findForceApp(start = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'force-app', 'main', 'default');
    if (fs.existsSync(path.join(candidate, 'objects'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`force-app/main/default not found above ${start}`);
    dir = parent;
  }
}

function readComponent(file: string, type: SourceComponent['type'], fullName: string): SourceComponent {
  const parsed = parseMetadataXml(fs.readFileSync(file, 'utf8'), file);
  if (parsed.type !== type) throw new Error(`${file}: expected <${type}>, found <${parsed.type}>`);
  return { type, fullName, metadata: { ...parsed.metadata, fullName }, file };
}

function listXml(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

function fieldsOf(objectsDir: string, objectName: string): SourceComponent[] {
  return listXml(path.join(objectsDir, objectName, 'fields'), '.field-meta.xml').map((file) => {
    const name = path.basename(file, '.field-meta.xml');
    return readComponent(file, 'CustomField', `${objectName}.${name}`);
  });
}

/** Lookup targets among our own objects come first (Touchpoint__c looks up Web_Session__c). */
function orderByLookups(objects: { object: SourceComponent; fields: SourceComponent[] }[]) {
  const names = new Set(objects.map((o) => o.object.fullName));
  const deps = new Map(
    objects.map((o) => [
      o.object.fullName,
      o.fields
        .map((f) => f.metadata.referenceTo)
        .filter((r): r is string => typeof r === 'string' && names.has(r)),
    ]),
  );
  const done: string[] = [];
  const visit = (n: string, seen: Set<string>) => {
    if (done.includes(n) || seen.has(n)) return;
    seen.add(n);
    for (const d of deps.get(n) ?? []) visit(d, seen);
    done.push(n);
  };
  for (const o of objects) visit(o.object.fullName, new Set());
  return done.map((n) => objects.find((o) => o.object.fullName === n)!);
}

export function readForceApp(root = findForceApp()): ForceAppSource {
  const objectsDir = path.join(root, 'objects');
  const activityFields = fieldsOf(objectsDir, 'Activity');
  const objects = fs
    .readdirSync(objectsDir)
    .filter((d) => d.endsWith('__c') && fs.existsSync(path.join(objectsDir, d, `${d}.object-meta.xml`)))
    .sort()
    .map((name) => ({
      object: readComponent(path.join(objectsDir, name, `${name}.object-meta.xml`), 'CustomObject', name),
      fields: fieldsOf(objectsDir, name),
    }));
  const permissionSets = listXml(path.join(root, 'permissionsets'), '.permissionset-meta.xml').map((file) =>
    readComponent(file, 'PermissionSet', path.basename(file, '.permissionset-meta.xml')),
  );
  // Task's CDC selection is its own SFDX package directory, change-events/ next to force-app/: an org
  // with no entity selection left still takes force-app whole (docs/salesforce.md).
  const suffix = '.platformEventChannelMember-meta.xml';
  const changeEvents = path.join(root, '..', '..', '..', 'change-events', 'main', 'default');
  const channelMembers = listXml(path.join(changeEvents, 'platformEventChannelMembers'), suffix).map((file) =>
    readComponent(file, 'PlatformEventChannelMember', path.basename(file, suffix)),
  );
  const changeEventPermissionSets = listXml(
    path.join(changeEvents, 'permissionsets'),
    '.permissionset-meta.xml',
  ).map((file) => readComponent(file, 'PermissionSet', path.basename(file, '.permissionset-meta.xml')));
  return {
    root,
    activityFields,
    objects: orderByLookups(objects),
    permissionSets,
    channelMembers,
    changeEventPermissionSets,
  };
}
