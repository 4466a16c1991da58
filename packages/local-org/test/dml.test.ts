import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { V, call, startOrg } from './helpers';

let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg({ preload: true }));
});
afterAll(() => org.close());

describe('sObject CRUD', () => {
  test('create, read, update (SystemModstamp moves), delete', async () => {
    const created: any = await conn
      .sobject('Lead')
      .create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Engines', Email: 'ada@example.com' });
    expect(created).toEqual({ id: expect.stringMatching(/^00Q[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const lead: any = await conn.sobject('Lead').retrieve(created.id);
    expect(lead).toMatchObject({ Name: 'Ada Lovelace', Status: 'Open - Not Contacted', IsDeleted: false });
    expect(lead.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    await new Promise((r) => setTimeout(r, 5));
    await conn.sobject('Lead').update({ Id: created.id.slice(0, 15), Phone: '+15550001111' }); // 15-char ids accepted
    const after: any = await conn.sobject('Lead').retrieve(created.id);
    expect(after.Phone).toBe('+15550001111');
    expect(Date.parse(after.SystemModstamp.replace('+0000', 'Z'))).toBeGreaterThan(
      Date.parse(lead.SystemModstamp.replace('+0000', 'Z')),
    );
    await conn.sobject('Lead').destroy(created.id);
    await expect(conn.sobject('Lead').retrieve(created.id)).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
    const all = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${created.id}'`);
    expect(all.totalSize).toBe(0);
    const withDeleted = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${created.id}'`, {
      scanAll: true,
    });
    expect(withDeleted.records[0]).toMatchObject({ IsDeleted: true });
  });

  test('collections retrieve and delete, global describe', async () => {
    const made: any[] = await conn.sobject('Account').create([{ Name: 'One' }, { Name: 'Two' }]);
    const got: any[] = await conn.sobject('Account').retrieve([made[0].id, made[1].id]);
    expect(got.map((a) => a.Name)).toEqual(['One', 'Two']);
    const gone: any[] = await conn.sobject('Account').destroy([made[0].id, made[1].id, '001000000000zzzAAA']);
    expect(gone.map((g) => g.success)).toEqual([true, true, false]);
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((o) => o.name)).toEqual(
      expect.arrayContaining(['Task', 'Event', 'Lead', 'Touchpoint__c']),
    );
    expect(global.sobjects.find((o) => o.name === 'Task')?.keyPrefix).toBe('00T');
  });

  test('required fields, unknown fields, restricted picklists and bad lookups fail like Salesforce', async () => {
    await expect(conn.sobject('Lead').create({ FirstName: 'No' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName, Company]',
    });
    const r = await call(org, 'POST', `${V}/sobjects/Task`, { Subject: 'x', Foo__c: 1 });
    expect(r.status).toBe(400);
    expect(r.json).toEqual([
      { errorCode: 'INVALID_FIELD', message: "No such column 'Foo__c' on sobject of type Task" },
    ]);
    await expect(conn.sobject('Task').create({ CallType: 'Sideways' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
    await expect(conn.sobject('Task').create({ WhoId: '00Q000000000zzzAAA' })).rejects.toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
    });
    expect((await call(org, 'POST', `${V}/sobjects/Nope__c`, {})).status).toBe(404);
  });

  test('TaskSubtype is settable on create only', async () => {
    const t: any = await conn
      .sobject('Task')
      .create({ Subject: 'Call', TaskSubtype: 'Call', CallType: 'Inbound' });
    await conn
      .sobject('Task')
      .update({ Id: t.id, CallDurationInSeconds: 42, CallType: 'Outbound', CallDisposition: 'Answered' });
    const r = await call(org, 'PATCH', `${V}/sobjects/Task/${t.id}`, { TaskSubtype: 'Email' });
    expect(r.status).toBe(400);
    expect(r.json[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['TaskSubtype'],
    });
    expect(r.json[0].message).toContain('Unable to create/update fields: TaskSubtype.');
    const back: any = await conn.sobject('Task').retrieve(t.id);
    expect(back).toMatchObject({ TaskSubtype: 'Call', CallDurationInSeconds: 42, CallType: 'Outbound' });
  });
});

describe('upsert by external id', () => {
  test('single upsert: 201 created, 200 updated, 300 several matches, 404 unknown field', async () => {
    const path = `${V}/sobjects/Task/Vendor_Call_Id__c/${encodeURIComponent('callrail:CAL1')}`;
    const first = await call(org, 'PATCH', path, { Subject: 'Call', CallDurationInSeconds: 10 });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      id: expect.stringMatching(/^00T/),
      success: true,
      errors: [],
      created: true,
    });
    const second = await call(org, 'PATCH', path, { CallDurationInSeconds: 20 });
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ id: first.json.id, success: true, errors: [], created: false });
    // BizibleId__c is an external id but not unique: two matches → 300 Multiple Choices.
    await conn.sobject('Task').create([{ BizibleId__c: 'dup' }, { BizibleId__c: 'dup' }]);
    const many = await call(org, 'PATCH', `${V}/sobjects/Task/BizibleId__c/dup`, { Subject: 'x' });
    expect(many.status).toBe(300);
    expect(many.json).toHaveLength(2);
    const unknown = await call(org, 'PATCH', `${V}/sobjects/Task/Nope__c/1`, { Subject: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json[0].errorCode).toBe('NOT_FOUND');
  });

  test('collections upsert: 200 with per-record results in request order, created flags, DUPLICATE_VALUE per record', async () => {
    await conn.sobject('Web_Session__c').create({ Session_Key__c: 'ws-existing', Page_Views__c: 1 } as never);
    const res: any[] = await conn.sobject('Web_Session__c').upsert(
      [
        { Session_Key__c: 'ws-new', Page_Views__c: 3 },
        { Session_Key__c: 'ws-existing', Page_Views__c: 9 },
      ] as never,
      'Session_Key__c',
    );
    expect(res).toEqual([
      { id: expect.stringMatching(/^a0/), success: true, errors: [], created: true },
      { id: expect.any(String), success: true, errors: [], created: false },
    ]);
    const tps: any[] = await conn
      .sobject('Touchpoint__c')
      .upsert(
        [{ Touchpoint_Key__c: 'tp-a', Task_Id__c: 'x' }, { Touchpoint_Key__c: 'tp-b' }] as never,
        'Touchpoint_Key__c',
      );
    expect(tps.every((t) => t.success)).toBe(true);
    // Touchpoint_Key__c is unique: updating tp-b's key to tp-a is a DUPLICATE_VALUE for that record only.
    const upd: any[] = await conn.sobject('Touchpoint__c').update([
      { Id: tps[1].id, Touchpoint_Key__c: 'tp-a' },
      { Id: tps[0].id, Medium__c: 'cpc' },
    ] as never);
    expect(upd[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'DUPLICATE_VALUE', fields: ['Touchpoint_Key__c'] }],
    });
    expect(upd[0].errors[0].message).toBe(
      `duplicate value found: Touchpoint_Key__c duplicates value on record with id: ${tps[0].id}`,
    );
    expect(upd[1]).toEqual({ id: tps[0].id, success: true, errors: [] });
  });

  test('allOrNone: one failure rolls every record back', async () => {
    const r = await call(org, 'POST', `${V}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'aon-1' },
        { attributes: { type: 'Lead' }, FirstName: 'missing last name and company' },
        { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'aon-3' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.map((x: any) => x.errors[0].statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ]);
    expect(
      (await conn.query("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'aon-%'")).totalSize,
    ).toBe(0);
    // Same request without allOrNone: the good records are saved.
    const partial = await call(org, 'POST', `${V}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Web_Session__c' }, Session_Key__c: 'aon-1' },
        { attributes: { type: 'Lead' }, FirstName: 'x' },
      ],
    });
    expect(partial.json.map((x: any) => x.success)).toEqual([true, false]);
    expect(
      (await conn.query("SELECT Id FROM Web_Session__c WHERE Session_Key__c LIKE 'aon-%'")).totalSize,
    ).toBe(1);
  });

  test('more than 200 records → 400 EXCEEDED_ID_LIMIT; an unknown field fails the whole request', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Web_Session__c' },
      Session_Key__c: `big-${i}`,
    }));
    const r = await call(org, 'POST', `${V}/composite/sobjects`, { records });
    expect(r.status).toBe(400);
    expect(r.json[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    const bad = await call(org, 'PATCH', `${V}/composite/sobjects/Task/Vendor_Call_Id__c`, {
      records: [{ attributes: { type: 'Task' }, Vendor_Call_Id__c: 'v1', Not_Deployed__c: 'x' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json[0].errorCode).toBe('INVALID_FIELD');
  });
});

describe('foreign keys by external id', () => {
  test('a relationship object sets the lookup; an unknown key fails; null clears it', async () => {
    await conn.sobject('Web_Session__c').create({ Session_Key__c: 'fk-session' } as never);
    const tp: any[] = await conn.sobject('Touchpoint__c').upsert(
      [
        { Touchpoint_Key__c: 'fk-1', Web_Session__r: { Session_Key__c: 'fk-session' } },
        { Touchpoint_Key__c: 'fk-2', Web_Session__r: { Session_Key__c: 'no-such-session' } },
      ] as never,
      'Touchpoint_Key__c',
    );
    expect(tp[0].success).toBe(true);
    expect(tp[1]).toMatchObject({ success: false });
    expect(tp[1].errors[0]).toMatchObject({
      statusCode: 'INVALID_FIELD',
      message:
        'Foreign key external ID: no-such-session not found for field Session_Key__c in entity Web_Session__c',
    });
    const q: any = await conn.query(
      "SELECT Web_Session__c, Web_Session__r.Session_Key__c FROM Touchpoint__c WHERE Touchpoint_Key__c = 'fk-1'",
    );
    expect(q.records[0].Web_Session__r.Session_Key__c).toBe('fk-session');
    await conn.sobject('Touchpoint__c').update({ Id: tp[0].id, Web_Session__c: null } as never);
    const cleared: any = await conn.sobject('Touchpoint__c').retrieve(tp[0].id);
    expect(cleared.Web_Session__c).toBeNull();
  });

  test('deleting a parent clears the lookups to it (SetNull)', async () => {
    const tp: any = await conn.sobject('Touchpoint__c').create({ Touchpoint_Key__c: 'setnull-1' } as never);
    const task: any = await conn
      .sobject('Task')
      .create({ Subject: 'Call', Call_Touchpoint__c: tp.id } as never);
    await conn.sobject('Touchpoint__c').destroy(tp.id);
    const back: any = await conn.sobject('Task').retrieve(task.id);
    expect(back.Call_Touchpoint__c).toBeNull();
  });

  test('email fields are validated', async () => {
    await expect(
      conn.sobject('Contact').create({ LastName: 'X', Email: 'not-an-email' }),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
  });

  test('custom objects get an autonumber Name and the a0x key prefix', async () => {
    const r: any = await conn.sobject('Touchpoint__c').create({ Touchpoint_Key__c: 'auto-1' } as never);
    const rec: any = await conn.sobject('Touchpoint__c').retrieve(r.id);
    expect(rec.Name).toMatch(/^TP-\d{6}$/);
    // Custom objects get a0x prefixes in force-app's order: Opportunity_Touchpoint__c, Touchpoint__c, Web_Session__c.
    expect(r.id.slice(0, 3)).toBe('a02');
  });
});
