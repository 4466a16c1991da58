import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { call, startOrg, V } from './helpers';

// A blocking duplicate rule configured for the test answers DUPLICATES_DETECTED with the DuplicateResult
// (matchResults / matchRecords) Salesforce documents (packages/local-org/README.md "Duplicate rules").
let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg());
  const put = await call(org, 'PUT', '/_local/duplicate-rules', {
    rules: [{ name: 'Lead_Phone_Rule', object: 'Lead', field: 'Phone', matchObjects: ['Lead', 'Contact'] }],
  });
  expect(put.status).toBe(200);
});
afterAll(() => org.close());

describe('duplicate rules', () => {
  test('a Lead whose phone matches an existing Lead and Contact fails with the match result', async () => {
    const lead = (await conn
      .sobject('Lead')
      .create({ LastName: 'First', Company: 'Co', Phone: '(415) 555-1234' })) as {
      id: string;
    };
    const contact = (await conn.sobject('Contact').create({ LastName: 'Known', Phone: '+14155551234' })) as {
      id: string;
    };
    const res = await call(org, 'POST', `${V}/sobjects/Lead`, {
      LastName: 'Again',
      Company: 'Co',
      Phone: '415-555-1234',
    });
    expect(res.status).toBe(400);
    const [err] = res.json;
    expect(err.errorCode).toBe('DUPLICATES_DETECTED');
    expect(err.duplicateResult).toMatchObject({
      allowSave: false,
      duplicateRule: 'Lead_Phone_Rule',
      duplicateRuleEntityType: 'Lead',
    });
    expect(
      err.duplicateResult.matchResults.map((m: any) => [
        m.entityType,
        m.size,
        m.matchRecords.map((r: any) => r.record.Id),
      ]),
    ).toEqual([
      ['Lead', 1, [lead.id]],
      ['Contact', 1, [contact.id]],
    ]);
    expect(err.duplicateResult.matchResults[0].matchRecords[0].record.attributes).toEqual({
      type: 'Lead',
      url: `${V}/sobjects/Lead/${lead.id}`,
    });
    // jsforce surfaces the same error code, and nothing was created.
    await expect(
      conn.sobject('Lead').create({ LastName: 'Again', Company: 'Co', Phone: '4155551234' }),
    ).rejects.toMatchObject({ errorCode: 'DUPLICATES_DETECTED' });
    expect((await conn.query(`SELECT Id FROM Lead WHERE LastName = 'Again'`)).totalSize).toBe(0);
  });

  test('in sObject Collections with allOrNone=false only the duplicate item fails', async () => {
    await conn.sobject('Lead').create({ LastName: 'Owner', Company: 'Co', Phone: '(212) 555-0100' });
    const results: any = await conn.sobject('Lead').create(
      [
        { LastName: 'Fresh', Company: 'Co', Phone: '(212) 555-0199' },
        { LastName: 'Dupe', Company: 'Co', Phone: '212.555.0100' },
      ],
      { allOrNone: false },
    );
    expect(results.map((r: any) => [r.success, r.errors[0]?.statusCode ?? null])).toEqual([
      [true, null],
      [false, 'DUPLICATES_DETECTED'],
    ]);
    const raw = await call(org, 'POST', `${V}/composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: 'Lead' }, LastName: 'Dupe2', Company: 'Co', Phone: '2125550100' }],
    });
    expect(raw.json[0].errors[0].duplicateResult.matchResults[0].matchRecords).toHaveLength(1);
    expect((await conn.query(`SELECT Id FROM Lead WHERE LastName IN ('Dupe', 'Dupe2')`)).totalSize).toBe(0);
  });

  test('a bad rule is refused with the field to fix', async () => {
    const res = await call(org, 'PUT', '/_local/duplicate-rules', {
      rules: [{ name: 'X', object: 'Lead', field: 'Fax' }],
    });
    expect(res.status).toBe(400);
    expect(res.json[0].message).toContain('rules[0].field');
  });
});
