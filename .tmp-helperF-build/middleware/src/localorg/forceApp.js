"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.defaultForceAppDir = defaultForceAppDir;
exports.readForceApp = readForceApp;
/**
 * Reads the Metadata API source of force-app/ (objects, fields, permission sets) so the local org
 * can start "deployed" (preload) and assign custom-object key prefixes in a stable order.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const metadataXml_1 = require("./metadataXml");
function readXml(file, root) {
    const parsed = metadataXml_1.metadataParser.parse(node_fs_1.default.readFileSync(file, 'utf8'));
    return ((0, metadataXml_1.cleanMetadata)(parsed[root]) ?? {});
}
const list = (dir) => (node_fs_1.default.existsSync(dir) ? node_fs_1.default.readdirSync(dir).sort() : []);
function defaultForceAppDir() {
    // middleware/src/localorg → project root (also from dist/middleware/src/localorg).
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        if (node_fs_1.default.existsSync(node_path_1.default.join(dir, 'sfdx-project.json')))
            return node_path_1.default.join(dir, 'force-app');
        dir = node_path_1.default.dirname(dir);
    }
    return node_path_1.default.resolve('force-app');
}
function readForceApp(forceAppDir) {
    const out = { customObjects: [], customFields: [], permissionSets: [] };
    const objectsDir = node_path_1.default.join(forceAppDir, 'main', 'default', 'objects');
    for (const obj of list(objectsDir)) {
        const objFile = node_path_1.default.join(objectsDir, obj, `${obj}.object-meta.xml`);
        if (obj.endsWith('__c') && node_fs_1.default.existsSync(objFile)) {
            out.customObjects.push({ fullName: obj, ...readXml(objFile, 'CustomObject') });
        }
        const fieldsDir = node_path_1.default.join(objectsDir, obj, 'fields');
        for (const file of list(fieldsDir).filter((f) => f.endsWith('.field-meta.xml'))) {
            const md = readXml(node_path_1.default.join(fieldsDir, file), 'CustomField');
            const name = String(md.fullName ?? file.replace('.field-meta.xml', ''));
            out.customFields.push({ ...md, fullName: `${obj}.${name}` });
        }
    }
    const psDir = node_path_1.default.join(forceAppDir, 'main', 'default', 'permissionsets');
    for (const file of list(psDir).filter((f) => f.endsWith('.permissionset-meta.xml'))) {
        out.permissionSets.push({
            fullName: file.replace('.permissionset-meta.xml', ''),
            ...readXml(node_path_1.default.join(psDir, file), 'PermissionSet'),
        });
    }
    return out;
}
//# sourceMappingURL=forceApp.js.map