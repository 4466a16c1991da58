import path from 'node:path';
import {
  readForceApp,
  type Metadata,
  type SourceComponent,
} from '../../middleware/src/salesforce/force-app-source';

/**
 * The data model as force-app/ declares it: every custom field of every object, read from its
 * `objects/<Object>/fields/<Field>.field-meta.xml` by the same XML reader `deploy` uses. This is the one
 * source; the generated TypeScript module, the permission sets' field grants and the report type's
 * columns are derived from it (scripts/generate-model.ts).
 */

export interface FieldSpec {
  /** API name, e.g. `Click_Id__c`. */
  name: string;
  /** CustomField `<type>` (Metadata API Developer Guide, CustomField: FieldType). */
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  required: boolean;
  externalId: boolean;
  /** Lookup / MasterDetail target and relationship name (`Web_Session__c`, `Web_Session__r`). */
  referenceTo?: string;
  relationshipName?: string;
  /** Values of a restricted picklist: the only values the org accepts. */
  values?: string[];
  /** Their labels (what users read), when any differs from its value; same order as `values`. */
  labels?: string[];
  /** A formula field: computed by the org, never written. */
  formula: boolean;
  /** The XML file, relative to the project. */
  file: string;
}

export interface ObjectSpec {
  /** `Activity` (Task and Event share its fields), `Touchpoint__c`, `Web_Session__c`. */
  name: string;
  /** Name of the generated record type: `ActivityFields`, `TouchpointFields`, `WebSessionFields`. */
  typeName: string;
  fields: FieldSpec[];
}

export function typeNameOf(object: string): string {
  return `${object.replace(/__c$/, '').replace(/_/g, '')}Fields`;
}

const str = (v: Metadata[string] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Metadata[string] | undefined): number | undefined =>
  typeof v === 'string' && v !== '' ? Number(v) : undefined;

function picklistValues(metadata: Metadata): string[] | undefined {
  const valueSet = metadata.valueSet as Metadata | undefined;
  if (!valueSet || str(valueSet.restricted) !== 'true') return undefined;
  const definition = valueSet.valueSetDefinition as Metadata | undefined;
  const values = (definition?.value ?? []) as Metadata[];
  return values.map((v) => String(v.fullName));
}

function picklistLabels(metadata: Metadata): string[] | undefined {
  const values = picklistValues(metadata);
  if (!values) return undefined;
  const definition = (metadata.valueSet as Metadata).valueSetDefinition as Metadata | undefined;
  const labels = ((definition?.value ?? []) as Metadata[]).map((v) => String(v.label ?? v.fullName));
  return labels.some((l, i) => l !== values[i]) ? labels : undefined;
}

function fieldSpec(component: SourceComponent, projectDir: string): FieldSpec {
  const m = component.metadata;
  const name = component.fullName.slice(component.fullName.indexOf('.') + 1);
  const type = str(m.type);
  if (!type) throw new Error(`${path.relative(projectDir, component.file)}: <type> is missing`);
  const spec: FieldSpec = {
    name,
    type,
    required: str(m.required) === 'true',
    externalId: str(m.externalId) === 'true',
    formula: str(m.formula) !== undefined,
    file: path.relative(projectDir, component.file),
  };
  const optional = {
    length: num(m.length),
    precision: num(m.precision),
    scale: num(m.scale),
    referenceTo: str(m.referenceTo),
    relationshipName: str(m.relationshipName),
    values: type === 'Picklist' ? picklistValues(m) : undefined,
    labels: type === 'Picklist' ? picklistLabels(m) : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(spec, { [k]: v });
  return spec;
}

/** Activity first, then the custom objects in name order; fields in file-name order. */
export function readDataModel(projectDir: string): ObjectSpec[] {
  const source = readForceApp(path.join(projectDir, 'force-app', 'main', 'default'));
  const objects = [
    { name: 'Activity', fields: source.activityFields },
    ...source.objects
      .map((o) => ({ name: o.object.fullName, fields: o.fields }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  ];
  return objects.map((o) => ({
    name: o.name,
    typeName: typeNameOf(o.name),
    fields: o.fields.map((f) => fieldSpec(f, projectDir)),
  }));
}
