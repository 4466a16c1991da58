import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { V, call, startOrg } from './helpers';

// POST /composite/tree/{sObject} (REST API Developer Guide, "sObject Tree"), what `sf data import tree` sends.
let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg());
});
afterAll(() => org.close());

const account = (ref: string, extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Account', referenceId: ref },
  Name: `Tree ${ref}`,
  ...extra,
});

describe('sObject Tree', () => {
  test('creates accounts with their nested contacts in one request: 201, every referenceId with its id', async () => {
    const before = org.apiRequests();
    const r = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: [
        account('a1', {
          Contacts: {
            records: [
              { attributes: { type: 'Contact', referenceId: 'c1' }, LastName: 'One' },
              { attributes: { type: 'Contact', referenceId: 'c2' }, LastName: 'Two' },
            ],
          },
        }),
        account('a2'),
      ],
    });
    expect(r.status).toBe(201);
    expect(r.json.hasErrors).toBe(false);
    expect(r.json.results.map((x: any) => x.referenceId)).toEqual(['a1', 'c1', 'c2', 'a2']);
    expect(org.apiRequests()).toBe(before + 1);
    const a1 = r.json.results[0].id;
    const contacts = await conn.query(`SELECT LastName, AccountId FROM Contact WHERE AccountId = '${a1}'`);
    expect(contacts.records.map((c: any) => c.LastName).sort()).toEqual(['One', 'Two']);
  });

  test('one bad record fails the whole request with 400 naming its referenceId, and nothing is saved', async () => {
    const r = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: [
        account('ok1'),
        account('bad1', { Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'bc' } }] } }),
      ],
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      hasErrors: true,
      results: [
        {
          referenceId: 'bc',
          errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] })],
        },
      ],
    });
    expect(
      (await conn.query("SELECT Id FROM Account WHERE Name IN ('Tree ok1', 'Tree bad1')")).totalSize,
    ).toBe(0);
  });

  test('more than 200 records, a missing or duplicate referenceId, or a record of another type are refused before anything is written', async () => {
    const tooMany = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: Array.from({ length: 201 }, (_, i) => account(`m${i}`)),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json[0].message).toContain('201 records; the limit is 200');
    const noRef = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: [{ attributes: { type: 'Account' }, Name: 'x' }],
    });
    expect(noRef.status).toBe(400);
    expect(noRef.json[0].message).toContain('referenceId');
    const dup = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: [account('d'), account('d')],
    });
    expect(dup.json[0].message).toContain('Duplicate ReferenceId provided in the request: d');
    const wrongType = await call(org, 'POST', `${V}/composite/tree/Account`, {
      records: [{ attributes: { type: 'Contact', referenceId: 'w' }, LastName: 'x' }],
    });
    expect(wrongType.status).toBe(400);
    expect((await conn.query("SELECT Id FROM Account WHERE Name LIKE 'Tree m%'")).totalSize).toBe(0);
  });

  test('the Tooling API test runs answer FUNCTIONALITY_NOT_ENABLED (403), not a bare NOT_FOUND', async () => {
    const r = await call(org, 'POST', `${V}/tooling/runTestsAsynchronous`, { testLevel: 'RunLocalTests' });
    expect(r.status).toBe(403);
    expect(r.json[0].errorCode).toBe('FUNCTIONALITY_NOT_ENABLED');
    expect(r.json[0].message).toContain('never compiles or runs them');
  });
});
