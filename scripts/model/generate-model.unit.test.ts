import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../middleware/src/project-root';
import {
  GENERATE_COMMAND,
  generatedFiles,
  staleFiles,
  staleMessage,
  writeGeneratedFiles,
} from '../generate-model';
import { MODEL_MODULE } from './render-model';
import { permissionSetFile } from './permission-sets';
import { PERMISSION_SETS } from './field-access';
import { REPORT_TYPE_FILE } from './report-type';

// The data model's one source is force-app/'s field XML; these files are derived from it (generate-model.ts).
const INTEGRATION = permissionSetFile(PERMISSION_SETS.integration);
const VIEWER = permissionSetFile(PERMISSION_SETS.viewer);

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** force-app/ and the generated module, copied so a test can add a field. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctp-model-'));
  tempDirs.push(dir);
  const root = projectRoot();
  fs.cpSync(path.join(root, 'force-app'), path.join(dir, 'force-app'), { recursive: true });
  fs.mkdirSync(path.join(dir, path.dirname(MODEL_MODULE)), { recursive: true });
  fs.copyFileSync(path.join(root, MODEL_MODULE), path.join(dir, MODEL_MODULE));
  return dir;
}

function addField(dir: string, object: string, name: string, body: string): void {
  fs.writeFileSync(
    path.join(dir, 'force-app/main/default/objects', object, 'fields', `${name}.field-meta.xml`),
    '<?xml version="1.0" encoding="UTF-8" ?>\n' +
      '<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
      `  <fullName>${name}</fullName>\n  <label>${name}</label>\n${body}</CustomField>\n`,
  );
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('the data model generated from force-app', () => {
  it('is current: the committed files are what npm run generate:model writes (the drift check of CI)', () => {
    expect(staleFiles(projectRoot())).toEqual([]);
  });

  it('derives the record types, permission grants and report column of a field added by its XML alone', () => {
    const dir = projectCopy();
    addField(
      dir,
      'Touchpoint__c',
      'Gclid__c',
      '  <length>255</length>\n  <required>false</required>\n  <type>Text</type>\n',
    );

    const stale = staleFiles(dir);
    expect(stale.sort()).toEqual([MODEL_MODULE, INTEGRATION, VIEWER, REPORT_TYPE_FILE].sort());
    expect(staleMessage(stale)).toContain(`stale: ${MODEL_MODULE}\n`);
    expect(staleMessage(stale)).toContain(`run \`${GENERATE_COMMAND}\``);

    expect(writeGeneratedFiles(dir).sort()).toEqual(stale.sort());
    expect(staleFiles(dir)).toEqual([]);
    const model = read(dir, MODEL_MODULE);
    expect(model).toContain(
      "    Gclid__c: { type: 'Text', length: 255, required: false, externalId: false },\n",
    );
    expect(model).toMatch(/export interface TouchpointFields \{[^}]*\n {2}Gclid__c: string \| null;\n/);
    const grant = (editable: boolean) =>
      `  <fieldPermissions>\n    <editable>${editable}</editable>\n    <field>Touchpoint__c.Gclid__c</field>\n` +
      '    <readable>true</readable>\n  </fieldPermissions>\n';
    expect(read(dir, INTEGRATION)).toContain(grant(true));
    expect(read(dir, VIEWER)).toContain(grant(false));
    // Appended at the end of the Touchpoint section, not checked by default.
    expect(read(dir, REPORT_TYPE_FILE)).toContain(
      '    <columns>\n      <checkedByDefault>false</checkedByDefault>\n      <field>Gclid__c</field>\n' +
        '      <table>Touchpoint__c</table>\n    </columns>\n    <masterLabel>Touchpoint</masterLabel>\n',
    );
    // Only the grants and the one column changed: the rest of each file is as a person wrote it.
    const original = read(projectRoot(), REPORT_TYPE_FILE);
    expect(read(dir, REPORT_TYPE_FILE).length - original.length).toBe(
      '    <columns>\n      <checkedByDefault>false</checkedByDefault>\n      <field>Gclid__c</field>\n      <table>Touchpoint__c</table>\n    </columns>\n'
        .length,
    );
  });

  it('types a restricted picklist as its values, a checkbox as never empty, and grants no required field', () => {
    const dir = projectCopy();
    addField(
      dir,
      'Web_Session__c',
      'Device__c',
      '  <required>false</required>\n  <type>Picklist</type>\n  <valueSet>\n    <restricted>true</restricted>\n' +
        '    <valueSetDefinition>\n      <value>\n        <fullName>Mobile</fullName>\n      </value>\n' +
        '      <value>\n        <fullName>Desktop</fullName>\n      </value>\n    </valueSetDefinition>\n  </valueSet>\n',
    );
    addField(
      dir,
      'Web_Session__c',
      'Is_Bot__c',
      '  <defaultValue>false</defaultValue>\n  <type>Checkbox</type>\n',
    );
    addField(
      dir,
      'Web_Session__c',
      'Site__c',
      '  <length>80</length>\n  <required>true</required>\n  <type>Text</type>\n',
    );

    const files = generatedFiles(dir);
    const model = files.get(MODEL_MODULE) ?? '';
    expect(model).toContain("  Device__c: 'Mobile' | 'Desktop' | null;\n");
    expect(model).toContain('  Is_Bot__c: boolean;\n');
    expect(model).toContain('  Site__c: string;\n');
    expect(files.get(VIEWER)).toContain('<field>Web_Session__c.Device__c</field>');
    expect(files.get(VIEWER)).not.toContain('<field>Web_Session__c.Site__c</field>');
  });

  it('names the file of a field whose type it cannot map', () => {
    const dir = projectCopy();
    addField(dir, 'Touchpoint__c', 'Where__c', '  <type>Location</type>\n');
    expect(() => generatedFiles(dir)).toThrow(
      'force-app/main/default/objects/Touchpoint__c/fields/Where__c.field-meta.xml: field type Location has no TypeScript type yet',
    );
  });
});
