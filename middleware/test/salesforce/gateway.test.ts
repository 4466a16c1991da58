import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import type { SfRecord, WriteOp } from '../../src/salesforce/port';
import { soqlString } from '../../src/salesforce/soql';
import { createTasks } from './fixtures';
import { localOrgSession } from './helpers';

jest.setTimeout(120_000);

const upsertTouchpoints = (records: SfRecord[]): WriteOp => ({
  kind: 'upsert',
  sobject: 'Touchpoint__c',
  extIdField: 'Touchpoint_Key__c',
  records,
});
const upsertSessions = (records: SfRecord[]): WriteOp => ({
  kind: 'upsert',
  sobject: 'Web_Session__c',
  extIdField: 'Session_Key__c',
  records,
});

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
    const [results] = await gateway.write([
      upsertTouchpoints([
        { Touchpoint_Key__c: 'k-ok-1', Touchpoint_Type__c: 'Call' },
        { Touchpoint_Key__c: 'k-bad', Touchpoint_Type__c: 'x'.repeat(500) },
        { Touchpoint_Key__c: 'k-ok-2', Touchpoint_Type__c: 'Call' },
      ]),
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
    const [results] = await gateway.write([
      upsertTouchpoints([{ Touchpoint_Key__c: 'k-ok-1', Touchpoint_Type__c: 'Web Visit' }]),
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
      // Seed 3 at rate 0.5: 10 of the attempts answer 503 and are retried, on every run.
      expect(org.apiRequests() - before).toBe(15);
      // Every attempt is ours and counted: jsforce's own hidden retries are off.
      expect(gateway.requestCount() - counted).toBe(org.apiRequests() - before);
    } finally {
      org.clearFaults();
    }
  });

  it('writes 600 sessions, 600 touchpoints and 600 Task updates in two composite requests (5 collections each)', async () => {
    const tasks = await createTasks(
      conn,
      Array.from({ length: 600 }, (_, i) => ({ Subject: `c${i}`, Type: 'Call' })),
    );
    org.resetApiRequests();
    const before = gateway.requestCount('composite');
    const [ws, tp, upd] = await gateway.write([
      upsertSessions(Array.from({ length: 600 }, (_, i) => ({ Session_Key__c: `s-${i}` }))),
      upsertTouchpoints(
        Array.from({ length: 600 }, (_, i) => ({
          Touchpoint_Key__c: `t-${i}`,
          Web_Session__r: { Session_Key__c: `s-${i}` },
        })),
      ),
      {
        kind: 'update',
        records: tasks.map((id, i) => ({
          attributes: { type: 'Task' },
          Id: id,
          Call_Touchpoint__r: { Touchpoint_Key__c: `t-${i}` },
        })),
      },
    ]);
    expect([ws, tp, upd].flat().every((r) => r.ok)).toBe(true);
    expect(ws.every((r) => r.created && /^a0/.test(String(r.id)))).toBe(true);
    expect(org.apiRequests()).toBe(2);
    expect(gateway.requestCount('composite') - before).toBe(2);
    const linked = await gateway.query<any>(
      "SELECT Call_Touchpoint__r.Web_Session__r.Session_Key__c FROM Task WHERE Subject = 'c599'",
    );
    expect(linked[0].Call_Touchpoint__r.Web_Session__r.Session_Key__c).toBe('s-599');
  });

  it('a touchpoint whose session hit a row lock in the same composite is retried with it; a real failure is not', async () => {
    org.setFaults({ lockRowRate: 0.3, seed: 11 });
    try {
      const [ws, tp] = await gateway.write([
        upsertSessions(Array.from({ length: 40 }, (_, i) => ({ Session_Key__c: `lock-s-${i}` }))),
        upsertTouchpoints(
          Array.from({ length: 40 }, (_, i) => ({
            Touchpoint_Key__c: `lock-t-${i}`,
            Web_Session__r: { Session_Key__c: `lock-s-${i}` },
          })),
        ),
      ]);
      expect([...ws, ...tp].every((r) => r.ok)).toBe(true);
      expect(ws.some((r) => r.attempts > 1)).toBe(true); // the faults did hit
      expect(tp.some((r) => r.attempts > 1)).toBe(true);
    } finally {
      org.clearFaults();
    }
    // A session that cannot be written (Text(80) overflow): its touchpoint fails once, per record.
    const [ws, tp] = await gateway.write([
      upsertSessions([{ Session_Key__c: 'bad-s', Channel__c: 'x'.repeat(81) }, { Session_Key__c: 'good-s' }]),
      upsertTouchpoints([
        { Touchpoint_Key__c: 'bad-t', Web_Session__r: { Session_Key__c: 'bad-s' } },
        { Touchpoint_Key__c: 'good-t', Web_Session__r: { Session_Key__c: 'good-s' } },
      ]),
    ]);
    expect(ws.map((r) => r.ok)).toEqual([false, true]);
    expect(tp.map((r) => r.ok)).toEqual([false, true]);
    expect(tp[0]).toMatchObject({ attempts: 1, errors: [{ statusCode: 'INVALID_FIELD' }] });
    expect(tp[0].errors[0].message).toMatch(/Foreign key external ID: bad-s not found/);
  });

  it('deletes by Id in the same way; a record already gone counts as deleted', async () => {
    const rows = await gateway.query<{ Id: string }>(
      "SELECT Id FROM Touchpoint__c WHERE Touchpoint_Key__c = 'good-t'",
    );
    const [first] = await gateway.write([{ kind: 'delete', ids: [rows[0].Id] }]);
    expect(first[0].ok).toBe(true);
    const [again] = await gateway.write([{ kind: 'delete', ids: [rows[0].Id] }]);
    expect(again[0]).toMatchObject({ ok: true, attempts: 1 });
  });
});
