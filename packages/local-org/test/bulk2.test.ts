import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { startOrg } from './helpers';

let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg({ preload: true }));
  conn.bulk2.pollInterval = 50;
});
afterAll(() => org.close());

describe('Bulk API 2.0', () => {
  test('an upsert job by external id reports created, updated and failed rows', async () => {
    await conn.sobject('Web_Session__c').create({ Session_Key__c: 'bulk-ws' } as never);
    const input = [
      'Touchpoint_Key__c,Medium__c,Web_Session__r.Session_Key__c',
      'bk-1,cpc,bulk-ws',
      'bk-2,organic,',
      'bk-3,email,no-such-session',
    ].join('\n');
    const first = await conn.bulk2.loadAndWaitForResults({
      object: 'Touchpoint__c',
      operation: 'upsert',
      externalIdFieldName: 'Touchpoint_Key__c',
      input,
    });
    expect(first.successfulResults.map((r: any) => [r.Touchpoint_Key__c, r.sf__Created])).toEqual([
      ['bk-1', 'true'],
      ['bk-2', 'true'],
    ]);
    expect(first.failedResults).toHaveLength(1);
    expect(first.failedResults[0].sf__Error).toContain('Foreign key external ID: no-such-session not found');
    const again = await conn.bulk2.loadAndWaitForResults({
      object: 'Touchpoint__c',
      operation: 'upsert',
      externalIdFieldName: 'Touchpoint_Key__c',
      input: 'Touchpoint_Key__c,Medium__c\nbk-1,display\n',
    });
    expect(again.successfulResults[0]).toMatchObject({
      sf__Created: 'false',
      sf__Id: first.successfulResults[0].sf__Id,
    });
    const q: any = await conn.query(
      "SELECT Medium__c, Web_Session__r.Session_Key__c FROM Touchpoint__c WHERE Touchpoint_Key__c = 'bk-1'",
    );
    expect(q.records[0]).toMatchObject({
      Medium__c: 'display',
      Web_Session__r: { Session_Key__c: 'bulk-ws' },
    });
  });

  test('an upsert keyed on Id inserts the rows without an Id and updates the rows with one', async () => {
    const existing = await conn.sobject('Account').create({ Name: 'upsert-by-id old' });
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Id',
      input: `Name,Id\nupsert-by-id new,\nupsert-by-id renamed,${(existing as any).id}\n`,
    });
    expect(res.failedResults).toEqual([]);
    expect(res.successfulResults.map((r: any) => r.sf__Created).sort()).toEqual(['false', 'true']);
    const noIdColumn = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Id',
      input: 'Name,Website\nupsert-by-id no column,http://example.com\n',
    });
    expect(noIdColumn.successfulResults).toMatchObject([{ sf__Created: 'true' }]);
    const names = (await conn.query("SELECT Name FROM Account WHERE Name LIKE 'upsert-by-id%'")).records.map(
      (r: any) => r.Name,
    );
    expect(names.sort()).toEqual(['upsert-by-id new', 'upsert-by-id no column', 'upsert-by-id renamed']);
  });

  test('query results without maxRecords come as one set holding every row (no 10,000-row pages)', async () => {
    const rows = Array.from({ length: 10_005 }, (_, i) => ({ Name: `big-${i}` }));
    const loaded = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: rows,
    });
    expect(loaded.failedResults).toEqual([]);
    const job: any = await conn.request({
      method: 'POST',
      url: '/services/data/v62.0/jobs/query',
      body: JSON.stringify({ operation: 'query', query: "SELECT Name FROM Account WHERE Name LIKE 'big-%'" }),
      headers: { 'Content-Type': 'application/json' },
    });
    const res = await fetch(`${org.instanceUrl}/services/data/v62.0/jobs/query/${job.id}/results`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    expect(res.headers.get('sforce-locator')).toBe('null');
    expect(res.headers.get('sforce-numberofrecords')).toBe('10005');
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('"Name"');
    expect(lines).toHaveLength(10_006);
    // What jsforce reads: every record once, no header row taken for a record.
    const records = await (
      await conn.bulk2.query("SELECT Name FROM Account WHERE Name LIKE 'big-%'")
    ).toArray();
    expect(records).toHaveLength(10_005);
    const bad = await fetch(
      `${org.instanceUrl}/services/data/v62.0/jobs/query/${job.id}/results?locator=nope`,
      {
        headers: { Authorization: `Bearer ${org.accessToken}` },
      },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Invalid locator: nope');
  });

  test('a job naming an undeployed column fails as a whole', async () => {
    await expect(
      conn.bulk2.loadAndWaitForResults({
        object: 'Task',
        operation: 'insert',
        input: 'Subject,Nope__c\nx,y\n',
      }),
    ).rejects.toThrow(/Field name not found : Nope__c/);
  });

  test('a query job returns every row as CSV records', async () => {
    await conn.sobject('Account').create(Array.from({ length: 30 }, (_, i) => ({ Name: `Bulk ${i}` })));
    const records = await (
      await conn.bulk2.query("SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'Bulk %'")
    ).toArray();
    expect(records).toHaveLength(30);
    expect(records[0]).toMatchObject({ Name: 'Bulk 0', 'Owner.Name': 'Local Admin' });
  });
});
