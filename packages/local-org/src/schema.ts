/**
 * The local org's schema: field and object definitions, the standard objects (standardObjects.ts) plus
 * custom objects and fields built from Metadata API definitions (force-app/ or deployed).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'combobox'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'double'
  | 'int'
  | 'percent'
  | 'currency'
  | 'email'
  | 'phone'
  | 'url'
  | 'address';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Filled by the server when absent on create (Owner, Status, system fields). */
  defaultedOnCreate: boolean;
  custom: boolean;
  autoNumber: boolean;
  calculated: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** For a lookup: the name of the parent's relationship to the children (e.g. Contacts, Tasks). */
  childRelationshipName: string | null;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  defaultValue: unknown;
}

/** describe's idLookup: the Id, external ids and unique fields can find a record (upserts, indexed filters). */
export function isIdLookup(f: FieldDef): boolean {
  return f.type === 'id' || f.externalId || f.unique;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** Lower-case name → field, in definition order. */
  fields: Map<string, FieldDef>;
  /** AutoNumber display format of the Name field, e.g. "TP-{000000}". */
  autoNumberFormat: string | null;
  /** false for objects no API call may insert or update (Organization, Profile). */
  writable?: boolean;
}

export type FieldOpts = Partial<FieldDef> & { values?: string[]; default?: string };

export function field(name: string, type: FieldType, opts: FieldOpts = {}): FieldDef {
  const { values, default: dflt, ...rest } = opts;
  const lengthByType: Partial<Record<FieldType, number>> = {
    id: 18,
    reference: 18,
    string: 255,
    combobox: 255,
    picklist: 255,
    multipicklist: 4099,
    textarea: 32000,
    email: 80,
    phone: 40,
    url: 255,
  };
  return {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: lengthByType[type] ?? 0,
    precision: type === 'double' || type === 'percent' || type === 'currency' ? 18 : 0,
    scale: type === 'double' || type === 'percent' || type === 'currency' ? 2 : 0,
    externalId: false,
    unique: false,
    caseSensitive: false,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: dflt !== undefined,
    custom: name.endsWith('__c'),
    autoNumber: false,
    calculated: false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    picklistValues: (values ?? []).map((v) => ({
      value: v,
      label: v,
      active: true,
      defaultValue: v === dflt,
    })),
    restrictedPicklist: false,
    defaultValue: dflt ?? null,
    ...rest,
  };
}

export const system = (name: string, type: FieldType, extra: FieldOpts = {}): FieldDef =>
  field(name, type, {
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
    ...extra,
  });

/** A lookup; childRelationship names the parent's list of children (describe's childRelationships). */
export const lookup = (
  name: string,
  to: string[],
  relationshipName: string,
  extra: FieldOpts = {},
  childRelationship: string | null = null,
): FieldDef =>
  field(name, 'reference', {
    referenceTo: to,
    relationshipName,
    childRelationshipName: childRelationship,
    ...extra,
  });

/** Fields every object has. */
function systemFields(): FieldDef[] {
  return [
    system('Id', 'id'),
    system('IsDeleted', 'boolean'),
    system('CreatedDate', 'datetime'),
    lookup('CreatedById', ['User'], 'CreatedBy', {
      nillable: false,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
    }),
    system('LastModifiedDate', 'datetime'),
    lookup('LastModifiedById', ['User'], 'LastModifiedBy', {
      nillable: false,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
    }),
    system('SystemModstamp', 'datetime'),
  ];
}

export const owner = (): FieldDef =>
  lookup('OwnerId', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true });
export const computedName = (): FieldDef =>
  system('Name', 'string', { length: 121, nillable: true, calculated: true });

export function objectDef(
  name: string,
  keyPrefix: string,
  label: string,
  labelPlural: string,
  fields: FieldDef[],
): ObjectDef {
  const def: ObjectDef = {
    name,
    label,
    labelPlural,
    keyPrefix,
    custom: name.endsWith('__c'),
    fields: new Map(),
    autoNumberFormat: null,
  };
  for (const f of [...systemFields(), ...fields]) def.fields.set(f.name.toLowerCase(), f);
  return def;
}

/** Standard objects whose Name is FirstName + LastName. */
export const PERSON_OBJECTS = new Set(['Contact', 'Lead', 'User']);

// ---------------------------------------------------------------------------------------------
// Metadata API definitions → schema

/** CustomField metadata as parsed from XML (values are strings, lists are arrays). */
export type Metadata = Record<string, unknown>;

const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : String(v).trim();
const bool = (v: unknown): boolean => str(v) === 'true';

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  DateTime: 'datetime',
  Date: 'date',
  Checkbox: 'boolean',
  Number: 'double',
  Percent: 'percent',
  Currency: 'currency',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  AutoNumber: 'string',
};

export const SUPPORTED_FIELD_TYPES = Object.keys(TYPE_MAP);

export function asArray<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null || (v as unknown) === '') return [];
  return Array.isArray(v) ? v : [v];
}

function picklistValuesOf(md: Metadata): { values: PicklistValue[]; restricted: boolean } {
  const valueSet = (md.valueSet ?? {}) as Metadata;
  const definition = (valueSet.valueSetDefinition ?? {}) as Metadata;
  const values = asArray(definition.value as Metadata[]).map((v) => ({
    value: str(v.fullName) ?? '',
    label: str(v.label) ?? str(v.fullName) ?? '',
    active: str(v.isActive) !== 'false',
    defaultValue: bool(v.default),
  }));
  return { values, restricted: bool(valueSet.restricted) };
}

/** Validation of a CustomField definition; returns a Metadata API style message or null. */
export function customFieldProblem(md: Metadata): string | null {
  const fullName = str(md.fullName) ?? '';
  const fieldName = fullName.includes('.') ? fullName.split('.')[1] : fullName;
  if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(fieldName) || fieldName.includes('___')) {
    return `Invalid fullName, must end in __c: ${fullName}`;
  }
  const type = str(md.type);
  if (!type) return 'Must specify a non-empty type';
  if (!TYPE_MAP[type])
    return `Unsupported field type ${type} in the local org (supported: ${SUPPORTED_FIELD_TYPES.join(', ')})`;
  if (!str(md.label)) return 'Must specify a non-empty label';
  return fieldSizeProblem(type, md);
}

const num = (v: unknown): number | undefined => (str(v) === undefined ? undefined : Number(str(v)));

/**
 * Sizes and required settings per field type, as the Metadata API's CustomField reference gives them: Text
 * 1–255 characters, Long Text Area and Rich Text 256–131,072 with visibleLines, Number/Currency/Percent a
 * precision of 1–18 with 0 ≤ scale ≤ precision, lookups a referenceTo and relationshipName, label ≤ 40,
 * inlineHelpText ≤ 510 and description ≤ 1,000 characters.
 */
function fieldSizeProblem(type: string, md: Metadata): string | null {
  const length = num(md.length);
  if (type === 'Text') {
    if (length === undefined) return 'Must specify a length for a Text field';
    if (!Number.isInteger(length) || length < 1 || length > 255)
      return `Length must be between 1 and 255 for a Text field, got ${String(md.length)}`;
  }
  if (
    (type === 'LongTextArea' || type === 'Html') &&
    (length === undefined || length < 256 || length > 131072)
  )
    return `Length must be between 256 and 131072 for a ${type} field, got ${String(md.length ?? 'none')}`;
  if ((type === 'LongTextArea' || type === 'Html') && num(md.visibleLines) === undefined)
    return `Must specify visibleLines for a ${type} field`;
  if (['Number', 'Currency', 'Percent'].includes(type)) {
    const precision = num(md.precision) ?? 18;
    const scale = num(md.scale) ?? 0;
    if (!Number.isInteger(precision) || precision < 1 || precision > 18)
      return `Precision must be between 1 and 18 for a ${type} field, got ${String(md.precision)}`;
    if (!Number.isInteger(scale) || scale < 0 || scale > precision)
      return `Scale must be between 0 and the precision (${precision}), got ${String(md.scale)}`;
  }
  if (type === 'Lookup' || type === 'MasterDetail') {
    if (!str(md.referenceTo)) return 'Must specify referenceTo';
    if (!str(md.relationshipName)) return 'Must specify relationshipName';
  }
  if (type === 'Picklist' || type === 'MultiselectPicklist') {
    if (!md.valueSet) return 'Must specify valueSet for a picklist field';
  }
  if ((str(md.label) ?? '').length > 40) return `Label must be 40 characters or fewer: ${String(md.label)}`;
  if ((str(md.inlineHelpText) ?? '').length > 510) return 'inlineHelpText must be 510 characters or fewer';
  if ((str(md.description) ?? '').length > 1000) return 'description must be 1000 characters or fewer';
  return null;
}

/** A FieldDef from CustomField metadata (fieldName without the object prefix). */
export function fieldFromMetadata(fieldName: string, md: Metadata): FieldDef {
  const mdType = str(md.type) ?? 'Text';
  const type = TYPE_MAP[mdType] ?? 'string';
  const { values, restricted } = picklistValuesOf(md);
  const length = Number(str(md.length) ?? 0);
  const reference = type === 'reference';
  const defaultRaw = str(md.defaultValue);
  return field(fieldName, type, {
    label: str(md.label) ?? fieldName,
    length:
      type === 'string' ? length || 255 : type === 'textarea' ? length || 255 : field(fieldName, type).length,
    precision: Number(str(md.precision) ?? (type === 'double' ? 18 : 0)),
    scale: Number(str(md.scale) ?? 0),
    externalId: bool(md.externalId),
    unique: bool(md.unique),
    caseSensitive: bool(md.caseSensitive),
    nillable: !(bool(md.required) || type === 'boolean'),
    custom: true,
    referenceTo: reference ? [str(md.referenceTo) ?? ''] : [],
    relationshipName: reference ? fieldName.replace(/__c$/, '__r') : null,
    // The child relationship a lookup's <relationshipName> names is RelationshipName__r on the parent.
    childRelationshipName: reference && str(md.relationshipName) ? `${str(md.relationshipName)}__r` : null,
    picklistValues: values,
    restrictedPicklist: restricted,
    defaultValue: type === 'boolean' ? defaultRaw === 'true' : (defaultRaw ?? null),
    defaultedOnCreate: type === 'boolean' || defaultRaw !== undefined,
  });
}

/** A custom ObjectDef from CustomObject metadata (its fields are added separately). */
export function objectFromMetadata(name: string, md: Metadata, keyPrefix: string): ObjectDef {
  const nameField = (md.nameField ?? {}) as Metadata;
  const autoNumber = str(nameField.type) === 'AutoNumber';
  const def = objectDef(name, keyPrefix, str(md.label) ?? name, str(md.pluralLabel) ?? name, [
    field('Name', 'string', {
      label: str(nameField.label) ?? 'Name',
      length: 80,
      createable: !autoNumber,
      updateable: !autoNumber,
      autoNumber,
      defaultedOnCreate: true,
      nillable: autoNumber ? false : true,
    }),
    owner(),
  ]);
  def.custom = true;
  def.autoNumberFormat = autoNumber ? (str(nameField.displayFormat) ?? '{0}') : null;
  return def;
}

/** Activity: the metadata parent of fields shared by tasks and events; not an API object of its own. */
export function isActivity(name: string): boolean {
  return name.toLowerCase() === 'activity';
}

/** Metadata object names map to API objects: fields on Activity appear on Task and Event. */
export function objectsForMetadataParent(parent: string): string[] {
  return isActivity(parent) ? ['Task', 'Event'] : [parent];
}
