import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { loadConfig } from '../../src/config';
import { connect } from '../../src/salesforce/connection';
import { createTasks, eventLines, taskInputs, V } from './fixtures';
import { cli } from '../cli-in-process';
import { startOrg } from '../../../packages/local-org/test/helpers';

jest.setTimeout(120_000);

const NO_ORG = {
  SF_INSTANCE_URL: undefined,
  SF_ACCESS_TOKEN: undefined,
  SF_LOGIN_URL: undefined,
  SF_CLIENT_ID: undefined,
  SF_CLIENT_SECRET: undefined,
  SF_USERNAME: undefined,
  SF_JWT_KEY_FILE: undefined,
};

describe('deploy, import-events and join commands', () => {
  let org: LocalOrg;
  let dir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    org = await startLocalOrg({ port: 0, dataDir: null, preload: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cli-'));
    env = {
      ...NO_ORG,
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: org.accessToken,
      CALL_TOUCHPOINTS_DATA_DIR: dir,
      DATABASE_URL: undefined,
    };
  });
  afterAll(async () => {
    await org?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without an org configured, deploy and join say which variables to set', async () => {
    for (const args of [['deploy'], ['join', '--once']]) {
      const r = await cli(args, { ...NO_ORG, CALL_TOUCHPOINTS_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/SF_INSTANCE_URL \+ SF_ACCESS_TOKEN/);
      expect(r.err).toMatch(/SF_CLIENT_SECRET/);
      expect(r.err).toMatch(/call-touchpoints local-org/);
    }
  });

  it('join without --once or --watch names the choice', async () => {
    const r = await cli(['join'], env);
    expect(r.code).toBe(2); // a flag error, as every other (cli/errors.ts flagError)
    expect(r.err).toMatch(/--once .* --watch/);
  });

  it('join before deploy names the missing field and the command that adds it, in one line', async () => {
    const r = await cli(['join', '--once'], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^join: the org has no field Task\.\w+__c \(INVALID_FIELD: No such column '\w+__c' on entity 'Task'\)\. Run `call-touchpoints deploy` to add the join's fields, then run join again\.\n$/,
    );
  });

  it('deploy --check exits 1 on an empty org; deploy creates; a second deploy is up to date', async () => {
    const check = await cli(['deploy', '--check'], env);
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/missing +CustomField Activity\.BizibleId__c/);
    const first = await cli(['deploy'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      new RegExp(`Deploying to local org ${org.instanceUrl.replace(/[.:/]/g, '\\$&')}`),
    );
    expect(first.out).toMatch(/Deployed \d+ component\(s\)/);
    const second = await cli(['deploy'], env);
    expect(second.out).toMatch(/Up to date/);
    expect((await cli(['deploy', '--check'], env)).code).toBe(0);
  });

  it('import-events rejects a bad line naming it and imports nothing; a good file imports once', async () => {
    const bad = path.join(dir, 'bad.ndjson');
    fs.writeFileSync(
      bad,
      JSON.stringify(eventLines()[0]) +
        '\n{"type":"click","visitorId":"x","url":"https://a.example/","receivedAt":"2026-03-10T12:00:00Z"}\n',
    );
    const r = await cli(['import-events', bad], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.ndjson line 2: type must be "page_view" or "form_submit"/);
    expect(r.err).toMatch(/Nothing imported/);

    const good = path.join(dir, 'events.ndjson');
    fs.writeFileSync(
      good,
      eventLines()
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    expect((await cli(['import-events', good], env)).out).toMatch(/Imported 6 event\(s\)/);
    expect((await cli(['import-events', good], env)).out).toMatch(
      /Imported 0 event\(s\) .*\(6 already there\)/,
    );
  });

  it('join --once prints the summary; a second run writes nothing', async () => {
    const conn = await connect(
      loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken }),
    );
    await createTasks(conn, taskInputs());
    const first = await cli(['join', '--once'], env);
    expect(first.err).toBe('');
    expect(first.out).toMatch(/tasks read 5, planned 5: merged 2, standalone 2, missing BizibleId 1/);
    expect(first.out).toMatch(
      /records written: \d+ web sessions, \d+ touchpoints, \d+ opportunity touchpoints, 5 tasks, 0 deleted/,
    );
    expect(first.out).toMatch(/API requests used: \d+/);
    const second = await cli(['join', '--once'], env);
    expect(second.out).toMatch(
      /records written: 0 web sessions, 0 touchpoints, 0 opportunity touchpoints, 0 tasks, 0 deleted \(up to date\)/,
    );
    // The Tasks' query, and the Opportunity round (one Composite of changed rows, issue 21).
    expect(second.out).toMatch(/API requests used: 2 \(join: query 1, composite 1\)\n/);
  });

  it('import-events names visitors with joined calls and the command that re-plans them', async () => {
    // A session right before the organic visitor's 14:00 call, imported after the call was joined.
    const late = path.join(dir, 'late.ndjson');
    const line = (visitorId: string, receivedAt: string) =>
      JSON.stringify({
        type: 'page_view',
        visitorId,
        url: 'https://www.example.com/',
        referrer: null,
        receivedAt,
      });
    fs.writeFileSync(late, line(V.organic, '2026-03-10T13:55:00.000Z') + '\n');
    const imported = await cli(['import-events', late], env);
    expect(imported.out).toMatch(
      /1 of these visitor\(s\) already have joined calls: run `call-touchpoints join --once --full`/,
    );

    const noCalls = path.join(dir, 'no-calls.ndjson');
    fs.writeFileSync(noCalls, line('a00000000000000000000000000000ee', '2026-03-10T13:55:00.000Z') + '\n');
    const quiet = await cli(['import-events', noCalls], env);
    expect(quiet.out).toMatch(/Imported 1 event/);
    expect(quiet.out).not.toMatch(/join --once --full/);

    const full = await cli(['join', '--once', '--full'], env);
    expect(full.out).toMatch(/merged 3, standalone 1, missing BizibleId 1/);
    expect(full.out).toMatch(/1 deleted/);
  });
});

describe('deploy in an org whose 5 Change Data Capture selections are used', () => {
  it('deploys force-app, reports plainly that the change-events step was refused, and grants no View All Data', async () => {
    const { org, conn } = await startOrg();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cli-cdc-'));
    try {
      // Another app's five selections: the org's whole allocation (CDC Developer Guide, "Change Data Capture Allocations").
      const others = ['Account', 'Contact', 'Lead', 'Opportunity', 'Event'].map((e) => ({
        fullName: `ChangeEvents_${e}ChangeEvent`,
        eventChannel: 'ChangeEvents',
        selectedEntity: `${e}ChangeEvent`,
      }));
      const saved = ([] as any[]).concat(await conn.metadata.upsert('PlatformEventChannelMember', others));
      expect(saved.map((r) => r.success)).toEqual([true, true, true, true, true]);

      const env = {
        ...NO_ORG,
        SF_INSTANCE_URL: org.instanceUrl,
        SF_ACCESS_TOKEN: org.accessToken,
        CALL_TOUCHPOINTS_DATA_DIR: dir,
        DATABASE_URL: undefined,
      };
      const r = await cli(['deploy'], env);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        /Change events not deployed: .*LIMIT_EXCEEDED: This org has already selected 5 of its 5 entities/,
      );
      expect(r.out).toMatch(/Everything else is deployed\. .*serve polls for Tasks every 60 s/);
      // force-app is in the org; Task is not selected, and the View All Data set was not deployed.
      expect((await conn.describe('Touchpoint__c')).name).toBe('Touchpoint__c');
      const members = ([] as any[]).concat(await conn.metadata.list({ type: 'PlatformEventChannelMember' }));
      expect(members.map((m) => m.fullName).sort()).toEqual(others.map((o) => o.fullName).sort());
      const ps = await conn.metadata.read('PermissionSet', 'Call_Touchpoints_Change_Events');
      expect((ps as any).fullName).toBeUndefined();

      // One selection freed: the next deploy selects Task and deploys the permission set.
      await conn.metadata.delete('PlatformEventChannelMember', 'ChangeEvents_EventChangeEvent');
      const again = await cli(['deploy'], env);
      expect(again.code).toBe(0);
      expect(again.out).not.toMatch(/Change events not deployed/);
      expect(again.out).toMatch(/created +PlatformEventChannelMember ChangeEvents_TaskChangeEvent/);
      expect(again.out).toMatch(/created +PermissionSet Call_Touchpoints_Change_Events/);
    } finally {
      await org.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
