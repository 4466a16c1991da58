import { XMLParser } from 'fast-xml-parser';

/**
 * Each report type offers every field of its base object as a column: Call_Touchpoints over Touchpoint__c,
 * Opportunity_Touchpoints over Opportunity_Touchpoint__c, Call_Tasks over Activity (the Task fields).
 * The generator appends a column for each new field at the end of the section that holds the base
 * object's fields, not checked by default; which columns are checked and their order stay as a person
 * wrote them. Fields reached through a lookup (the Web Session section) are chosen by hand.
 */

export const REPORT_TYPE_FILE = 'force-app/main/default/reportTypes/Call_Touchpoints.reportType-meta.xml';
export const OPPORTUNITY_REPORT_TYPE_FILE =
  'force-app/main/default/reportTypes/Opportunity_Touchpoints.reportType-meta.xml';
/** Call_Tasks over Activity (Tasks): the Task fields we write, with Call_Join_Reason__c (R2, R8, R18–R20). */
export const TASK_REPORT_TYPE_FILE = 'force-app/main/default/reportTypes/Call_Tasks.reportType-meta.xml';
/** The report types whose base-object columns the generator keeps complete. */
export const REPORT_TYPE_FILES = [REPORT_TYPE_FILE, OPPORTUNITY_REPORT_TYPE_FILE, TASK_REPORT_TYPE_FILE];

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'sections' || name === 'columns',
});

interface Column {
  field: string;
  table: string;
}
interface ParsedReportType {
  baseObject: string;
  sections: { columns?: Column[]; masterLabel?: string }[];
}

export function readReportType(xml: string): ParsedReportType {
  const rt = (parser.parse(xml) as { ReportType?: ParsedReportType }).ReportType;
  return { baseObject: String(rt?.baseObject ?? ''), sections: rt?.sections ?? [] };
}

/** What the report type functions read of the data model (ObjectSpec, or the generated DATA_MODEL). */
export type ModelObjects = { name: string; fields: { name: string; referenceTo?: string }[] }[];

/** Custom fields of the base object that no column names, in data-model order. */
export function missingBaseColumns(xml: string, objects: ModelObjects): string[] {
  const rt = readReportType(xml);
  const base = objects.find((o) => o.name === rt.baseObject);
  if (!base) return [];
  const named = new Set(
    rt.sections
      .flatMap((s) => s.columns ?? [])
      .filter((c) => c.table === rt.baseObject)
      .map((c) => String(c.field)),
  );
  return base.fields.map((f) => f.name).filter((f) => !named.has(f));
}

/** The report type with a column for every base-object field (see above). */
export function withBaseColumns(xml: string, objects: ModelObjects, file: string): string {
  const missing = missingBaseColumns(xml, objects);
  if (missing.length === 0) return xml;
  const rt = readReportType(xml);
  const index = rt.sections.findIndex((s) =>
    (s.columns ?? []).some((c) => c.table === rt.baseObject && !String(c.field).includes('.')),
  );
  if (index < 0) throw new Error(`${file}: no section holds ${rt.baseObject}'s own fields; add one by hand`);
  let from = 0;
  for (let i = 0; i <= index; i++) from = xml.indexOf('<sections>', from) + 1;
  const end = xml.indexOf('</sections>', from);
  const label = xml.indexOf('<masterLabel>', from);
  const at = xml.lastIndexOf('\n', label >= 0 && label < end ? label : end) + 1;
  const block = missing
    .map(
      (field) =>
        '    <columns>\n' +
        '      <checkedByDefault>false</checkedByDefault>\n' +
        `      <field>${field}</field>\n` +
        `      <table>${rt.baseObject}</table>\n` +
        '    </columns>\n',
    )
    .join('');
  return xml.slice(0, at) + block + xml.slice(at);
}

/**
 * Columns naming a custom field the data model does not have: the base object's (`Channel__c`) or, through
 * one of its lookups to a data-model object, the target's (`Web_Session__c.Term__c`). A deploy would
 * refuse them.
 */
export function unknownColumns(xml: string, objects: ModelObjects): string[] {
  const rt = readReportType(xml);
  const byName = new Map(objects.map((o) => [o.name, new Map(o.fields.map((f) => [f.name, f]))]));
  const base = byName.get(rt.baseObject);
  if (!base) return [];
  const unknown: string[] = [];
  for (const column of rt.sections.flatMap((s) => s.columns ?? [])) {
    const field = String(column.field);
    const [first, second] = field.split('.');
    if (second === undefined) {
      if (first.endsWith('__c') && !base.has(first)) unknown.push(field);
      continue;
    }
    const target = byName.get(base.get(first)?.referenceTo ?? '');
    if (!base.has(first) && first.endsWith('__c')) unknown.push(field);
    else if (target && second.endsWith('__c') && !target.has(second)) unknown.push(field);
  }
  return unknown;
}
