import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/project-root';
import { convertSource } from '../../../scripts/validate-metadata';
import { startOrg } from '../../../packages/local-org/test/helpers';
import { deploy, failuresOf, zip as zipPackage } from './deploy-zip';

// Metadata API deploy() as jsforce (and so the Salesforce CLI) sends it (deploy-zip.ts).
jest.setTimeout(120_000);

let mdapi: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-deploy-'));

beforeAll(() => {
  mdapi = path.join(tmp, 'mdapi');
  expect(convertSource(projectRoot(), mdapi).status).toBe(0);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const zip = (edit: Record<string, (text: string) => string> = {}) => zipPackage(mdapi, edit);

describe('deploy() and checkDeployStatus()', () => {
  test('checkOnly validates everything and saves nothing; a real deploy then creates the objects', async () => {
    const { org, conn } = await startOrg();
    try {
      const check = await deploy(conn, await zip(), { checkOnly: true });
      expect(check).toMatchObject({ success: true, status: 'Succeeded', checkOnly: true });
      await expect(conn.describe('Touchpoint__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
      const real = await deploy(conn, await zip());
      expect(real.success).toBe(true);
      expect((await conn.describe('Touchpoint__c')).fields.map((f: any) => f.name)).toContain('Channel__c');
    } finally {
      await org.close();
    }
  });

  test('a test level that asks for tests says that Apex was stored and no test ran', async () => {
    const { org, conn } = await startOrg();
    try {
      const r = await deploy(conn, await zip(), { testLevel: 'RunLocalTests' });
      expect(r.success).toBe(true);
      expect(r.numberTestsTotal).toBe(0);
      expect(r.details.runTestResult.numTestsRun).toBe(0);
      expect(([] as any[]).concat(r.details.runTestResult.codeCoverageWarnings)[0].message).toMatch(
        /stores Apex classes but does not compile or run them: testLevel RunLocalTests ran 0 tests/,
      );
      const bad = await deploy(conn, await zip(), { testLevel: 'RunSomeTests' });
      expect(bad).toMatchObject({
        success: false,
        errorMessage: expect.stringContaining('testLevel RunSomeTests'),
      });
    } finally {
      await org.close();
    }
  });

  test('an unknown XML element fails the deploy naming the file, the element and the type', async () => {
    const { org, conn } = await startOrg();
    try {
      const r = await deploy(
        conn,
        await zip({
          [path.join('objects', 'Touchpoint__c.object')]: (t) =>
            t.replace(
              '<fullName>Channel__c</fullName>',
              '<fullName>Channel__c</fullName>\n        <colour>red</colour>',
            ),
        }),
      );
      expect(r.success).toBe(false);
      expect(failuresOf(r)).toEqual([
        {
          type: 'CustomObject',
          name: 'Touchpoint__c',
          file: 'objects/Touchpoint__c.object',
          problem:
            'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type CustomField',
        },
      ]);
      await expect(conn.describe('Touchpoint__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    } finally {
      await org.close();
    }
  });

  test('field sizes, FlexiPage mode without a parent, dashboard grouping and permission-set references are checked', async () => {
    const { org, conn } = await startOrg();
    try {
      const r = await deploy(
        conn,
        await zip({
          [path.join('objects', 'Web_Session__c.object')]: (t) =>
            t.replace(/(<fullName>Channel__c<\/fullName>[\s\S]*?<length>)80(<\/length>)/, '$1300$2'),
          [path.join('flexipages', 'Call_Task_Record_Page.flexipage')]: (t) =>
            t.replace('<name>main</name>', '<mode>Replace</mode>\n        <name>main</name>'),
          [path.join('dashboards', 'Call_Touchpoints', 'Call_Touchpoints.dashboard')]: (t) =>
            t.replace('<groupingColumn>Touchpoint__c$Channel__c', '<groupingColumn>Touchpoint__c$Source__c'),
          [path.join('permissionsets', 'Call_Touchpoints_Viewer.permissionset')]: (t) =>
            t.replace(
              '<apexClass>CallTouchpointController</apexClass>',
              '<apexClass>NoSuchController</apexClass>',
            ),
        }),
      );
      expect(r.success).toBe(false);
      expect(failuresOf(r)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'CustomObject',
            problem: 'Channel__c: Length must be between 1 and 255 for a Text field, got 300',
          }),
          expect.objectContaining({
            type: 'FlexiPage',
            problem: expect.stringContaining("Region main specifies mode that parent doesn't support"),
          }),
          expect.objectContaining({
            type: 'Dashboard',
            problem: expect.stringContaining(
              'groupingColumn Touchpoint__c$Source__c is not a grouping of report',
            ),
          }),
          expect.objectContaining({
            type: 'PermissionSet',
            name: 'Call_Touchpoints_Viewer',
            problem: 'In field: apexClass - no ApexClass named NoSuchController found',
          }),
        ]),
      );
      expect(failuresOf(r)).toHaveLength(4);
    } finally {
      await org.close();
    }
  });

  test('a FlexiPage region the template does not define and an unknown standard component fail by name', async () => {
    const { org, conn } = await startOrg();
    try {
      const r = await deploy(
        conn,
        await zip({
          [path.join('flexipages', 'Call_Task_Record_Page.flexipage')]: (t) =>
            t
              .replace('<name>header</name>', '<name>sidebar</name>')
              .replace('force:detailPanel', 'force:detailPanell'),
        }),
      );
      expect(failuresOf(r)).toEqual([
        expect.objectContaining({
          type: 'FlexiPage',
          problem:
            'Region sidebar is not defined by template flexipage:recordHomeSingleColTemplateDesktop (regions: header, main)',
        }),
        expect.objectContaining({ type: 'FlexiPage', problem: 'Component force:detailPanell was not found' }),
      ]);
    } finally {
      await org.close();
    }
  });
});
