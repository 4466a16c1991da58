"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetadataService = exports.METADATA_TYPES = void 0;
const schema_1 = require("./schema");
exports.METADATA_TYPES = ['CustomObject', 'CustomField', 'PermissionSet'];
class MdError extends Error {
    statusCode;
    constructor(statusCode, message) {
        super(message);
        this.statusCode = statusCode;
    }
}
class MetadataService {
    data;
    constructor(data) {
        this.data = data;
    }
    isSupported(type) {
        return exports.METADATA_TYPES.includes(type);
    }
    /** mode: create fails on existing, update fails on missing, upsert does either. */
    save(type, md, mode) {
        const fullName = String(md.fullName ?? '').trim();
        try {
            if (!this.isSupported(type)) {
                throw new MdError('INVALID_TYPE', `The local org does not support metadata type ${type} (supported: ${exports.METADATA_TYPES.join(', ')})`);
            }
            if (!fullName)
                throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty fullName');
            const exists = !!this.data.readMetadata(type, fullName);
            if (mode === 'create' && exists)
                throw new MdError('DUPLICATE_DEVELOPER_NAME', `There is already a ${type} named ${fullName}`);
            if (mode === 'update' && !exists)
                throw new MdError('INVALID_CROSS_REFERENCE_KEY', `In field: fullName - no ${type} named ${fullName} found`);
            const created = this.apply(type, fullName, md);
            const result = { fullName, success: true };
            if (mode === 'upsert')
                result.created = created;
            return result;
        }
        catch (e) {
            if (!(e instanceof MdError))
                throw e;
            return {
                fullName,
                success: false,
                ...(mode === 'upsert' ? { created: false } : {}),
                errors: [{ message: e.message, statusCode: e.statusCode }],
            };
        }
    }
    apply(type, fullName, md) {
        const { fields, ...rest } = md;
        switch (type) {
            case 'CustomField':
                return this.saveField(fullName, rest);
            case 'CustomObject': {
                if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(fullName))
                    throw new MdError('FIELD_INTEGRITY_EXCEPTION', `Invalid fullName, must end in __c: ${fullName}`);
                if (!rest.label)
                    throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty label');
                if (!rest.nameField)
                    throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a nameField');
                const fieldList = (0, schema_1.asArray)(fields);
                for (const f of fieldList) {
                    const problem = (0, schema_1.customFieldProblem)({ ...f, fullName: `${fullName}.${String(f.fullName)}` });
                    if (problem)
                        throw new MdError('FIELD_INTEGRITY_EXCEPTION', problem);
                }
                const created = this.data.writeMetadata('CustomObject', fullName, { ...rest, fullName });
                for (const f of fieldList)
                    this.saveField(`${fullName}.${String(f.fullName)}`, f);
                return created;
            }
            case 'PermissionSet':
                this.checkPermissionSet(rest);
                return this.data.writeMetadata('PermissionSet', fullName, { ...rest, fullName });
        }
    }
    saveField(fullName, md) {
        const [parent, fieldName, extra] = fullName.split('.');
        if (!fieldName || extra !== undefined) {
            throw new MdError('FIELD_INTEGRITY_EXCEPTION', `Must specify the name in the CustomObject.CustomField format (e.g. Account.MyField__c), got ${fullName}`);
        }
        const problem = (0, schema_1.customFieldProblem)({ ...md, fullName });
        if (problem)
            throw new MdError('FIELD_INTEGRITY_EXCEPTION', problem);
        for (const objName of (0, schema_1.objectsForMetadataParent)(parent)) {
            if (!this.data.object(objName)) {
                throw new MdError('INVALID_CROSS_REFERENCE_KEY', `In field: fullName - no CustomObject named ${parent} found`);
            }
        }
        if (md.referenceTo && !this.data.object(String(md.referenceTo))) {
            throw new MdError('FIELD_INTEGRITY_EXCEPTION', `referenceTo value of '${String(md.referenceTo)}' does not resolve to a valid sObject type`);
        }
        const canonicalParent = parent.toLowerCase() === 'activity' ? 'Activity' : this.data.object(parent).name;
        return this.data.writeMetadata('CustomField', `${canonicalParent}.${fieldName}`, {
            ...md,
            fullName: `${canonicalParent}.${fieldName}`,
        });
    }
    /** Field permissions must name existing, non-required fields as Task.X__c / Event.X__c (never Activity.X__c). */
    checkPermissionSet(md) {
        if (!md.label)
            throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty label');
        for (const fp of (0, schema_1.asArray)(md.fieldPermissions)) {
            const name = String(fp.field ?? '');
            const [objName, fieldName] = name.split('.');
            const def = this.data.object(objName ?? '');
            const f = def?.fields.get((fieldName ?? '').toLowerCase());
            if (!def || !f)
                throw new MdError('INVALID_CROSS_REFERENCE_KEY', `In field: field - no CustomField named ${name} found`);
            if (!f.nillable && f.type !== 'boolean') {
                throw new MdError('FIELD_INTEGRITY_EXCEPTION', `You cannot deploy to a required field: ${name}`);
            }
        }
        for (const op of (0, schema_1.asArray)(md.objectPermissions)) {
            if (!this.data.object(String(op.object ?? ''))) {
                throw new MdError('INVALID_CROSS_REFERENCE_KEY', `In field: object - no CustomObject named ${String(op.object)} found`);
            }
        }
    }
    /** readMetadata: the stored definition (CustomObject with its fields), or null when absent. */
    read(type, fullName) {
        if (!this.isSupported(type))
            return null;
        const md = this.data.readMetadata(type, fullName);
        if (!md)
            return null;
        if (type !== 'CustomObject')
            return md;
        const prefix = `${String(md.fullName).toLowerCase()}.`;
        const fields = this.data
            .listMetadata('CustomField')
            .filter((f) => String(f.fullName).toLowerCase().startsWith(prefix))
            .map((f) => ({ ...f, fullName: String(f.fullName).split('.')[1] }));
        return { ...md, ...(fields.length ? { fields } : {}) };
    }
    delete(type, fullName) {
        if (!this.isSupported(type) || !this.data.deleteMetadata(type, fullName)) {
            return {
                fullName,
                success: false,
                errors: [
                    {
                        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
                        message: `In field: fullName - no ${type} named ${fullName} found`,
                    },
                ],
            };
        }
        return { fullName, success: true };
    }
    list(type) {
        if (!this.isSupported(type))
            return [];
        return this.data.listMetadata(type).map((m) => ({ fullName: String(m.fullName), type }));
    }
}
exports.MetadataService = MetadataService;
//# sourceMappingURL=metadataService.js.map