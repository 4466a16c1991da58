"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metadataParser = void 0;
exports.cleanMetadata = cleanMetadata;
exports.toXml = toXml;
/**
 * Metadata XML ⇄ plain objects, shared by the force-app reader and the SOAP endpoint. Values stay
 * strings (as the Metadata API sends them); elements that may repeat are always arrays.
 */
const fast_xml_parser_1 = require("fast-xml-parser");
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
exports.metadataParser = new fast_xml_parser_1.XMLParser({
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
function cleanMetadata(value) {
    if (Array.isArray(value))
        return value.map(cleanMetadata);
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            if (k.startsWith('@_'))
                continue;
            out[k] = cleanMetadata(v);
        }
        return out;
    }
    return typeof value === 'string' ? value.replace(/\s*\n\s*/g, ' ').trim() : value;
}
const escapeXml = (s) => s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
/** Serialize a plain object as child elements (arrays repeat the element). */
function toXml(name, value, attrs = '') {
    if (Array.isArray(value))
        return value.map((v) => toXml(name, v)).join('');
    if (value === null || value === undefined)
        return `<${name}${attrs} xsi:nil="true"/>`;
    if (typeof value === 'object') {
        const inner = Object.entries(value)
            .map(([k, v]) => toXml(k, v))
            .join('');
        return `<${name}${attrs}>${inner}</${name}>`;
    }
    return `<${name}${attrs}>${escapeXml(String(value))}</${name}>`;
}
//# sourceMappingURL=metadataXml.js.map