import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { projectRoot } from '../../src/project-root';
import { copyProject } from '../../../scripts/validate-metadata';
import { compareTrees } from './source-trees';

// The admin's own tool against the local org: the real `sf` binary from node_modules, with its own HOME
// so no stored org or setting leaks in or out. The admin-guide script alone took 183 s on a loaded
// 2-core machine (two deploys now: force-app, then change-events): a ceiling with room.
jest.setTimeout(600_000);

const SF = path.join(projectRoot(), 'node_modules', '.bin', 'sf');
const run = promisify(execFile);

describe('the Salesforce CLI against the local org', () => {
  let org: LocalOrg;
  let home: string;
  const env = () => ({
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
  });
  const sf = async (args: string[], cwd = projectRoot()) => {
    const r = await run(SF, [...args, '--json'], { cwd, env: env(), maxBuffer: 16 * 1024 * 1024 }).catch(
      (e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '{}', code: e.code }),
    );
    return JSON.parse(r.stdout) as { status: number; result: any; message?: string; data?: any };
  };
  /** An org command: against the local org, logged in below under the alias `lo`. */
  const sfOrg = (args: string[], cwd?: string) => sf([...args, '--target-org', 'lo'], cwd);
  const deploy = (sourceDir: string, cwd?: string) =>
    sfOrg(['project', 'deploy', 'start', '--source-dir', sourceDir], cwd);

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sf-home-'));
    org = await startLocalOrg({ port: 0, dataDir: null });
    const login = await run(
      SF,
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        org.instanceUrl,
        '--no-prompt',
        '--alias',
        'lo',
        '--json',
      ],
      { env: { ...env(), SF_ACCESS_TOKEN: org.accessToken } },
    );
    expect(JSON.parse(login.stdout).result.username).toBe('admin@local-org.invalid');
  });
  afterAll(async () => {
    await org?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('sf org display reports the org Connected, with its org id', async () => {
    const r = await sfOrg(['org', 'display']);
    expect(r.result).toMatchObject({ connectedStatus: 'Connected', username: 'admin@local-org.invalid' });
    expect(r.result.id).toMatch(/^00D\w{15}$/);
  });

  it('a copy of force-app with a broken report column fails to deploy, naming the report file and the column, and saves nothing', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sf-broken-'));
    copyProject(projectRoot(), project);
    const report = path.join(
      project,
      'force-app/main/default/reports/Call_Touchpoints/Call_Touchpoints_by_Channel.report-meta.xml',
    );
    fs.writeFileSync(
      report,
      fs
        .readFileSync(report, 'utf8')
        .replace('<field>Touchpoint__c$Source__c</field>', '<field>Touchpoint__c.Source__c</field>'),
    );
    try {
      const r = await deploy('force-app', project);
      expect(r.status).not.toBe(0);
      expect(r.result.status).toBe('Failed');
      expect(r.result.details.componentFailures).toEqual([
        expect.objectContaining({
          componentType: 'Report',
          fullName: 'Call_Touchpoints/Call_Touchpoints_by_Channel',
          fileName: 'reports/Call_Touchpoints/Call_Touchpoints_by_Channel.report',
          problemType: 'Error',
          lineNumber: expect.any(Number),
          problem: expect.stringContaining('invalid column Touchpoint__c.Source__c'),
        }),
      ]);
      // sf maps the failure back to the source file the admin edits.
      expect(r.result.files.filter((f: { state: string }) => f.state === 'Failed')).toEqual([
        expect.objectContaining({
          filePath: report,
          error: expect.stringContaining('write Object$Field (e.g. Touchpoint__c$Source__c)'),
        }),
      ]);
      // rollbackOnError: the objects of the same deploy were not created either.
      const describe = await sfOrg(['sobject', 'describe', '--sobject', 'Touchpoint__c']);
      expect(describe.status).not.toBe(0);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('deploys force-app, then a second deploy changes nothing; permission sets assign, twice is refused as a duplicate', async () => {
    const first = await deploy('force-app');
    expect(first.result.status).toBe('Succeeded');
    const states = (r: typeof first) => new Set(r.result.files.map((f: { state: string }) => f.state));
    expect(states(first)).toEqual(new Set(['Created']));
    expect(first.result.files.length).toBeGreaterThan(60);
    const second = await deploy('force-app');
    expect(states(second)).toEqual(new Set(['Unchanged']));

    const assign = await sfOrg([
      'org',
      'assign',
      'permset',
      '--name',
      'Call_Touchpoints_Integration',
      '--name',
      'Call_Touchpoints_Viewer',
    ]);
    expect(assign.result.successes.map((s: { value: string }) => s.value).sort()).toEqual([
      'Call_Touchpoints_Integration',
      'Call_Touchpoints_Viewer',
    ]);
    const again = await sfOrg(['org', 'assign', 'permset', '--name', 'Call_Touchpoints_Viewer']);
    expect(JSON.stringify(again)).toContain('Duplicate PermissionSetAssignment');

    const q = await sfOrg([
      'data',
      'query',
      '--query',
      'SELECT PermissionSet.Name FROM PermissionSetAssignment ORDER BY PermissionSet.Name',
    ]);
    expect(q.result.records.map((r: any) => r.PermissionSet.Name)).toEqual([
      'Call_Touchpoints_Integration',
      'Call_Touchpoints_Viewer',
    ]);
  });

  it('sf project deploy start reports one result per component (fields, list views, labels); retrieve start brings back force-app and change-events as deployed', async () => {
    const deployed = await deploy('force-app');
    expect(deployed.result.status).toBe('Succeeded');
    const types = new Set(deployed.result.details.componentSuccesses.map((c: any) => c.componentType));
    expect([...types]).toEqual(
      expect.arrayContaining(['CustomObject', 'CustomField', 'ListView', 'CustomLabel']),
    );
    expect(deployed.result.details.componentSuccesses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ componentType: 'ListView', fullName: 'Touchpoint__c.All' }),
        expect.objectContaining({ componentType: 'CustomField', fullName: 'Activity.BizibleId__c' }),
      ]),
    );
    expect(deployed.result.numberComponentsDeployed).toBe(deployed.result.numberComponentsTotal);
    expect(deployed.result.numberComponentsTotal).toBe(
      deployed.result.details.componentSuccesses.filter((c: any) => c.fullName !== 'package.xml').length,
    );
    const events = await deploy('change-events');
    expect(events.result.status).toBe('Succeeded');

    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sf-retrieve-'));
    try {
      for (const file of ['sfdx-project.json', '.forceignore'])
        fs.copyFileSync(path.join(projectRoot(), file), path.join(project, file));
      // Both package directories of sfdx-project.json exist, empty: what comes back is only what the org sends.
      for (const dir of ['force-app', 'change-events']) fs.mkdirSync(path.join(project, dir));
      for (const dir of ['force-app', 'change-events']) {
        const manifest = path.join(project, `manifest-${dir}`);
        await sf(['project', 'generate', 'manifest', '--source-dir', dir, '--output-dir', manifest]);
        const r = await sfOrg(
          [
            'project',
            'retrieve',
            'start',
            '--manifest',
            path.join(manifest, 'package.xml'),
            '--output-dir',
            `retrieved-${dir}`,
          ],
          project,
        );
        expect({ status: r.status, messages: r.result?.messages ?? r.message }).toEqual({
          status: 0,
          messages: [],
        });
        const { missing, different, extra } = compareTrees(
          path.join(projectRoot(), dir, 'main', 'default'),
          path.join(project, `retrieved-${dir}`),
        );
        expect({ missing, different }).toEqual({ missing: [], different: [] });
        // sf writes the parent of retrieved Activity fields; nothing else is added.
        expect(extra).toEqual(dir === 'force-app' ? ['objects/Activity/Activity.object-meta.xml'] : []);
      }
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('sf data create/update/delete record and sf data query with rows, on standard fields', async () => {
    const created = await sfOrg([
      'data',
      'create',
      'record',
      '--sobject',
      'Account',
      '--values',
      "Name='Acme' Type=Prospect BillingState=CA NumberOfEmployees=50",
    ]);
    const id = created.result.id as string;
    expect(id).toMatch(/^001/);
    await sfOrg([
      'data',
      'update',
      'record',
      '--sobject',
      'Account',
      '--record-id',
      id,
      '--values',
      "Name='Acme Corp'",
    ]);
    const q = await sfOrg([
      'data',
      'query',
      '--query',
      'SELECT Name, Type, BillingState, NumberOfEmployees, Owner.Name FROM Account',
    ]);
    expect(q.result.records).toEqual([
      expect.objectContaining({
        Name: 'Acme Corp',
        Type: 'Prospect',
        BillingState: 'CA',
        NumberOfEmployees: 50,
      }),
    ]);
    expect(q.result.records[0].Owner.Name).toBe('Local Admin');
    const del = await sfOrg(['data', 'delete', 'record', '--sobject', 'Account', '--record-id', id]);
    expect(del.status).toBe(0);
    expect((await sfOrg(['data', 'query', '--query', 'SELECT Id FROM Account'])).result.totalSize).toBe(0);
  });

  it('sf data import tree creates accounts with nested contacts and reports each referenceId', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sf-tree-'));
    try {
      const file = path.join(dir, 'Account.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          records: [
            {
              attributes: { type: 'Account', referenceId: 'AccRef1' },
              Name: 'Tree Imports Inc',
              Contacts: {
                records: [{ attributes: { type: 'Contact', referenceId: 'ConRef1' }, LastName: 'Importer' }],
              },
            },
          ],
        }),
      );
      const r = await sfOrg(['data', 'import', 'tree', '--files', file]);
      expect(r.status).toBe(0);
      expect(r.result.map((x: { refId: string; type: string }) => [x.refId, x.type])).toEqual([
        ['AccRef1', 'Account'],
        ['ConRef1', 'Contact'],
      ]);
      const q = await sfOrg([
        'data',
        'query',
        '--query',
        "SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Importer'",
      ]);
      expect(q.result.records[0].Account.Name).toBe('Tree Imports Inc');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sf apex run test fails with FUNCTIONALITY_NOT_ENABLED: the local org does not run Apex', async () => {
    const r = await sfOrg(['apex', 'run', 'test', '--test-level', 'RunLocalTests']);
    expect(r.status).toBe(1);
    expect(r.message).toContain('Apex test execution is not enabled for this organization');
    expect((r as { code?: string }).code).toBe('FUNCTIONALITY_NOT_ENABLED');
  });

  it('sf sobject describe and sf org list limits', async () => {
    const d = await sfOrg(['sobject', 'describe', '--sobject', 'Account']);
    const names = d.result.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Type', 'BillingState', 'NumberOfEmployees', 'Industry']));
    const limits = await sfOrg(['org', 'list', 'limits']);
    expect(limits.result.map((l: { name: string }) => l.name)).toEqual(
      expect.arrayContaining(['DailyApiRequests', 'DataStorageMB', 'FileStorageMB']),
    );
  });
});

describe('npm run scratch-org:e2e --local-org (CI: the one org script through the real sf binary)', () => {
  it('runs the admin guide against a fresh local org and passes', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-e2e-home-'));
    try {
      const out: string[] = [];
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('bash', ['scripts/scratch-org-e2e.sh', '--local-org'], {
          cwd: projectRoot(),
          env: { ...process.env, HOME: home, DATABASE_URL: '' },
        });
        child.stdout.on('data', (c) => out.push(String(c)));
        child.stderr.on('data', (c) => out.push(String(c)));
        child.on('close', resolve);
      });
      const text = out.join('');
      expect({ code, tail: code === 0 ? '' : text.slice(-3000) }).toEqual({ code: 0, tail: '' });
      expect(text).toContain('Successfully authorized admin@local-org.invalid');
      expect(text).toMatch(/\d+ components, 0 changed/);
      expect(text).toContain('scenario: the org matches simulate');
      expect(text).toContain('6 call Tasks, 0 not joined');
      expect(text).toContain('Apex tests: skipped');
      expect(text).toContain('== org-e2e: passed');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
