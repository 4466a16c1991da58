import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { startServer, type ServerHandle } from '../../src/server/start';
import { localOrgCdcEnv, selectForCdc } from '../salesforce/helpers';
import { untilTruthy } from '../until';

jest.setTimeout(90_000);

/**
 * serve against a local org with Task, Opportunity, OpportunityContactRole and Lead selected for
 * Change Data Capture (4 of 5): the Opportunity channels stream, and closing an Opportunity won moves
 * its Pending touchpoint to Closed from the change event — serve's Opportunity poll is off.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
describe('serve keeps Opportunity touchpoints current by Change Data Capture', () => {
  let org: LocalOrg;
  let admin: Connection;
  let server: ServerHandle | null = null;
  const dirs: string[] = [];

  beforeAll(async () => {
    const orgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-opp-cdc-org-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-opp-cdc-data-'));
    dirs.push(orgDir, dataDir);
    org = await startLocalOrg({ port: 0, dataDir: orgDir, preload: true });
    admin = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '62.0' });
    await selectForCdc(admin, ['Task', 'Opportunity', 'OpportunityContactRole', 'Lead']);
    server = await startServer(
      loadConfig({
        ...localOrgCdcEnv(org, dataDir),
        // A poll left on would show within a second.
        OPPORTUNITY_POLL_SECONDS: '1',
      }),
      { port: 0, host: '127.0.0.1', logger: silentLogger },
    );
  });
  afterAll(async () => {
    await server?.close();
    await org?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('streams the Opportunity channels with the poll off, and a close won reaches the touchpoints', async () => {
    await untilTruthy(
      'Opportunity channels streaming',
      async () => server!.taskDiscovery?.opportunities?.status().mode === 'cdc',
    );
    const account = ((await admin.sobject('Account').create({ Name: 'Acme' })) as { id: string }).id;
    const contact = (
      (await admin.sobject('Contact').create({ LastName: 'Baker', AccountId: account })) as { id: string }
    ).id;
    await admin.sobject('Touchpoint__c').create(
      [0, 1].map((k) => ({
        Touchpoint_Key__c: `serve-cdc-${k}`,
        BizibleId__c: '0'.repeat(31) + String(k + 1),
        Contact__c: contact,
        Touchpoint_Date__c: new Date(Date.UTC(2026, 0, 5 + k * 10)).toISOString(),
        Touchpoint_Type__c: k ? 'Call' : 'Web Visit',
        Channel__c: 'Paid Search',
        Position__c: k ? 'PostLC' : 'FT, LC',
      })) as never[],
    );
    const opp = (
      (await admin.sobject('Opportunity').create({
        Name: 'Deal',
        AccountId: account,
        Amount: 1000,
        StageName: 'Prospecting',
        CloseDate: '2026-03-20',
        CreatedDate: new Date(Date.UTC(2026, 0, 10)).toISOString(),
      })) as { id: string }
    ).id;
    const positions = async () =>
      (
        await admin.query<{ Position__c: string | null }>(
          `SELECT Position__c FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${opp}' ORDER BY Touchpoint_Date__c`,
        )
      ).records.map((r) => r.Position__c);
    await untilTruthy('the new Opportunity planned', async () => (await positions()).includes('Pending'));

    await sleep(500);
    org.resetApiRequests();
    await sleep(1500); // three poll intervals: no poll round while every channel streams
    expect(org.apiRequests()).toBe(0);

    await admin.sobject('Opportunity').update({ Id: opp, StageName: 'Closed Won' });
    await untilTruthy('Pending → Closed', async () => {
      const p = await positions();
      return p.some((x) => x?.includes('Closed')) && !p.includes('Pending');
    });
  });
});
