import type { LocalOrg } from '../../src/localorg';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { soqlString } from '../../src/salesforce/soql';
import { createTasks } from './fixtures';
import { localOrgSession } from './helpers';

jest.setTimeout(120_000);

describe('gateway against a local org (jsforce, real HTTP)', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;

  beforeAll(async () => {
    ({ org, conn, gateway } = await localOrgSession({ preload: true }));
  });
  afterAll(async () => {
    await org?.close();
  });

  it('reads every page of a query (2,000 rows per page)', async () => {
    await createTasks(
      conn,
      Array.from({ length: 2050 }, (_, i) => ({ Subject: `t${i}`, Type: 'Call' })),
    );
    const before = gateway.requestCount('query');
    const rows = await gateway.query<{ Id: string }>("SELECT Id FROM Task WHERE Type = 'Call'");
    expect(rows).toHaveLength(2050);
    expect(new Set(rows.map((r) => r.Id)).size).toBe(2050);
    expect(gateway.requestCount('query') - before).toBe(2);
  });

  it('checks each item of a collection answer: a bad record is reported, the others are written', async () => {
    const results = await gateway.upsert('Touchpoint__c', 'Touchpoint_Key__c', [
      { Touchpoint_Key__c: 'k-ok-1', Touchpoint_Type__c: 'Call' },
      { Touchpoint_Key__c: 'k-bad', Touchpoint_Type__c: 'x'.repeat(500) },
      { Touchpoint_Key__c: 'k-ok-2', Touchpoint_Type__c: 'Call' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
    expect(results[1].attempts).toBe(1); // not retryable: not retried
    const keys = (
      await gateway.query<{ Touchpoint_Key__c: string }>('SELECT Touchpoint_Key__c FROM Touchpoint__c')
    ).map((r) => r.Touchpoint_Key__c);
    expect(keys.sort()).toEqual(['k-ok-1', 'k-ok-2']);
  });

  it('upserting the same keys again updates instead of adding (no duplicates)', async () => {
    const results = await gateway.upsert('Touchpoint__c', 'Touchpoint_Key__c', [
      { Touchpoint_Key__c: 'k-ok-1', Touchpoint_Type__c: 'Web Visit' },
    ]);
    expect(results[0]).toMatchObject({ ok: true, created: false });
    const rows = await gateway.query<{ Touchpoint_Type__c: string }>(
      `SELECT Touchpoint_Type__c FROM Touchpoint__c WHERE Touchpoint_Key__c = ${soqlString('k-ok-1')}`,
    );
    expect(rows.map((r) => r.Touchpoint_Type__c)).toEqual(['Web Visit']);
  });

  it('a quoted value cannot break out of its SOQL literal', async () => {
    const rows = await gateway.query(
      `SELECT Id FROM Touchpoint__c WHERE Touchpoint_Key__c = ${soqlString("k' OR Touchpoint_Key__c != '")}`,
    );
    expect(rows).toEqual([]);
  });

  it('REQUEST_LIMIT_EXCEEDED stops at once with a message, without hammering the org', async () => {
    org.setFaults({ requestLimitExceeded: true });
    const before = org.apiRequests();
    try {
      await expect(gateway.query('SELECT Id FROM User')).rejects.toThrow(/API request limit is used up/);
      expect(org.apiRequests() - before).toBe(1);
    } finally {
      org.clearFaults();
    }
  });

  it('retries 503s with backoff until the request gets through', async () => {
    org.setFaults({ errorRate503: 0.5, seed: 3 });
    try {
      const before = org.apiRequests();
      const counted = gateway.requestCount();
      for (let i = 0; i < 5; i++) await expect(gateway.query('SELECT Id FROM User')).resolves.toHaveLength(1);
      expect(org.apiRequests() - before).toBeGreaterThan(5);
      // Every attempt is ours and counted: jsforce's own hidden retries are off.
      expect(gateway.requestCount() - counted).toBe(org.apiRequests() - before);
    } finally {
      org.clearFaults();
    }
  });
});
