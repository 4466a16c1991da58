/**
 * Reads the Metadata API source of force-app/ (objects, fields, permission sets) so the local org
 * can start "deployed" (preload) and assign custom-object key prefixes in a stable order.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Metadata } from './schema';
import { cleanMetadata, metadataParser } from './metadataXml';

export interface ForceAppMetadata {
  customObjects: Metadata[]; // fullName = object name
  customFields: Metadata[]; // fullName = Parent.Field__c
  permissionSets: Metadata[];
}

function readXml(file: string, root: string): Metadata {
  const parsed = metadataParser.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return (cleanMetadata(parsed[root]) ?? {}) as Metadata;
}

const list = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

export function defaultForceAppDir(): string {
  // middleware/src/localorg → project root (also from dist/middleware/src/localorg).
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'sfdx-project.json'))) return path.join(dir, 'force-app');
    dir = path.dirname(dir);
  }
  return path.resolve('force-app');
}

export function readForceApp(forceAppDir: string): ForceAppMetadata {
  const out: ForceAppMetadata = { customObjects: [], customFields: [], permissionSets: [] };
  const objectsDir = path.join(forceAppDir, 'main', 'default', 'objects');
  for (const obj of list(objectsDir)) {
    const objFile = path.join(objectsDir, obj, `${obj}.object-meta.xml`);
    if (obj.endsWith('__c') && fs.existsSync(objFile)) {
      out.customObjects.push({ fullName: obj, ...readXml(objFile, 'CustomObject') });
    }
    const fieldsDir = path.join(objectsDir, obj, 'fields');
    for (const file of list(fieldsDir).filter((f) => f.endsWith('.field-meta.xml'))) {
      const md = readXml(path.join(fieldsDir, file), 'CustomField');
      const name = String(md.fullName ?? file.replace('.field-meta.xml', ''));
      out.customFields.push({ ...md, fullName: `${obj}.${name}` });
    }
  }
  const psDir = path.join(forceAppDir, 'main', 'default', 'permissionsets');
  for (const file of list(psDir).filter((f) => f.endsWith('.permissionset-meta.xml'))) {
    out.permissionSets.push({
      fullName: file.replace('.permissionset-meta.xml', ''),
      ...readXml(path.join(psDir, file), 'PermissionSet'),
    });
  }
  return out;
}
