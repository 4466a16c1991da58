"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_FORCE_APP = void 0;
exports.parseMetadataXml = parseMetadataXml;
exports.findForceApp = findForceApp;
exports.readForceApp = readForceApp;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const fast_xml_parser_1 = require("fast-xml-parser");
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
const parser = new fast_xml_parser_1.XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => REPEATED.has(name),
});
function clean(value) {
    if (typeof value === 'string') {
        const s = value.replace(/\s+/g, ' ').trim();
        return s === '' ? undefined : s;
    }
    if (Array.isArray(value))
        return value.map(clean).filter((v) => v !== undefined);
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            const c = clean(v);
            if (c !== undefined)
                out[k] = c;
        }
        return Object.keys(out).length ? out : undefined;
    }
    return value === undefined || value === null ? undefined : String(value);
}
function parseMetadataXml(xml, file = 'metadata') {
    const doc = parser.parse(xml);
    const root = Object.keys(doc).find((k) => !k.startsWith('?'));
    if (!root)
        throw new Error(`${file}: no root element`);
    const metadata = (clean(doc[root]) ?? {});
    return { type: root, metadata };
}
exports.DEFAULT_FORCE_APP = node_path_1.default.resolve(__dirname, '..', '..', '..', 'force-app', 'main', 'default');
/** Finds force-app/main/default from the source tree or the compiled dist/ tree. */
function findForceApp(start = __dirname) {
    let dir = start;
    for (;;) {
        const candidate = node_path_1.default.join(dir, 'force-app', 'main', 'default');
        if (node_fs_1.default.existsSync(node_path_1.default.join(candidate, 'objects')))
            return candidate;
        const parent = node_path_1.default.dirname(dir);
        if (parent === dir)
            throw new Error(`force-app/main/default not found above ${start}`);
        dir = parent;
    }
}
function readComponent(file, type, fullName) {
    const parsed = parseMetadataXml(node_fs_1.default.readFileSync(file, 'utf8'), file);
    if (parsed.type !== type)
        throw new Error(`${file}: expected <${type}>, found <${parsed.type}>`);
    return { type, fullName, metadata: { ...parsed.metadata, fullName }, file };
}
function listXml(dir, suffix) {
    if (!node_fs_1.default.existsSync(dir))
        return [];
    return node_fs_1.default
        .readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()
        .map((f) => node_path_1.default.join(dir, f));
}
function fieldsOf(objectsDir, objectName) {
    return listXml(node_path_1.default.join(objectsDir, objectName, 'fields'), '.field-meta.xml').map((file) => {
        const name = node_path_1.default.basename(file, '.field-meta.xml');
        return readComponent(file, 'CustomField', `${objectName}.${name}`);
    });
}
/** Lookup targets among our own objects come first (Touchpoint__c looks up Web_Session__c). */
function orderByLookups(objects) {
    const names = new Set(objects.map((o) => o.object.fullName));
    const deps = new Map(objects.map((o) => [
        o.object.fullName,
        o.fields.map((f) => f.metadata.referenceTo).filter((r) => typeof r === 'string' && names.has(r)),
    ]));
    const done = [];
    const visit = (n, seen) => {
        if (done.includes(n) || seen.has(n))
            return;
        seen.add(n);
        for (const d of deps.get(n) ?? [])
            visit(d, seen);
        done.push(n);
    };
    for (const o of objects)
        visit(o.object.fullName, new Set());
    return done.map((n) => objects.find((o) => o.object.fullName === n));
}
function readForceApp(root = findForceApp()) {
    const objectsDir = node_path_1.default.join(root, 'objects');
    const activityFields = fieldsOf(objectsDir, 'Activity');
    const objects = node_fs_1.default
        .readdirSync(objectsDir)
        .filter((d) => d.endsWith('__c') && node_fs_1.default.existsSync(node_path_1.default.join(objectsDir, d, `${d}.object-meta.xml`)))
        .sort()
        .map((name) => ({
        object: readComponent(node_path_1.default.join(objectsDir, name, `${name}.object-meta.xml`), 'CustomObject', name),
        fields: fieldsOf(objectsDir, name),
    }));
    const permissionSets = listXml(node_path_1.default.join(root, 'permissionsets'), '.permissionset-meta.xml').map((file) => readComponent(file, 'PermissionSet', node_path_1.default.basename(file, '.permissionset-meta.xml')));
    return { root, activityFields, objects: orderByLookups(objects), permissionSets };
}
//# sourceMappingURL=force-app-source.js.map