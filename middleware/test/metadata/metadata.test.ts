import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/project-root';
import {
  CHANGE_EVENTS_PERMISSION_SET,
  PANEL_CONTROLLER,
  PERMISSION_SETS,
  checkLimits,
  checkPermissionSets,
  checkReportType,
  checkTextValues,
  checkWellFormed,
  convertSource,
  copyProject,
  dataModelFieldMembers,
  permissionSetFieldNames,
  readPackageXml,
  validateMetadata,
} from '../../../scripts/validate-metadata';

// Offline metadata validation (docs/admin-panel.md, "Offline checks") on a copy of the repo's SFDX project,
// so a test can break a file.
jest.setTimeout(300_000);

const tempDirs: string[] = [];
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctp-metadata-test-'));
  tempDirs.push(dir);
  copyProject(projectRoot(), dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('offline metadata validation of force-app', () => {
  let project: string;
  let mdapi: string;
  let types: Map<string, Set<string>>;

  beforeAll(() => {
    project = projectCopy();
    mdapi = path.join(project, '..', `${path.basename(project)}-mdapi`);
    tempDirs.push(mdapi);
    const convert = convertSource(project, mdapi);
    expect(convert.status).toBe(0);
    types = readPackageXml(path.join(mdapi, 'package.xml'));
  });

  it('passes every check on the repository as committed', () => {
    const report = validateMetadata(project);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked.length).toBeGreaterThanOrEqual(5);
  });

  it('lists every field of the data model and both objects in package.xml', () => {
    const fields = types.get('CustomField') ?? new Set<string>();
    // The generated model (npm run generate:model) has exactly the fields force-app has files for.
    const objectsDir = path.join(projectRoot(), 'force-app', 'main', 'default', 'objects');
    const files = fs
      .readdirSync(objectsDir)
      .flatMap((o) =>
        fs
          .readdirSync(path.join(objectsDir, o, 'fields'))
          .map((f) => `${o}.${f.replace('.field-meta.xml', '')}`),
      );
    expect([...dataModelFieldMembers()].sort()).toEqual(files.sort());
    for (const member of [
      'Activity.BizibleId__c',
      'Activity.Call_Join_Status__c',
      'Touchpoint__c.U_Shaped_Percent__c',
    ])
      expect(fields.has(member)).toBe(true);
    expect(dataModelFieldMembers().filter((m) => !fields.has(m))).toEqual([]);
    expect([...(types.get('CustomObject') ?? [])]).toEqual(
      expect.arrayContaining(['Web_Session__c', 'Touchpoint__c']),
    );
  });

  it('lists the permission sets, Apex classes, LWC, FlexiPage, report type, report, dashboard and labels', () => {
    expect([...(types.get('PermissionSet') ?? [])].sort()).toEqual(
      [...Object.values(PERMISSION_SETS), CHANGE_EVENTS_PERMISSION_SET].sort(),
    );
    expect(types.get('PlatformEventChannelMember')?.has('ChangeEvents_TaskChangeEvent')).toBe(true);
    expect([...(types.get('ApexClass') ?? [])]).toEqual(
      expect.arrayContaining([PANEL_CONTROLLER, `${PANEL_CONTROLLER}Test`]),
    );
    expect(types.get('LightningComponentBundle')?.has('callTouchpointPanel')).toBe(true);
    expect(types.get('FlexiPage')?.has('Call_Task_Record_Page')).toBe(true);
    expect(types.get('ReportType')?.has('Call_Touchpoints')).toBe(true);
    expect(types.get('Report')?.has('Call_Touchpoints/Call_Touchpoints_by_Channel')).toBe(true);
    expect(types.get('Dashboard')?.has('Call_Touchpoints/Call_Touchpoints')).toBe(true);
    expect(types.get('CustomLabels')?.has('CustomLabels')).toBe(true);
    expect(types.get('CustomLabel')?.has('CTP_Panel_Title')).toBe(true);
  });

  it('grants every data-model field in both permission sets: editable for integration, read-only for viewers', () => {
    expect(checkPermissionSets(mdapi)).toEqual([]);

    const viewer = fs.readFileSync(
      path.join(mdapi, 'permissionsets', `${PERMISSION_SETS.viewer}.permissionset`),
      'utf8',
    );
    for (const field of permissionSetFieldNames()) expect(viewer).toContain(`<field>${field}</field>`);
    expect(viewer).toContain('<field>Task.BizibleId__c</field>');
    expect(viewer).toContain('<field>Event.BizibleId__c</field>');
    expect(viewer).not.toContain('<field>Activity.');
    expect(viewer).toMatch(
      /<classAccesses>\s*<apexClass>CallTouchpointController<\/apexClass>\s*<enabled>true/,
    );
  });

  it('reports a permission set that lost a field grant or made a viewer field editable', () => {
    const broken = path.join(path.dirname(mdapi), `${path.basename(mdapi)}-perm`);
    tempDirs.push(broken);
    fs.cpSync(mdapi, broken, { recursive: true });
    const viewerFile = path.join(broken, 'permissionsets', `${PERMISSION_SETS.viewer}.permissionset`);
    const viewer = fs
      .readFileSync(viewerFile, 'utf8')
      .replace(
        /<fieldPermissions>\s*<editable>false<\/editable>\s*<field>Event\.Call_Touchpoint__c<\/field>[\s\S]*?<\/fieldPermissions>/,
        '',
      )
      .replace(
        /<editable>false<\/editable>(\s*)<field>Touchpoint__c\.Channel__c<\/field>/,
        '<editable>true</editable>$1<field>Touchpoint__c.Channel__c</field>',
      );
    fs.writeFileSync(viewerFile, viewer);

    expect(checkPermissionSets(broken)).toEqual([
      `permissionsets/${PERMISSION_SETS.viewer}.permissionset: no fieldPermissions for Event.Call_Touchpoint__c (npm run generate:model writes it)`,
      `permissionsets/${PERMISSION_SETS.viewer}.permissionset: Touchpoint__c.Channel__c should be read-only`,
    ]);
  });

  it('reports a report type without a column for a Touchpoint field, or with a column for a field that does not exist', () => {
    const broken = path.join(path.dirname(mdapi), `${path.basename(mdapi)}-rt`);
    tempDirs.push(broken);
    fs.cpSync(mdapi, broken, { recursive: true });
    const file = path.join(broken, 'reportTypes', 'Call_Touchpoints.reportType');
    const xml = fs
      .readFileSync(file, 'utf8')
      .replace(
        /<columns>\s*<checkedByDefault>false<\/checkedByDefault>\s*<field>Form_URL__c<\/field>[\s\S]*?<\/columns>/,
        '',
      )
      .replace('<field>Web_Session__c.Term__c</field>', '<field>Web_Session__c.Utm_Term__c</field>');
    fs.writeFileSync(file, xml);

    expect(checkReportType(mdapi)).toEqual([]);
    expect(checkReportType(broken)).toEqual([
      'reportTypes/Call_Touchpoints.reportType: no column for Form_URL__c (npm run generate:model writes it)',
      'reportTypes/Call_Touchpoints.reportType: column Web_Session__c.Utm_Term__c names a field force-app does not have',
    ]);
  });

  it('fails with the file name when one metadata file is malformed, even though sf convert accepts it', () => {
    const broken = projectCopy();
    const rel = path.join(
      'force-app',
      'main',
      'default',
      'objects',
      'Touchpoint__c',
      'fields',
      'Channel__c.field-meta.xml',
    );
    const file = path.join(broken, rel);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('</label>', '</labl>'));

    expect(checkWellFormed(broken).problems).toEqual([expect.stringContaining(rel)]);

    const report = validateMetadata(broken);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toContain(rel);
    expect(report.problems[0]).toContain('malformed XML');
    // Why the XML check exists: the CLI silently repairs the mismatched tag and converts anyway.
    expect(report.convert.status).toBe(0);
  });

  it('names an LWC label import that has no custom label', () => {
    const broken = projectCopy();
    const labelsJs = path.join(
      broken,
      'force-app/main/default/lwc/callTouchpointLabels/callTouchpointLabels.js',
    );
    fs.appendFileSync(labelsJs, "import typo from '@salesforce/label/c.CTP_No_Such_Label';\n");

    const report = validateMetadata(broken);
    expect(report.problems).toEqual([
      'lwc/callTouchpointLabels/callTouchpointLabels.js: imports custom label CTP_No_Such_Label, which is not defined',
    ]);
  });

  it('names a report column in the dot form and a dashboard grouping that is not the report grouping', () => {
    const broken = projectCopy();
    const report = path.join(
      broken,
      'force-app/main/default/reports/Call_Touchpoints/Call_Touchpoints_by_Channel.report-meta.xml',
    );
    fs.writeFileSync(
      report,
      fs
        .readFileSync(report, 'utf8')
        .replace('<field>Touchpoint__c$Source__c</field>', '<field>Touchpoint__c.Source__c</field>'),
    );
    const dashboard = path.join(
      broken,
      'force-app/main/default/dashboards/Call_Touchpoints/Call_Touchpoints.dashboard-meta.xml',
    );
    fs.writeFileSync(
      dashboard,
      fs.readFileSync(dashboard, 'utf8').replace('Touchpoint__c$Channel__c', 'Touchpoint__c$Source__c'),
    );

    expect(validateMetadata(broken).problems).toEqual([
      'reports/Call_Touchpoints/Call_Touchpoints_by_Channel.report: Touchpoint__c.Source__c must be named ' +
        'Object$Field on a custom report type (e.g. Touchpoint__c$Channel__c)',
      'dashboards/Call_Touchpoints/Call_Touchpoints.dashboard: groupingColumn Touchpoint__c$Source__c is not ' +
        'a grouping of report Call_Touchpoints/Call_Touchpoints_by_Channel',
    ]);
  });

  it('names a help text that a formatter wrapped over two lines', () => {
    const broken = projectCopy();
    const rel = 'force-app/main/default/objects/Activity/fields/BizibleId__c.field-meta.xml';
    const file = path.join(broken, rel);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('written by the call-tracking', 'written by the\n    call-tracking'),
    );
    expect(checkTextValues(broken)).toEqual([
      `${rel}:5: <inlineHelpText> spans lines; write the text on one line (the line breaks and indentation ` +
        'would be deployed as part of the text)',
    ]);
  });

  it('requires API Enabled and Edit Tasks in the integration permission set', () => {
    const broken = path.join(path.dirname(mdapi), `${path.basename(mdapi)}-userperm`);
    tempDirs.push(broken);
    fs.cpSync(mdapi, broken, { recursive: true });
    const file = path.join(broken, 'permissionsets', `${PERMISSION_SETS.integration}.permissionset`);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(
          /<userPermissions>\s*<enabled>true<\/enabled>\s*<name>EditTask<\/name>\s*<\/userPermissions>/,
          '',
        ),
    );
    expect(checkPermissionSets(broken)).toEqual([
      `permissionsets/${PERMISSION_SETS.integration}.permissionset: no userPermissions EditTask (the integration user needs it)`,
    ]);
  });

  it('names an over-long label short description, a motif Salesforce does not have and a granted required field', () => {
    expect(checkLimits(mdapi)).toEqual([]);
    const broken = path.join(path.dirname(mdapi), `${path.basename(mdapi)}-limits`);
    tempDirs.push(broken);
    fs.cpSync(mdapi, broken, { recursive: true });
    const edit = (rel: string, change: (t: string) => string) =>
      fs.writeFileSync(path.join(broken, rel), change(fs.readFileSync(path.join(broken, rel), 'utf8')));
    edit('labels/CustomLabels.labels', (t) =>
      t.replace(/(<fullName>CTP_Refresh<\/fullName>[\s\S]*?<shortDescription>)[^<]*/, `$1${'d'.repeat(81)}`),
    );
    edit('tabs/Web_Session__c.tab', (t) => t.replace('Custom21: Computer', 'Custom21: Laptop'));
    edit('objects/Web_Session__c.object', (t) =>
      t.replace(/(<fullName>Channel__c<\/fullName>[\s\S]*?<required>)false/, '$1true'),
    );
    expect(checkLimits(broken)).toEqual([
      'labels/CustomLabels.labels: CTP_Refresh: Value too long for field: MasterLabel maximum length is:80',
      'tabs/Web_Session__c.tab: Invalid motif: Custom21: Laptop (a tab style such as Custom22: Telephone)',
      `permissionsets/${PERMISSION_SETS.integration}.permissionset: You cannot deploy to a required field: Web_Session__c.Channel__c`,
      `permissionsets/${PERMISSION_SETS.viewer}.permissionset: You cannot deploy to a required field: Web_Session__c.Channel__c`,
    ]);
  });
});
