/**
 * Offline validation of the Salesforce metadata in force-app/ (no org needed):
 *  1. every XML file of the package directories is well-formed (fast-xml-parser's XMLValidator) —
 *     `sf project convert source` repairs or ignores some broken XML silently, so this check names the file;
 *  2. `sf project convert source` turns the source into a Metadata API package;
 *  3. package.xml lists the data model (DATA_MODEL: generated from the field XML) and the Task panel's
 *     components;
 *  4. both permission sets grant every data-model field as scripts/model/field-access.ts says (Task.X and
 *     Event.X for Activity fields), the object permissions, and access to the panel's Apex controller;
 *  5. each report type offers every field of its base object and names no field that does not exist;
 *  6. references between components resolve (LWC → Apex class and labels, FlexiPage → LWC,
 *     report → report type, dashboard → report), a report on a custom report type names its fields in
 *     the `Object$Field` form, and a dashboard's groupingColumn is one of its report's groupings;
 *  7. no text value spans lines: a formatter that re-wraps `<inlineHelpText>` puts the line breaks and
 *     indentation into what the org shows users;
 *  8. the Metadata API's documented limits, with the local org's rules (packages/local-org/src/metadataLimits.ts)
 *     and Salesforce's messages: custom labels (shortDescription ≤ 80, value ≤ 1,000, …), custom fields
 *     (name and label ≤ 40, help text ≤ 510, …), tab motifs from Salesforce's list of tab styles, and no
 *     permission set naming a required field.
 *
 * CLI: `node dist/scripts/validate-metadata.js [projectDir]` prints what it checked and exits 1 with
 * the problems (each naming its file) when anything is wrong.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  customFieldLimitProblems,
  customLabelLimitProblems,
  customTabLimitProblems,
  requiredFieldGrantProblems,
} from '@call-touchpoints/local-org';
import { DATA_MODEL, FIELD_NAMES } from '../middleware/src/generated/data-model';
import { projectRoot } from '../middleware/src/project-root';
import {
  PERMISSION_SETS,
  fieldAccess,
  permissionSetNames,
  standardFieldGrants,
  type PermissionSetRole,
} from './model/field-access';
import { REPORT_TYPE_FILES, missingBaseColumns, unknownColumns } from './model/report-type';

/**
 * The data model the middleware was built against: generated from force-app/'s field XML
 * (middleware/src/generated/data-model.ts, `npm run generate:model`; CI checks it is current). The checks
 * below hold the converted package to it: every field deployed, granted by the one rule of
 * scripts/model/field-access.ts, and offered by the report type.
 */
export { DATA_MODEL, FIELD_NAMES };
export { PERMISSION_SETS };

/** Custom objects of the data model (Activity is a standard object: its fields are deployed, not it). */
export const CUSTOM_OBJECTS = Object.keys(FIELD_NAMES).filter((o) => o !== 'Activity');

type ObjectName = keyof typeof DATA_MODEL;
/** What a problem the generator would fix tells the reader to run. */
const GENERATE_HINT = 'npm run generate:model writes it';

/** The generated DATA_MODEL as the report type functions read it. */
const modelObjects = () =>
  objectEntries().map(([name, fields]) => ({
    name,
    fields: fields.map(([field, spec]) => ({
      name: field,
      referenceTo: 'referenceTo' in spec ? spec.referenceTo : undefined,
    })),
  }));

const objectEntries = () =>
  Object.entries(DATA_MODEL).map(
    ([object, fields]) => [object as ObjectName, Object.entries(fields)] as const,
  );

export const PANEL_CONTROLLER = 'CallTouchpointController';
/** The Opportunity record page component's controller (opportunityCallTouchpoints). */
export const OPPORTUNITY_CONTROLLER = 'OpportunityTouchpointsController';

/**
 * Apex classes each role's permission set opens. The Task panel's controller in both (as deployed since
 * the panel came); the Opportunity component is for the people who view attribution — reps and marketers —
 * so only the viewer set opens its controller: the integration user (the middleware) never runs it.
 */
export const CONTROLLER_ACCESS: Record<PermissionSetRole, string[]> = {
  integration: [PANEL_CONTROLLER],
  viewer: [PANEL_CONTROLLER, OPPORTUNITY_CONTROLLER],
};

/**
 * The change-events/ package directory, deployed on its own step after force-app/: Task's Change Data
 * Capture selection (one of the org's entity selections) and the permission set granting View All Data,
 * which Task change events require (docs/salesforce.md).
 */
export const CHANGE_EVENTS_PERMISSION_SET = 'Call_Touchpoints_Change_Events';
export const TASK_CHANNEL_MEMBER = 'ChangeEvents_TaskChangeEvent';

/**
 * User permissions the integration user needs beyond object and field access: Task access comes from
 * "API Enabled" and "Edit Tasks", not from objectPermissions (Task is not a permissionable object). The names
 * are the PermissionSet metadata type's userPermissions names (Metadata API Developer Guide, PermissionSet).
 */
export const INTEGRATION_USER_PERMISSIONS = ['ApiEnabled', 'EditTask'] as const;

/** Components besides the data model that package.xml must list, by Metadata API type. */
export const EXPECTED_COMPONENTS: Record<string, string[]> = {
  CustomObject: CUSTOM_OBJECTS,
  PermissionSet: [...Object.values(PERMISSION_SETS), CHANGE_EVENTS_PERMISSION_SET],
  PlatformEventChannelMember: [TASK_CHANNEL_MEMBER],
  ApexClass: [
    PANEL_CONTROLLER,
    `${PANEL_CONTROLLER}Test`,
    OPPORTUNITY_CONTROLLER,
    `${OPPORTUNITY_CONTROLLER}Test`,
    'CallTouchpointsTestUsers',
  ],
  LightningComponentBundle: ['callTouchpointPanel', 'opportunityCallTouchpoints'],
  FlexiPage: ['Call_Task_Record_Page'],
  ReportType: ['Call_Touchpoints', 'Opportunity_Touchpoints', 'Call_Tasks'],
  Report: [
    'Call_Touchpoints/Call_Touchpoints_by_Channel',
    'Call_Touchpoints/Call_Revenue_by_Channel',
    'Call_Touchpoints/Calls_Without_Attribution_by_Reason',
  ],
  Dashboard: ['Call_Touchpoints/Call_Touchpoints'],
  CustomLabels: ['CustomLabels'],
};

export interface ValidationReport {
  ok: boolean;
  /** Each problem names the file (or package.xml entry) it is about. */
  problems: string[];
  /** One line per check that ran, for the CLI's summary. */
  checked: string[];
  convert: { status: number | null; output: string };
}

const ENV = {
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
};

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) =>
    ['types', 'members', 'fieldPermissions', 'objectPermissions', 'classAccesses', 'labels'].includes(name) ||
    ['flexiPageRegions', 'itemInstances', 'userPermissions', 'groupingsDown', 'groupingsAcross'].includes(
      name,
    ),
});

// Parsed metadata XML: each caller reads the elements it checks, and String() what it compares.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ParsedXml = Record<string, any>;

function parseXml(file: string): ParsedXml {
  return parser.parse(fs.readFileSync(file, 'utf8')) as ParsedXml;
}

/** Field names as the data model deploys them: Activity.X, Web_Session__c.X, Touchpoint__c.X. */
export function dataModelFieldMembers(): string[] {
  return Object.entries(FIELD_NAMES).flatMap(([object, fields]) => fields.map((f) => `${object}.${f}`));
}

/**
 * Field grants a permission set must hold (field-access.ts), as it spells them (Activity fields twice,
 * as Task.X and Event.X), with whether each is editable.
 */
export function permissionSetGrants(role: PermissionSetRole): Map<string, boolean> {
  const grants = new Map<string, boolean>();
  for (const [object, fields] of objectEntries()) {
    for (const [field, spec] of fields) {
      const access = fieldAccess(spec, role);
      if (access) for (const name of permissionSetNames(object, field)) grants.set(name, access.editable);
    }
  }
  for (const g of standardFieldGrants(role)) grants.set(g.field, g.editable);
  return grants;
}

/** Field names the viewer permission set grants (every field the rule grants at all). */
export function permissionSetFieldNames(): string[] {
  return [...permissionSetGrants('viewer').keys()];
}

function packageDirectories(projectDir: string): string[] {
  const project = JSON.parse(fs.readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  return project.packageDirectories.map((dir) => path.join(projectDir, dir.path));
}

function listFiles(dir: string, accept: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, accept));
    else if (accept(full)) out.push(full);
  }
  return out.sort();
}

/** Copies what `sf project convert source` reads (sfdx-project.json, .forceignore, package dirs) into destDir. */
export function copyProject(projectDir: string, destDir: string): void {
  fs.mkdirSync(destDir, { recursive: true });
  for (const file of ['sfdx-project.json', '.forceignore']) {
    if (fs.existsSync(path.join(projectDir, file)))
      fs.copyFileSync(path.join(projectDir, file), path.join(destDir, file));
  }
  for (const dir of packageDirectories(projectDir)) {
    fs.cpSync(dir, path.join(destDir, path.relative(projectDir, dir)), { recursive: true });
  }
}

/** Check 1: every .xml file parses; the problem names the file relative to the project, with line and column. */
export function checkWellFormed(projectDir: string): { files: number; problems: string[] } {
  const problems: string[] = [];
  let files = 0;
  for (const dir of packageDirectories(projectDir)) {
    for (const file of listFiles(dir, (f) => f.endsWith('.xml'))) {
      files++;
      const result = XMLValidator.validate(fs.readFileSync(file, 'utf8'));
      if (result !== true) {
        const { msg, line, col } = result.err;
        problems.push(`${path.relative(projectDir, file)}:${line}:${col}: malformed XML: ${msg}`);
      }
    }
  }
  return { files, problems };
}

function sfBinary(): string {
  const bin = path.join(
    projectRoot(),
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'sf.cmd' : 'sf',
  );
  if (!fs.existsSync(bin)) throw new Error(`validate-metadata: ${bin} not found; run npm install first`);
  return bin;
}

/** Check 2: `sf project convert source -d outDir` in projectDir. */
export function convertSource(projectDir: string, outDir: string): { status: number | null; output: string } {
  // Every package directory (force-app/ and change-events/): without --source-dir sf converts the default one only.
  const sourceDirs = packageDirectories(projectDir).flatMap((d) => [
    '--source-dir',
    path.relative(projectDir, d),
  ]);
  const run = spawnSync(
    sfBinary(),
    ['project', 'convert', 'source', ...sourceDirs, '--output-dir', outDir, '--json'],
    {
      cwd: projectDir,
      env: { ...process.env, ...ENV },
      encoding: 'utf8',
      timeout: 240_000,
    },
  );
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return { status: run.status, output };
}

/** package.xml as Metadata API type → members. */
export function readPackageXml(file: string): Map<string, Set<string>> {
  const pkg = parseXml(file).Package ?? {};
  const types = new Map<string, Set<string>>();
  for (const t of pkg.types ?? []) types.set(String(t.name), new Set((t.members ?? []).map(String)));
  return types;
}

/** Check 3: package.xml lists the data model and the panel's components. */
export function checkPackage(types: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const need = (type: string, member: string) => {
    if (!types.get(type)?.has(member)) problems.push(`package.xml: ${type} ${member} is missing`);
  };
  for (const member of dataModelFieldMembers()) need('CustomField', member);
  for (const [type, members] of Object.entries(EXPECTED_COMPONENTS)) for (const m of members) need(type, m);
  return problems;
}

/** Check 4: field, object and Apex class access in both permission sets. */
export function checkPermissionSets(convertedDir: string): string[] {
  const problems: string[] = [];
  for (const [role, name] of Object.entries(PERMISSION_SETS)) {
    const rel = `permissionsets/${name}.permissionset`;
    const file = path.join(convertedDir, rel);
    if (!fs.existsSync(file)) {
      problems.push(`${rel}: permission set is missing`);
      continue;
    }
    const ps = parseXml(file).PermissionSet ?? {};
    const editable = role === 'integration';
    const fields = new Map<string, Record<string, string>>(
      (ps.fieldPermissions ?? []).map((fp: Record<string, string>) => [String(fp.field), fp]),
    );
    for (const [field, shouldEdit] of permissionSetGrants(role as PermissionSetRole)) {
      const fp = fields.get(field);
      if (!fp) problems.push(`${rel}: no fieldPermissions for ${field} (${GENERATE_HINT})`);
      else if (fp.readable !== 'true') problems.push(`${rel}: ${field} is not readable`);
      else if ((fp.editable === 'true') !== shouldEdit)
        problems.push(`${rel}: ${field} should be ${shouldEdit ? 'editable' : 'read-only'}`);
    }
    for (const field of fields.keys()) {
      if (field.startsWith('Activity.')) problems.push(`${rel}: ${field} must be named Task.X and Event.X`);
    }
    const objects = new Map<string, Record<string, string>>(
      (ps.objectPermissions ?? []).map((op: Record<string, string>) => [String(op.object), op]),
    );
    for (const object of CUSTOM_OBJECTS) {
      const op = objects.get(object);
      if (!op) problems.push(`${rel}: no objectPermissions for ${object}`);
      else if (op.allowRead !== 'true') problems.push(`${rel}: ${object} is not readable`);
      else if ((op.allowEdit === 'true') !== editable || (op.allowCreate === 'true') !== editable)
        problems.push(`${rel}: ${object} should be ${editable ? 'creatable and editable' : 'read-only'}`);
    }
    const classes = (ps.classAccesses ?? []) as Record<string, string>[];
    for (const controller of CONTROLLER_ACCESS[role as PermissionSetRole])
      if (!classes.some((c) => c.apexClass === controller && c.enabled === 'true'))
        problems.push(`${rel}: no classAccesses for ${controller}`);
    if (editable) {
      const granted = new Set(
        ((ps.userPermissions ?? []) as Record<string, string>[])
          .filter((p) => p.enabled === 'true')
          .map((p) => String(p.name)),
      );
      for (const perm of INTEGRATION_USER_PERMISSIONS)
        if (!granted.has(perm))
          problems.push(`${rel}: no userPermissions ${perm} (the integration user needs it)`);
    }
  }
  return problems;
}

/**
 * Check 5: each report type offers a column for every field of its base object (Touchpoint__c,
 * Opportunity_Touchpoint__c; scripts/model/report-type.ts) and names no custom field the data model lacks.
 */
export function checkReportType(convertedDir: string): string[] {
  return REPORT_TYPE_FILES.flatMap((source) => {
    const rel = `reportTypes/${path.basename(source, '-meta.xml')}`;
    const file = path.join(convertedDir, rel);
    if (!fs.existsSync(file)) return [`${rel}: report type is missing`];
    const xml = fs.readFileSync(file, 'utf8');
    return [
      ...missingBaseColumns(xml, modelObjects()).map((f) => `${rel}: no column for ${f} (${GENERATE_HINT})`),
      ...unknownColumns(xml, modelObjects()).map(
        (f) => `${rel}: column ${f} names a field force-app does not have`,
      ),
    ];
  });
}

/** Check 6: what the components refer to is in the package. */
export function checkReferences(convertedDir: string, types: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const has = (type: string, member: string) => types.get(type)?.has(member) ?? false;
  const lwcDir = path.join(convertedDir, 'lwc');
  if (fs.existsSync(lwcDir)) {
    for (const file of listFiles(lwcDir, (f) => f.endsWith('.js'))) {
      const rel = path.relative(convertedDir, file);
      const source = fs.readFileSync(file, 'utf8');
      for (const [, cls] of source.matchAll(/@salesforce\/apex\/(\w+)\.\w+/g)) {
        if (!has('ApexClass', cls))
          problems.push(`${rel}: imports Apex class ${cls}, which is not in the package`);
      }
      for (const [, label] of source.matchAll(/@salesforce\/label\/c\.(\w+)/g)) {
        if (!has('CustomLabel', label))
          problems.push(`${rel}: imports custom label ${label}, which is not defined`);
      }
    }
  }
  const flexiDir = path.join(convertedDir, 'flexipages');
  if (fs.existsSync(flexiDir)) {
    for (const file of listFiles(flexiDir, (f) => f.endsWith('.flexipage'))) {
      const rel = path.relative(convertedDir, file);
      const xml = fs.readFileSync(file, 'utf8');
      for (const [, name] of xml.matchAll(/<componentName>([^<:]+)<\/componentName>/g)) {
        if (!has('LightningComponentBundle', name))
          problems.push(`${rel}: uses component ${name}, not in the package`);
      }
    }
  }
  const reportsDir = path.join(convertedDir, 'reports');
  if (fs.existsSync(reportsDir)) {
    for (const file of listFiles(reportsDir, (f) => f.endsWith('.report'))) {
      const rel = path.relative(convertedDir, file);
      const reportType = String(parseXml(file).Report?.reportType ?? '');
      if (reportType.endsWith('__c') && !has('ReportType', reportType.replace(/__c$/, '')))
        problems.push(`${rel}: report type ${reportType} is not in the package`);
      if (reportType.endsWith('__c')) problems.push(...checkCustomReportTypeFields(rel, file));
    }
  }
  const dashboardsDir = path.join(convertedDir, 'dashboards');
  if (fs.existsSync(dashboardsDir)) {
    for (const file of listFiles(dashboardsDir, (f) => f.endsWith('.dashboard'))) {
      const rel = path.relative(convertedDir, file);
      for (const [, report] of fs.readFileSync(file, 'utf8').matchAll(/<report>([^<]+)<\/report>/g)) {
        if (!has('Report', report))
          problems.push(`${rel}: uses report ${report}, which is not in the package`);
      }
      problems.push(...checkDashboardGroupings(rel, file, convertedDir));
    }
  }
  return problems;
}

/** Report elements that name a field: columns, filters, groupings, the time frame and the sort column. */
function reportFieldRefs(xml: string): string[] {
  const re = /<(field|column|dateColumn|sortColumn)>([^<]+)<\/\1>/g;
  return [...xml.matchAll(re)].map((m) => m[2]);
}

/**
 * In a report on a custom report type, fields are named `Object$Field` (a field reached through a lookup:
 * `Object$Lookup__c.Field`); the dot form belongs to formulas only (Metadata API Developer Guide, Report:
 * the sample reports on CRT_Object__c name their columns `CRT_Object__c$Name`).
 */
function checkCustomReportTypeFields(rel: string, file: string): string[] {
  const withoutFormulas = fs.readFileSync(file, 'utf8').replace(/<aggregates>[\s\S]*?<\/aggregates>/g, '');
  return reportFieldRefs(withoutFormulas)
    .filter((ref) => !/^\w+\$\w+(\.\w+)?$/.test(ref) && !ref.startsWith('BucketField_'))
    .map(
      (ref) =>
        `${rel}: ${ref} must be named Object$Field on a custom report type (e.g. Touchpoint__c$Channel__c)`,
    );
}

/** A dashboard component's groupingColumn must be one of its report's groupings. */
function checkDashboardGroupings(rel: string, file: string, convertedDir: string): string[] {
  const problems: string[] = [];
  const xml = fs.readFileSync(file, 'utf8');
  for (const [component] of xml.matchAll(/<dashboardComponent>[\s\S]*?<\/dashboardComponent>/g)) {
    const report = /<report>([^<]+)<\/report>/.exec(component)?.[1];
    const reportFile = report && path.join(convertedDir, 'reports', `${report}.report`);
    if (!reportFile || !fs.existsSync(reportFile)) continue;
    const parsed = parseXml(reportFile).Report ?? {};
    const groupings = new Set(
      [...(parsed.groupingsDown ?? []), ...(parsed.groupingsAcross ?? [])].map((g: { field: string }) =>
        String(g.field),
      ),
    );
    for (const [, column] of component.matchAll(/<groupingColumn>([^<]+)<\/groupingColumn>/g)) {
      if (!groupings.has(column))
        problems.push(`${rel}: groupingColumn ${column} is not a grouping of report ${report}`);
    }
  }
  return problems;
}

/** The converted package's files of one folder with one suffix, e.g. objects/*.object. */
function convertedFiles(convertedDir: string, folder: string, suffix: string): string[] {
  const dir = path.join(convertedDir, folder);
  return fs.existsSync(dir) ? listFiles(dir, (f) => f.endsWith(suffix)) : [];
}

/** Check 8: labels, fields and tabs within the Metadata API's limits; no permission set grants a required field. */
export function checkLimits(convertedDir: string): string[] {
  const problems: string[] = [];
  const rel = (file: string) => path.relative(convertedDir, file);
  for (const file of convertedFiles(convertedDir, 'labels', '.labels'))
    for (const label of parseXml(file).CustomLabels?.labels ?? [])
      for (const p of customLabelLimitProblems(label)) problems.push(`${rel(file)}: ${label.fullName}: ${p}`);
  const required = new Set<string>();
  for (const file of convertedFiles(convertedDir, 'objects', '.object')) {
    const object = path.basename(file, '.object');
    const fields = parseXml(file).CustomObject?.fields ?? [];
    for (const field of Array.isArray(fields) ? fields : [fields]) {
      for (const p of customFieldLimitProblems(field)) problems.push(`${rel(file)}: ${field.fullName}: ${p}`);
      if (String(field.required) === 'true')
        for (const o of object === 'Activity' ? ['Task', 'Event'] : [object])
          required.add(`${o}.${field.fullName}`);
    }
  }
  for (const file of convertedFiles(convertedDir, 'tabs', '.tab'))
    for (const p of customTabLimitProblems(parseXml(file).CustomTab ?? {}))
      problems.push(`${rel(file)}: ${p}`);
  for (const file of convertedFiles(convertedDir, 'permissionsets', '.permissionset'))
    for (const { problem } of requiredFieldGrantProblems(parseXml(file).PermissionSet ?? {}, (f) =>
      required.has(f),
    ))
      problems.push(`${rel(file)}: ${problem}`);
  return problems;
}

/** Check 7: no text value of a metadata file contains a line break followed by indentation. */
export function checkTextValues(projectDir: string): string[] {
  const problems: string[] = [];
  for (const dir of packageDirectories(projectDir)) {
    for (const file of listFiles(dir, (f) => f.endsWith('.xml'))) {
      const xml = fs.readFileSync(file, 'utf8');
      for (const m of xml.matchAll(/<(\w+)>([^<]*\S[^<]*)<\/\1>/g)) {
        if (!/\n[ \t]+/.test(m[2])) continue;
        const line = xml.slice(0, m.index).split('\n').length;
        problems.push(
          `${path.relative(projectDir, file)}:${line}: <${m[1]}> spans lines; write the text on one line ` +
            '(the line breaks and indentation would be deployed as part of the text)',
        );
      }
    }
  }
  return problems;
}

/** Runs all checks on projectDir; the converted package goes to a temp dir that is removed afterwards. */
export function validateMetadata(projectDir: string): ValidationReport {
  const checked: string[] = [];
  const problems: string[] = [];

  const wellFormed = checkWellFormed(projectDir);
  checked.push(`well-formed XML: ${wellFormed.files} files`);
  problems.push(...wellFormed.problems);
  problems.push(...checkTextValues(projectDir));
  checked.push('text values: each on one line');

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctp-metadata-'));
  try {
    const outDir = path.join(workDir, 'mdapi');
    const convert = convertSource(projectDir, outDir);
    const packageXml = path.join(outDir, 'package.xml');
    if (convert.status !== 0 || !fs.existsSync(packageXml)) {
      problems.push(`sf project convert source failed (exit ${convert.status}): ${convert.output.trim()}`);
      return { ok: false, problems, checked, convert };
    }
    checked.push('sf project convert source: package.xml written');

    const types = readPackageXml(packageXml);
    problems.push(...checkPackage(types));
    checked.push(
      `package.xml: ${dataModelFieldMembers().length} data-model fields, ` +
        Object.entries(EXPECTED_COMPONENTS)
          .map(([type, members]) => `${members.length} ${type}`)
          .join(', '),
    );

    problems.push(...checkPermissionSets(outDir));
    checked.push(
      `permission sets: ${permissionSetFieldNames().length} field permissions, ` +
        `${CUSTOM_OBJECTS.length} object permissions in each of ${Object.values(PERMISSION_SETS).join(', ')}; ` +
        `Apex: ${Object.entries(CONTROLLER_ACCESS)
          .map(([role, classes]) => `${classes.join(' + ')} for ${role}`)
          .join(', ')}; ${INTEGRATION_USER_PERMISSIONS.join(', ')} for integration`,
    );

    problems.push(...checkReportType(outDir));
    checked.push(
      `report type: a column for each of ${FIELD_NAMES.Touchpoint__c.length} Touchpoint__c fields`,
    );

    problems.push(...checkReferences(outDir, types));
    checked.push(
      'references: LWC → Apex and labels, FlexiPage → LWC, report → report type (Object$Field columns), ' +
        'dashboard → report and its groupings',
    );

    problems.push(...checkLimits(outDir));
    checked.push(
      'limits: custom labels, custom fields and tab motifs as the Metadata API documents them; ' +
        'no permission set grants a required field',
    );

    return { ok: problems.length === 0, problems, checked, convert };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const arg = argv[0];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(
      'Usage: node dist/scripts/validate-metadata.js [projectDir]\n' +
        'Validates force-app/ offline: well-formed XML, sf project convert source, package.xml contents,\n' +
        'permission sets and component references. Exits 1 and names the file when something is wrong.\n',
    );
    return 0;
  }
  const projectDir = path.resolve(arg ?? projectRoot());
  if (!fs.existsSync(path.join(projectDir, 'sfdx-project.json'))) {
    process.stderr.write(
      `validate-metadata: ${projectDir} has no sfdx-project.json; pass the project folder\n`,
    );
    return 2;
  }
  const report = validateMetadata(projectDir);
  for (const line of report.checked) process.stdout.write(`checked ${line}\n`);
  if (report.ok) {
    process.stdout.write('metadata OK\n');
    return 0;
  }
  for (const problem of report.problems) process.stderr.write(`problem: ${problem}\n`);
  process.stderr.write(`metadata validation failed: ${report.problems.length} problem(s)\n`);
  return 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
