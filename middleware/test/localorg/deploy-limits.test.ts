import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/project-root';
import { convertSource } from '../../../scripts/validate-metadata';
import { startOrg } from '../../../packages/local-org/test/helpers';
import { deploy, failuresOf, zip } from './deploy-zip';

// The Metadata API's length, motif and required-field rules (packages/local-org/src/metadataLimits.ts):
// deploying force-app with one of them broken fails against the local org as a real deploy does, with
// Salesforce's message, and rolls back everything.
jest.setTimeout(120_000);

let mdapi: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-deploy-limits-'));

beforeAll(() => {
  mdapi = path.join(tmp, 'mdapi');
  expect(convertSource(projectRoot(), mdapi).status).toBe(0);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LABELS = path.join('labels', 'CustomLabels.labels');

/** Deploys force-app with one edit; expects a rolled-back failure and returns its component failures. */
async function failedDeploy(edit: Record<string, (text: string) => string>) {
  const { org, conn } = await startOrg();
  try {
    const r = await deploy(conn, await zip(mdapi, edit));
    expect(r).toMatchObject({ success: false, status: 'Failed' });
    // Rolled back: not even the objects the package also holds were created.
    await expect(conn.describe('Touchpoint__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    return failuresOf(r);
  } finally {
    await org.close();
  }
}

describe('deploy limits as Salesforce enforces them', () => {
  test('force-app as committed deploys (every label short description fits in 80 characters)', async () => {
    const { org, conn } = await startOrg();
    try {
      expect((await deploy(conn, await zip(mdapi))).success).toBe(true);
    } finally {
      await org.close();
    }
  });

  test('an 81-character label short description fails with "MasterLabel maximum length is:80"', async () => {
    const short81 = 'x'.repeat(81);
    const failures = await failedDeploy({
      [LABELS]: (t) =>
        t.replace(
          /(<fullName>CTP_Tagged_Arrival<\/fullName>[\s\S]*?<shortDescription>)[^<]*/,
          `$1${short81}`,
        ),
    });
    expect(failures).toEqual([
      {
        type: 'CustomLabels',
        name: 'CustomLabels',
        file: 'labels/CustomLabels.labels',
        problem: 'CTP_Tagged_Arrival: Value too long for field: MasterLabel maximum length is:80',
      },
    ]);
  });

  test('an 80-character short description is accepted', async () => {
    const { org, conn } = await startOrg();
    try {
      const r = await deploy(
        conn,
        await zip(mdapi, {
          [LABELS]: (t) =>
            t.replace(
              /(<fullName>CTP_Tagged_Arrival<\/fullName>[\s\S]*?<shortDescription>)[^<]*/,
              `$1${'x'.repeat(80)}`,
            ),
        }),
      );
      expect(r.success).toBe(true);
    } finally {
      await org.close();
    }
  });

  test('a misspelt tab motif fails: motifs are Salesforce tab style names', async () => {
    const failures = await failedDeploy({
      [path.join('tabs', 'Touchpoint__c.tab')]: (t) => t.replace('Custom22: Telephone', 'Custom22: Telefone'),
    });
    expect(failures).toEqual([
      expect.objectContaining({
        type: 'CustomTab',
        name: 'Touchpoint__c',
        problem: expect.stringMatching(/^Invalid motif: Custom22: Telefone/),
      }),
    ]);
  });

  test('a permission set granting a required field fails: "You cannot deploy to a required field"', async () => {
    const failures = await failedDeploy({
      [path.join('objects', 'Touchpoint__c.object')]: (t) =>
        t.replace(/(<fullName>Channel__c<\/fullName>[\s\S]*?<required>)false(<\/required>)/, '$1true$2'),
    });
    // Both permission sets grant the field; each fails with Salesforce's message.
    expect(failures).toEqual(
      expect.arrayContaining(
        ['Call_Touchpoints_Integration', 'Call_Touchpoints_Viewer'].map((name) =>
          expect.objectContaining({
            type: 'PermissionSet',
            name,
            problem: 'You cannot deploy to a required field: Touchpoint__c.Channel__c',
          }),
        ),
      ),
    );
  });

  test('field label, help text and name lengths are checked with Salesforce’s messages', async () => {
    const failures = await failedDeploy({
      [path.join('objects', 'Touchpoint__c.object')]: (t) =>
        t
          .replace('<label>Channel</label>', `<label>${'L'.repeat(41)}</label>`)
          .replace(/(<fullName>Source__c<\/fullName>[\s\S]*?<inlineHelpText>)[^<]*/, `$1${'h'.repeat(511)}`),
    });
    expect(failures.map((f) => f.problem)).toEqual(
      expect.arrayContaining([
        'Channel__c: Value too long for field: MasterLabel maximum length is:40',
        'Source__c: Value too long for field: InlineHelpText maximum length is:510',
      ]),
    );
  });
});
