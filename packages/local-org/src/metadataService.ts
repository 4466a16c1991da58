/**
 * Metadata API semantics for the types the local org keeps: CustomObject (with inline fields),
 * CustomField and PermissionSet. A deployed field shows up in describe and SOQL at once.
 * PermissionSet upserts replace the stored definition (callers merge first, as with a real org
 * where a deploy of the set is what it holds afterwards).
 */
import type { OrgData, MetadataType } from './data';
import { channelMemberProblem, selectionAllocationProblem } from './pubsub/channelMember';
import { asArray, customFieldProblem, objectsForMetadataParent, type Metadata } from './schema';

export interface SaveResult {
  fullName: string;
  success: boolean;
  created?: boolean;
  errors?: Array<{ message: string; statusCode: string }>;
}

/** Types the CRUD calls (create/read/update/upsert/delete/listMetadata) handle; deploy() takes more. */
export const METADATA_TYPES = [
  'CustomObject',
  'CustomField',
  'PermissionSet',
  'PlatformEventChannelMember',
] as const satisfies MetadataType[];

class MdError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export class MetadataService {
  constructor(private data: OrgData) {}

  isSupported(type: string): type is (typeof METADATA_TYPES)[number] {
    return (METADATA_TYPES as readonly string[]).includes(type);
  }

  /** mode: create fails on existing, update fails on missing, upsert does either. */
  save(type: string, md: Metadata, mode: 'create' | 'update' | 'upsert'): SaveResult {
    const fullName = String(md.fullName ?? '').trim();
    try {
      if (!this.isSupported(type)) {
        throw new MdError(
          'INVALID_TYPE',
          `The local org does not support metadata type ${type} (supported: ${METADATA_TYPES.join(', ')})`,
        );
      }
      if (!fullName) throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty fullName');
      const exists = !!this.data.readMetadata(type, fullName);
      if (mode === 'create' && exists)
        throw new MdError('DUPLICATE_DEVELOPER_NAME', `There is already a ${type} named ${fullName}`);
      if (mode === 'update' && !exists)
        throw new MdError(
          'INVALID_CROSS_REFERENCE_KEY',
          `In field: fullName - no ${type} named ${fullName} found`,
        );
      const created = this.apply(type, fullName, md);
      const result: SaveResult = { fullName, success: true };
      if (mode === 'upsert') result.created = created;
      return result;
    } catch (e) {
      if (!(e instanceof MdError)) throw e;
      return {
        fullName,
        success: false,
        ...(mode === 'upsert' ? { created: false } : {}),
        errors: [{ message: e.message, statusCode: e.statusCode }],
      };
    }
  }

  private apply(type: (typeof METADATA_TYPES)[number], fullName: string, md: Metadata): boolean {
    const { fields, ...rest } = md as Metadata & { fields?: unknown };
    switch (type) {
      case 'CustomField':
        return this.saveField(fullName, rest);
      case 'CustomObject': {
        if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(fullName))
          throw new MdError('FIELD_INTEGRITY_EXCEPTION', `Invalid fullName, must end in __c: ${fullName}`);
        if (!rest.label) throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty label');
        if (!rest.nameField) throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a nameField');
        const fieldList = asArray(fields as Metadata[]);
        for (const f of fieldList) {
          const problem = customFieldProblem({ ...f, fullName: `${fullName}.${String(f.fullName)}` });
          if (problem) throw new MdError('FIELD_INTEGRITY_EXCEPTION', problem);
        }
        const created = this.data.writeMetadata('CustomObject', fullName, { ...rest, fullName });
        for (const f of fieldList) this.saveField(`${fullName}.${String(f.fullName)}`, f);
        return created;
      }
      case 'PermissionSet':
        this.checkPermissionSet(rest);
        this.data.syncPermissionSetRecord(
          fullName,
          String(rest.label),
          rest.description === undefined ? null : String(rest.description).slice(0, 255),
        );
        return this.data.writeMetadata('PermissionSet', fullName, { ...rest, fullName });
      case 'PlatformEventChannelMember': {
        const problem = channelMemberProblem(rest, (name) => !!this.data.object(name));
        if (problem) throw new MdError('FIELD_INTEGRITY_EXCEPTION', problem);
        const overAllocation = selectionAllocationProblem(this.data.listMetadata(type), [
          { ...rest, fullName },
        ]);
        if (overAllocation)
          throw new MdError('LIMIT_EXCEEDED', overAllocation.replace(/^LIMIT_EXCEEDED: /, ''));
        return this.data.writeMetadata(type, fullName, { ...rest, fullName });
      }
    }
  }

  private saveField(fullName: string, md: Metadata): boolean {
    const [parent, fieldName, extra] = fullName.split('.');
    if (!fieldName || extra !== undefined) {
      throw new MdError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Must specify the name in the CustomObject.CustomField format (e.g. Account.MyField__c), got ${fullName}`,
      );
    }
    if (['task', 'event'].includes(parent.toLowerCase())) {
      // Task and Event custom fields are defined once on Activity (README.md, Metadata API).
      throw new MdError(
        'FIELD_INTEGRITY_EXCEPTION',
        `Custom fields of Task and Event are defined on Activity: use Activity.${fieldName}`,
      );
    }
    const problem = customFieldProblem({ ...md, fullName });
    if (problem) throw new MdError('FIELD_INTEGRITY_EXCEPTION', problem);
    for (const objName of objectsForMetadataParent(parent)) {
      if (!this.data.object(objName)) {
        throw new MdError(
          'INVALID_CROSS_REFERENCE_KEY',
          `In field: fullName - no CustomObject named ${parent} found`,
        );
      }
    }
    if (md.referenceTo && !this.data.object(String(md.referenceTo))) {
      throw new MdError(
        'FIELD_INTEGRITY_EXCEPTION',
        `referenceTo value of '${String(md.referenceTo)}' does not resolve to a valid sObject type`,
      );
    }
    const canonicalParent = parent.toLowerCase() === 'activity' ? 'Activity' : this.data.object(parent)!.name;
    return this.data.writeMetadata('CustomField', `${canonicalParent}.${fieldName}`, {
      ...md,
      fullName: `${canonicalParent}.${fieldName}`,
    });
  }

  /** Field permissions must name existing, non-required fields as Task.X__c / Event.X__c (never Activity.X__c). */
  private checkPermissionSet(md: Metadata): void {
    if (!md.label) throw new MdError('FIELD_INTEGRITY_EXCEPTION', 'Must specify a non-empty label');
    for (const fp of asArray(md.fieldPermissions as Metadata[])) {
      const name = String(fp.field ?? '');
      const [objName, fieldName] = name.split('.');
      const def = this.data.object(objName ?? '');
      const f = def?.fields.get((fieldName ?? '').toLowerCase());
      if (!def || !f)
        throw new MdError(
          'INVALID_CROSS_REFERENCE_KEY',
          `In field: field - no CustomField named ${name} found`,
        );
      if (!f.nillable && f.type !== 'boolean') {
        throw new MdError('FIELD_INTEGRITY_EXCEPTION', `You cannot deploy to a required field: ${name}`);
      }
    }
    for (const op of asArray(md.objectPermissions as Metadata[])) {
      if (!this.data.object(String(op.object ?? ''))) {
        throw new MdError(
          'INVALID_CROSS_REFERENCE_KEY',
          `In field: object - no CustomObject named ${String(op.object)} found`,
        );
      }
    }
  }

  /** readMetadata: the stored definition (CustomObject with its fields), or null when absent. */
  read(type: string, fullName: string): Metadata | null {
    if (!this.isSupported(type)) return null;
    const md = this.data.readMetadata(type, fullName);
    if (!md) return null;
    if (type !== 'CustomObject') return md;
    const prefix = `${String(md.fullName).toLowerCase()}.`;
    const fields = this.data
      .listMetadata('CustomField')
      .filter((f) => String(f.fullName).toLowerCase().startsWith(prefix))
      .map((f) => ({ ...f, fullName: String(f.fullName).split('.')[1] }));
    return { ...md, ...(fields.length ? { fields } : {}) };
  }

  /**
   * renameMetadata(type, oldFullName, newFullName) — Metadata API Developer Guide, "renameMetadata()":
   * one component, synchronously, answering a SaveResult. The local org renames custom objects only
   * (fields, key prefix and records follow); any other type is refused rather than half-renamed.
   * The SaveResult's fullName is oldFullName: the guide says the renamed component's name, but real orgs
   * answer the name the call was given (jsforce's e2e suite, run against real orgs, asserts exactly that).
   */
  rename(type: string, oldFullName: string, newFullName: string): SaveResult {
    const fail = (statusCode: string, message: string): SaveResult => ({
      fullName: oldFullName,
      success: false,
      errors: [{ statusCode, message }],
    });
    if (type !== 'CustomObject')
      return fail('INVALID_TYPE', `The local org renames only CustomObject components, not ${type}`);
    if (!this.data.readMetadata('CustomObject', oldFullName))
      return fail(
        'INVALID_CROSS_REFERENCE_KEY',
        `In field: fullName - no CustomObject named ${oldFullName} found`,
      );
    if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(newFullName))
      return fail('FIELD_INTEGRITY_EXCEPTION', `Invalid fullName, must end in __c: ${newFullName}`);
    if (this.data.object(newFullName))
      return fail('DUPLICATE_DEVELOPER_NAME', `There is already a CustomObject named ${newFullName}`);
    this.data.renameCustomObject(oldFullName, newFullName);
    return { fullName: oldFullName, success: true };
  }

  delete(type: string, fullName: string): SaveResult {
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

  list(type: string): Array<{ fullName: string; type: string; lastModifiedDate: string }> {
    if (!this.isSupported(type)) return [];
    return this.data.listMetadataProperties(type).map((m) => ({ ...m, type }));
  }
}
