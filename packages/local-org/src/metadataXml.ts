/**
 * Metadata XML ⇄ plain objects, shared by the force-app reader and the SOAP endpoint. Values stay
 * strings (as the Metadata API sends them); elements that may repeat are always arrays.
 */
import { XMLParser } from 'fast-xml-parser';
import type { Metadata } from './schema';

/** Elements that are lists in the Metadata API types we store (CustomObject, CustomField, PermissionSet). */
const LIST_ELEMENTS = new Set([
  'fields',
  'fullNames',
  'metadata',
  'value',
  'fieldPermissions',
  'objectPermissions',
  'classAccesses',
  'userPermissions',
  'tabSettings',
  'applicationVisibilities',
  'pageAccesses',
  'recordTypeVisibilities',
  'customPermissions',
  'customMetadataTypeAccesses',
  'customSettingAccesses',
  'externalDataSourceAccesses',
  'flowAccesses',
  'listViews',
  'queries',
  'records',
]);

export const metadataParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

/** Drop XML attributes (xmlns, xsi:type) and collapse whitespace in text the way the API stores it. */
export function cleanMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanMetadata);
  if (value && typeof value === 'object') {
    // <description xsi:nil="true"/> (jsforce's rendering of null) means "no value": the element is dropped.
    if ((value as Metadata)['@_nil'] === 'true') return undefined;
    const out: Metadata = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('@_')) continue;
      const clean = cleanMetadata(v);
      if (clean !== undefined) out[k] = clean;
    }
    return out;
  }
  return typeof value === 'string' ? value.replace(/\s*\n\s*/g, ' ').trim() : value;
}

const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** Serialize a plain object as child elements (arrays repeat the element). */
export function toXml(name: string, value: unknown, attrs = ''): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null || value === undefined) return `<${name}${attrs} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Metadata)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}${attrs}>${escapeXml(String(value))}</${name}>`;
}
