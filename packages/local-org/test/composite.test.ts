import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { V, call, startOrg } from './helpers';

let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg({ preload: true }));
});
afterAll(() => org.close());
afterEach(() => org.clearFaults());

type Result = { body: any; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string };

function composite(body: unknown): Promise<{ compositeResponse: Result[] }> {
  return conn.request({
    method: 'POST',
    url: `${V}/composite`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

const upsertSessions = (referenceId: string, records: Record<string, unknown>[]) => ({
  method: 'PATCH',
  url: `${V}/composite/sobjects/Web_Session__c/Session_Key__c`,
  referenceId,
  body: { allOrNone: false, records: records.map((r) => ({ attributes: { type: 'Web_Session__c' }, ...r })) },
});
const upsertTouchpoints = (referenceId: string, records: Record<string, unknown>[]) => ({
  method: 'PATCH',
  url: `${V}/composite/sobjects/Touchpoint__c/Touchpoint_Key__c`,
  referenceId,
  body: { allOrNone: false, records: records.map((r) => ({ attributes: { type: 'Touchpoint__c' }, ...r })) },
});
const query = (referenceId: string, soql: string) => ({
  method: 'GET',
  url: `${V}/query?q=${encodeURIComponent(soql)}`,
  referenceId,
});
const count = async (soql: string) => (await conn.query(soql)).totalSize;

describe('Composite resource (POST /composite)', () => {
  test('sessions, touchpoints referencing them by external id and Task updates in one API request', async () => {
    const task: any = await conn.sobject('Task').create({ Subject: 'Call', TaskSubtype: 'Call' });
    org.resetApiRequests();
    const out = await composite({
      allOrNone: false,
      collateSubrequests: false,
      compositeRequest: [
        upsertSessions('ws', [{ Session_Key__c: 'ws-a' }, { Session_Key__c: 'ws-b' }]),
        upsertTouchpoints('tp', [
          { Touchpoint_Key__c: 'tp-a', Web_Session__r: { Session_Key__c: 'ws-a' } },
          { Touchpoint_Key__c: 'tp-b', Web_Session__r: { Session_Key__c: 'ws-b' } },
        ]),
        {
          method: 'PATCH',
          url: `${V}/composite/sobjects`,
          referenceId: 'tasks',
          body: {
            allOrNone: false,
            records: [
              {
                attributes: { type: 'Task' },
                id: task.id,
                Call_Join_Status__c: 'Merged',
                Call_Touchpoint__r: { Touchpoint_Key__c: 'tp-a' },
              },
            ],
          },
        },
      ],
    });
    expect(org.apiRequests()).toBe(1);
    const usage = await call(org, 'GET', '/_local/requests');
    expect(usage.json.byKind).toEqual({ composite: 1 });

    expect(out.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['ws', 200],
      ['tp', 200],
      ['tasks', 200],
    ]);
    expect(out.compositeResponse[0].body).toEqual([
      { id: expect.stringMatching(/^a0/), success: true, errors: [], created: true },
      { id: expect.stringMatching(/^a0/), success: true, errors: [], created: true },
    ]);
    expect(out.compositeResponse[2].body).toEqual([{ id: task.id, success: true, errors: [] }]);
    const [t] = (
      await conn.query<any>(
        `SELECT Call_Join_Status__c, Call_Touchpoint__r.Touchpoint_Key__c FROM Task WHERE Id = '${task.id}'`,
      )
    ).records;
    expect(t.Call_Join_Status__c).toBe('Merged');
    expect(t.Call_Touchpoint__r.Touchpoint_Key__c).toBe('tp-a');
    const [tp] = (
      await conn.query<any>(
        "SELECT Web_Session__r.Session_Key__c FROM Touchpoint__c WHERE Touchpoint_Key__c = 'tp-b'",
      )
    ).records;
    expect(tp.Web_Session__r.Session_Key__c).toBe('ws-b');
  });

  test('allOrNone=false: a touchpoint whose session failed in the same composite fails on its own', async () => {
    const out = await composite({
      allOrNone: false,
      collateSubrequests: false,
      compositeRequest: [
        upsertSessions('ws', [
          { Session_Key__c: 'ws-ok' },
          { Session_Key__c: 'ws-bad', Channel__c: 'x'.repeat(81) }, // Text(80)
        ]),
        upsertTouchpoints('tp', [
          { Touchpoint_Key__c: 'tp-ok', Web_Session__r: { Session_Key__c: 'ws-ok' } },
          { Touchpoint_Key__c: 'tp-bad', Web_Session__r: { Session_Key__c: 'ws-bad' } },
        ]),
        query(
          'q',
          "SELECT Touchpoint_Key__c FROM Touchpoint__c WHERE Touchpoint_Key__c IN ('tp-ok', 'tp-bad')",
        ),
      ],
    });
    const [ws, tp, q] = out.compositeResponse;
    expect(ws.body.map((i: any) => i.success)).toEqual([true, false]);
    expect(ws.body[1].errors[0].statusCode).toBe('STRING_TOO_LONG');
    expect(tp.httpStatusCode).toBe(200);
    expect(tp.body[0].success).toBe(true);
    expect(tp.body[1]).toMatchObject({
      success: false,
      errors: [
        {
          statusCode: 'INVALID_FIELD',
          message: expect.stringContaining('Foreign key external ID: ws-bad not found'),
        },
      ],
    });
    // Later subrequests still run and see what the earlier ones wrote.
    expect(q.body.records.map((r: any) => r.Touchpoint_Key__c)).toEqual(['tp-ok']);
  });

  test('allOrNone=true: the first failure rolls everything back; the others answer PROCESSING_HALTED', async () => {
    const out = await composite({
      allOrNone: true,
      compositeRequest: [
        upsertSessions('ws', [{ Session_Key__c: 'ws-all-1' }]),
        upsertTouchpoints('tp', [{ Touchpoint_Key__c: 'tp-all-1', Touchpoint_Type__c: 'x'.repeat(500) }]),
        upsertTouchpoints('never', [{ Touchpoint_Key__c: 'tp-all-2' }]),
      ],
    });
    const [ws, tp, never] = out.compositeResponse;
    expect(tp.httpStatusCode).toBe(400);
    expect(tp.body[0].errors[0].statusCode).toBe('STRING_TOO_LONG');
    for (const r of [ws, never]) {
      expect(r.httpStatusCode).toBe(400);
      expect(r.body).toEqual([
        {
          errorCode: 'PROCESSING_HALTED',
          message: 'The transaction was rolled back since another operation in the same transaction failed.',
        },
      ]);
    }
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c = 'ws-all-1'")).toBe(0);
    expect(await count("SELECT Id FROM Touchpoint__c WHERE Touchpoint_Key__c LIKE 'tp-all-%'")).toBe(0);
  });

  test('enforces 25 subrequests and 5 collection/query subrequests per request; nothing runs over the limit', async () => {
    const accounts = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({
        method: 'POST',
        url: `${V}/sobjects/Account`,
        referenceId: `${prefix}${i}`,
        body: { Name: `${prefix}${i}` },
      }));
    await expect(composite({ compositeRequest: accounts(26, 'tooMany') })).rejects.toMatchObject({
      errorCode: 'LIMIT_EXCEEDED',
    });
    expect(await count("SELECT Id FROM Account WHERE Name LIKE 'tooMany%'")).toBe(0);

    const heavy = (n: number) => [
      ...Array.from({ length: n - 1 }, (_, i) => upsertSessions(`c${i}`, [{ Session_Key__c: `heavy-${i}` }])),
      query('q', 'SELECT Id FROM User'),
    ];
    await expect(composite({ compositeRequest: heavy(6) })).rejects.toMatchObject({
      errorCode: 'LIMIT_EXCEEDED',
      message: expect.stringContaining('at most 5 sObject Collections or query subrequests'),
    });
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'heavy-%'")).toBe(0);

    // 5 heavy + 20 single-record subrequests = 25: allowed.
    const ok = await composite({ compositeRequest: [...heavy(5), ...accounts(20, 'fits')] });
    expect(ok.compositeResponse).toHaveLength(25);
    expect(ok.compositeResponse.every((r) => r.httpStatusCode < 300)).toBe(true);
    expect(ok.compositeResponse[5]).toMatchObject({
      httpStatusCode: 201,
      httpHeaders: { Location: expect.any(String) },
    });
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'heavy-%'")).toBe(4);
  });

  test('a collection subrequest over 200 records fails alone; a malformed body fails the whole request', async () => {
    const out = await composite({
      compositeRequest: [
        upsertSessions(
          'big',
          Array.from({ length: 201 }, (_, i) => ({ Session_Key__c: `big-${i}` })),
        ),
        upsertSessions('small', [{ Session_Key__c: 'small-1' }]),
      ],
    });
    expect(out.compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'EXCEEDED_ID_LIMIT' }],
    });
    expect(out.compositeResponse[1].httpStatusCode).toBe(200);
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'big-%'")).toBe(0);

    const r = await call(org, 'POST', `${V}/composite`, {
      compositeRequest: [{ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+User` }],
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual([
      { errorCode: 'JSON_PARSER_ERROR', message: "'referenceId' is a required field." },
    ]);
  });

  test('@{ref.field} references: a dependent subrequest runs with the value, or halts when its source failed', async () => {
    const out = await composite({
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Ref Co' } },
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'contact',
          body: { LastName: 'Ref', AccountId: '@{acct.id}' },
        },
        { method: 'GET', url: `${V}/sobjects/Account/@{acct.id}?fields=Name`, referenceId: 'back' },
        { method: 'POST', url: `${V}/sobjects/Nope__c`, referenceId: 'broken', body: {} },
        { method: 'GET', url: `${V}/sobjects/Account/@{broken.id}`, referenceId: 'orphan' },
      ],
    });
    const byRef = Object.fromEntries(out.compositeResponse.map((r) => [r.referenceId, r]));
    expect(byRef.contact.httpStatusCode).toBe(201);
    expect(byRef.back.body.Name).toBe('Ref Co');
    expect(byRef.broken.httpStatusCode).toBe(404);
    expect(byRef.orphan).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
  });

  test('faults: row locks hit single records of a collection subrequest; a 503 fails the whole request, once', async () => {
    org.setFaults({ lockRowRate: 0.5, seed: 7 });
    const keys = Array.from({ length: 20 }, (_, i) => `lock-${i}`);
    const out = await composite({
      compositeRequest: [
        upsertSessions(
          'ws',
          keys.map((k) => ({ Session_Key__c: k })),
        ),
      ],
    });
    const items = out.compositeResponse[0].body as any[];
    const locked = items.filter((i) => !i.success);
    // Seed 7 at rate 0.5 locks the same 11 of 20 on every run: some items fail, the others are saved.
    expect(locked.length).toBe(11);
    expect(new Set(locked.map((i) => i.errors[0].statusCode))).toEqual(new Set(['UNABLE_TO_LOCK_ROW']));
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'lock-%'")).toBe(
      20 - locked.length,
    );

    org.setFaults({ errorRate503: 1 });
    org.resetApiRequests();
    const r = await call(org, 'POST', `${V}/composite`, {
      compositeRequest: [upsertSessions('ws', [{ Session_Key__c: 'never-503' }])],
    });
    expect(r.status).toBe(503);
    expect(r.json[0].errorCode).toBe('SERVER_UNAVAILABLE');
    expect(org.apiRequests()).toBe(1);
    org.clearFaults();
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c = 'never-503'")).toBe(0);
  });

  test('faults: refuseBodiesContaining refuses a whole Composite or Composite Graph request (400 JSON_PARSER_ERROR), nothing runs', async () => {
    org.setFaults({ refuseBodiesContaining: 'poison-value' });
    const mixed = [
      upsertSessions('ws', [{ Session_Key__c: 'refused-good' }, { Session_Key__c: 'refused-poison-value' }]),
    ];
    const c = await call(org, 'POST', `${V}/composite`, { compositeRequest: mixed });
    expect(c.status).toBe(400);
    expect(c.json[0].errorCode).toBe('JSON_PARSER_ERROR');
    const g = await call(org, 'POST', `${V}/composite/graph`, {
      graphs: [{ graphId: 'g1', compositeRequest: mixed }],
    });
    expect(g.status).toBe(400);
    expect(g.json[0].errorCode).toBe('JSON_PARSER_ERROR');
    // A body without the text is not touched; GET is never refused.
    const ok = await composite({
      compositeRequest: [upsertSessions('ws', [{ Session_Key__c: 'refused-good' }])],
    });
    expect(ok.compositeResponse[0].httpStatusCode).toBe(200);
    expect(await count("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'refused-%'")).toBe(1);
    org.clearFaults();
    const bad = await call(org, 'PUT', '/_local/faults', { refuseBodiesContaining: 3 });
    expect(bad.status).toBe(400);
  });
});
