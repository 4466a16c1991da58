import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { V, call, startOrg } from './helpers';

let org: LocalOrg;
let conn: Connection;
const TOTAL = 4100;

beforeAll(async () => {
  ({ org, conn } = await startOrg({ preload: true }));
  const sessions = Array.from({ length: TOTAL }, (_, i) => ({
    Session_Key__c: `s-${String(i).padStart(5, '0')}`,
    BizibleId__c: `biz-${i % 10}`,
    Page_Views__c: i % 7,
    Started_At__c: new Date(Date.UTC(2026, 2, 10, 13, 0, 0) + i * 60_000).toISOString(),
    Landing_Page__c: i % 2 ? `https://example.com/pricing?i=${i}` : null,
  }));
  await conn.sobject('Web_Session__c').create(sessions, { allowRecursive: true });
  const tp = await conn.sobject('Touchpoint__c').create({
    Touchpoint_Key__c: 'tp-1',
    Web_Session__r: { Session_Key__c: 's-00003' },
  } as never);
  const lead = await conn
    .sobject('Lead')
    .create({ LastName: 'Caller', Company: 'Acme', Phone: '+15551234567' });
  await conn.sobject('Task').create([
    {
      Subject: 'Call 1',
      Type: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 120,
      BizibleId__c: 'biz-1',
      WhoId: (lead as any).id,
      Call_Touchpoint__c: (tp as any).id,
      Call_Started_At__c: '2026-03-10T13:07:00.000+0000',
    },
    {
      Subject: 'Call 2',
      Type: 'Call',
      CallType: 'Outbound',
      CallDurationInSeconds: 30,
      BizibleId__c: null,
      ActivityDate: '2026-03-11',
    },
    { Subject: "O'Brien's follow-up", Type: 'Other', BizibleId__c: 'biz-2' },
  ]);
}, 60_000);
afterAll(() => org.close());

describe('SOQL paging', () => {
  test('results over 2,000 rows page through nextRecordsUrl and queryMore', async () => {
    const first = await conn.query('SELECT Id, Session_Key__c FROM Web_Session__c ORDER BY Session_Key__c');
    expect(first.totalSize).toBe(TOTAL);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(2000);
    const third = await conn.queryMore(second.nextRecordsUrl!);
    expect(third.done).toBe(true);
    expect(third.nextRecordsUrl).toBeUndefined();
    const keys = [...first.records, ...second.records, ...third.records].map((r: any) => r.Session_Key__c);
    expect(keys).toHaveLength(TOTAL);
    expect(new Set(keys).size).toBe(TOTAL);
    expect(keys[0]).toBe('s-00000');
    expect(keys[TOTAL - 1]).toBe(`s-0${TOTAL - 1}`);
  });

  test('autoFetch reads every page', async () => {
    const all = await conn.query('SELECT Id FROM Web_Session__c').run({ autoFetch: true, maxFetch: 10000 });
    expect(all.records).toHaveLength(TOTAL);
  });

  test('an unknown locator answers INVALID_QUERY_LOCATOR', async () => {
    const r = await call(org, 'GET', `${V}/query/01gNOPE-2000`);
    expect(r.status).toBe(400);
    expect(r.json[0].errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});

describe('SOQL WHERE, ORDER BY, LIMIT, OFFSET', () => {
  const keys = async (soql: string) => (await conn.query(soql)).records.map((r: any) => r.Session_Key__c);
  const count = async (soql: string) => (await conn.query(soql)).totalSize;

  test('comparison operators on numbers, text and date-times', async () => {
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c = 'S-00010'")).toBe(1); // case-insensitive
    expect(await count('SELECT Id FROM Web_Session__c WHERE Page_Views__c >= 6')).toBe(
      Math.floor(TOTAL / 7) + (TOTAL % 7 > 6 ? 1 : 0),
    );
    expect(await count('SELECT Id FROM Web_Session__c WHERE Page_Views__c < 1')).toBe(Math.ceil(TOTAL / 7));
    expect(await count('SELECT Id FROM Web_Session__c WHERE Page_Views__c != 0')).toBe(
      TOTAL - Math.ceil(TOTAL / 7),
    );
    expect(
      await keys(
        'SELECT Session_Key__c FROM Web_Session__c WHERE Started_At__c > 2026-03-10T13:02:00Z AND Started_At__c <= 2026-03-10T13:04:00.000Z',
      ),
    ).toEqual(['s-00003', 's-00004']);
    // +hh:mm offsets are honoured
    expect(
      await keys('SELECT Session_Key__c FROM Web_Session__c WHERE Started_At__c = 2026-03-10T15:05:00+02:00'),
    ).toEqual(['s-00005']);
  });

  test('AND / OR / NOT with parentheses, IN, NOT IN, LIKE and null checks', async () => {
    expect(
      await keys(
        "SELECT Session_Key__c FROM Web_Session__c WHERE Session_Key__c IN ('s-00001', 's-00002', 'nope') ORDER BY Session_Key__c DESC",
      ),
    ).toEqual(['s-00002', 's-00001']);
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c NOT IN ('s-00001')")).toBe(
      TOTAL - 1,
    );
    expect(
      await count(
        "SELECT Id FROM Web_Session__c WHERE (Session_Key__c = 's-00001' OR Session_Key__c = 's-00002') AND Page_Views__c = 2",
      ),
    ).toBe(1);
    expect(await count("SELECT Id FROM Web_Session__c WHERE NOT Session_Key__c LIKE 's-0%'")).toBe(0);
    expect(await count("SELECT Id FROM Web_Session__c WHERE Landing_Page__c LIKE '%PRICING?i=1_'")).toBe(5); // 11,13,15,17,19
    expect(await count('SELECT Id FROM Web_Session__c WHERE Landing_Page__c = null')).toBe(
      Math.ceil(TOTAL / 2),
    );
    expect(await count('SELECT Id FROM Web_Session__c WHERE Landing_Page__c != null')).toBe(
      Math.floor(TOTAL / 2),
    );
    expect(await count("SELECT Id FROM Task WHERE Subject = 'O\\'Brien\\'s follow-up'")).toBe(1);
    expect(
      await count("SELECT Id FROM Task WHERE BizibleId__c != null AND CallType IN ('Inbound', 'Outbound')"),
    ).toBe(1);
  });

  test('mixing AND and OR without parentheses is a MALFORMED_QUERY, as in Salesforce', async () => {
    await expect(
      conn.query("SELECT Id FROM Task WHERE Type = 'Call' AND Subject = 'x' OR Subject = 'y'"),
    ).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  test('date literals and date fields', async () => {
    expect(await count('SELECT Id FROM Task WHERE CreatedDate = TODAY')).toBe(3);
    expect(await count('SELECT Id FROM Task WHERE CreatedDate = YESTERDAY')).toBe(0);
    expect(await count('SELECT Id FROM Task WHERE CreatedDate = LAST_N_DAYS:7')).toBe(3);
    expect(await count('SELECT Id FROM Task WHERE CreatedDate < LAST_N_DAYS:7')).toBe(0);
    expect(await count('SELECT Id FROM Task WHERE ActivityDate = 2026-03-11')).toBe(1);
    expect(await count('SELECT Id FROM Task WHERE ActivityDate > 2026-03-11')).toBe(0);
    await expect(
      conn.query("SELECT Id FROM Task WHERE CreatedDate > '2026-03-10T00:00:00Z'"),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  test('ORDER BY with NULLS FIRST/LAST, LIMIT and OFFSET', async () => {
    const r = await conn.query(
      'SELECT Subject, BizibleId__c FROM Task ORDER BY BizibleId__c ASC NULLS LAST, Subject',
    );
    expect(r.records.map((x: any) => x.Subject)).toEqual(['Call 1', "O'Brien's follow-up", 'Call 2']);
    const d = await conn.query('SELECT Subject FROM Task ORDER BY BizibleId__c DESC NULLS FIRST');
    expect(d.records.map((x: any) => x.Subject)).toEqual(['Call 2', "O'Brien's follow-up", 'Call 1']);
    expect(
      await keys('SELECT Session_Key__c FROM Web_Session__c ORDER BY Session_Key__c LIMIT 2 OFFSET 10'),
    ).toEqual(['s-00010', 's-00011']);
    await expect(conn.query('SELECT Id FROM Web_Session__c LIMIT 1 OFFSET 2001')).rejects.toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
    });
  });

  test('COUNT() returns totalSize without records', async () => {
    const r = await conn.query("SELECT COUNT() FROM Web_Session__c WHERE BizibleId__c = 'biz-3'");
    expect(r.totalSize).toBe(TOTAL / 10);
    expect(r.records).toEqual([]);
  });
});

describe('records as the REST API returns them', () => {
  test('attributes, datetime format, numbers, booleans, nulls and parent relationship fields', async () => {
    const r = await conn.query(
      "SELECT Id, Subject, CallDurationInSeconds, Call_Started_At__c, IsDeleted, ActivityDate, Who.Name, Call_Touchpoint__r.Touchpoint_Key__c, Call_Touchpoint__r.Web_Session__r.Session_Key__c FROM Task WHERE Subject = 'Call 1'",
    );
    const t: any = r.records[0];
    expect(t.attributes).toEqual({ type: 'Task', url: `/services/data/v62.0/sobjects/Task/${t.Id}` });
    expect(t.Id).toMatch(/^00T[A-Za-z0-9]{15}$/);
    expect(t.CallDurationInSeconds).toBe(120);
    expect(t.Call_Started_At__c).toBe('2026-03-10T13:07:00.000+0000');
    expect(t.IsDeleted).toBe(false);
    expect(t.ActivityDate).toBeNull();
    expect(t.Who).toMatchObject({ attributes: { type: 'Lead' }, Name: 'Caller' });
    expect(t.Call_Touchpoint__r.Touchpoint_Key__c).toBe('tp-1');
    expect(t.Call_Touchpoint__r.Web_Session__r.Session_Key__c).toBe('s-00003');
    const empty: any = (
      await conn.query("SELECT Call_Touchpoint__r.Touchpoint_Key__c FROM Task WHERE Subject = 'Call 2'")
    ).records[0];
    expect(empty.Call_Touchpoint__r).toBeNull();
  });

  test('object and field names are case-insensitive and answered canonically', async () => {
    const r = await conn.query("select id, subject from task where subject = 'call 2'");
    expect(Object.keys(r.records[0])).toEqual(['attributes', 'Id', 'Subject']);
  });
});

describe('SOQL errors', () => {
  test('unknown field: INVALID_FIELD with the row/column prefix', async () => {
    const r = await call(org, 'GET', `${V}/query?q=${encodeURIComponent('SELECT Id, Foo__c FROM Task')}`);
    expect(r.status).toBe(400);
    expect(r.json[0].errorCode).toBe('INVALID_FIELD');
    expect(r.json[0].message).toContain('ERROR at Row:1:Column:12');
    expect(r.json[0].message).toContain(
      "No such column 'Foo__c' on entity 'Task'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
    );
  });

  test('errors in WHERE point at the WHERE clause', async () => {
    const r = await call(
      org,
      'GET',
      `${V}/query?q=${encodeURIComponent("SELECT Id FROM Task WHERE Id = 'abc'")}`,
    );
    expect(r.json[0].errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(r.json[0].message).toContain('ERROR at Row:1:Column:27\ninvalid ID field: abc');
  });

  test('unknown object: INVALID_TYPE; syntax error: MALFORMED_QUERY; unknown relationship: INVALID_FIELD', async () => {
    await expect(conn.query('SELECT Id FROM Foo__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Foo__c' is not supported"),
    });
    await expect(conn.query('SELECT Id FRM Task')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    // An unencoded "+" becomes a space in a URL: the API answers MALFORMED_QUERY (salesforce/soql.ts).
    const plus = await call(
      org,
      'GET',
      `${V}/query?q=SELECT+Id+FROM+Task+WHERE+CreatedDate+>+2026-03-10T13:07:00+0000`,
    );
    expect(plus.status).toBe(400);
    expect(plus.json[0].errorCode).toBe('MALFORMED_QUERY');
    await expect(conn.query('SELECT Nope__r.Name FROM Task')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Nope__r'"),
    });
  });
});

describe('SOQL statement length', () => {
  test('a statement over 100,000 characters is refused (in a Composite body, where the URI limit does not apply)', async () => {
    const list = Array.from({ length: 7000 }, (_, i) => `'K-${String(i).padStart(10, '0')}'`).join(',');
    const soql = `SELECT Id FROM Web_Session__c WHERE Session_Key__c IN (${list})`;
    expect(soql.length).toBeGreaterThan(100_000);
    const out: any = await conn.request({
      method: 'POST',
      url: `${V}/composite`,
      body: JSON.stringify({
        compositeRequest: [
          { method: 'GET', url: `${V}/query?q=${encodeURIComponent(soql)}`, referenceId: 'q' },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(out.compositeResponse[0].httpStatusCode).toBe(400);
    expect(out.compositeResponse[0].body[0]).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('cannot be longer than 100,000 characters'),
    });
  });

  test('?columns=true lists a sub-query as one aggregate column with its own columns inside, as sf data query reads it', async () => {
    const q = encodeURIComponent('SELECT Name, (SELECT LastName, Account.Name FROM Contacts) FROM Account');
    const r = await call(org, 'GET', `${V}/query?q=${q}&columns=true`);
    expect(r.status).toBe(200);
    const [name, contacts] = r.json.columnMetadata;
    expect(name).toMatchObject({ columnName: 'Name', aggregate: false, joinColumns: [] });
    expect(contacts).toMatchObject({ columnName: 'Contacts', aggregate: true, apexType: null });
    expect(contacts.joinColumns.map((c: any) => c.columnName)).toEqual(['LastName', 'Account']);
    expect(contacts.joinColumns[1].joinColumns[0]).toMatchObject({ columnName: 'Name', aggregate: false });
  });
});
