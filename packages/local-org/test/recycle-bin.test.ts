import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { call, startOrg, V } from './helpers';

// The Recycle Bin through jsforce: a delete is soft (query misses the row, queryAll shows it with
// IsDeleted = true) until the SOAP call emptyRecycleBin() hard-deletes it (packages/local-org/README.md).
let org: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  ({ org, conn } = await startOrg());
});
afterAll(() => org.close());

const newLead = async (lastName: string) =>
  ((await conn.sobject('Lead').create({ LastName: lastName, Company: 'Bin Co' })) as { id: string }).id;
const soql = (name: string) => `SELECT Id, IsDeleted FROM Lead WHERE LastName = '${name}'`;
/** jsforce's queryAll: GET /services/data/vXX.X/queryAll?q=… */
const binned = (name: string) => conn.query(soql(name), { scanAll: true });

describe('Recycle Bin', () => {
  test('a deleted record leaves query but queryAll shows it with IsDeleted true, until emptied', async () => {
    const id = await newLead('Binned');
    await conn.sobject('Lead').destroy(id);
    expect((await conn.query(soql('Binned'))).records).toEqual([]);
    const all = await binned('Binned');
    expect(all.records.map((r: any) => [r.Id, r.IsDeleted])).toEqual([[id, true]]);

    const results: any = await conn.soap.emptyRecycleBin([id]);
    expect([results].flat()).toEqual(
      [{ id, success: true, errors: [] }].map((r) => expect.objectContaining(r)),
    );
    expect((await binned('Binned')).totalSize).toBe(0);
    // Gone for good: the REST resource no longer knows the id either.
    expect((await call(org, 'GET', `${V}/sobjects/Lead/${id}`)).json[0].errorCode).toBe('NOT_FOUND');
  });

  test('records deleted through sObject Collections land in the bin the same way', async () => {
    const ids = [await newLead('Collected'), await newLead('Collected')];
    const res = await call(org, 'DELETE', `${V}/composite/sobjects?ids=${ids.join(',')}&allOrNone=true`);
    expect(res.json.map((r: any) => r.success)).toEqual([true, true]);
    expect((await conn.query(soql('Collected'))).totalSize).toBe(0);
    expect((await binned('Collected')).totalSize).toBe(2);
    const results: any = await conn.soap.emptyRecycleBin(ids);
    expect(results.map((r: any) => r.success)).toEqual([true, true]);
    expect((await binned('Collected')).totalSize).toBe(0);
  });

  test('201 ids is the EXCEEDED_ID_LIMIT fault and nothing is emptied', async () => {
    const id = await newLead('TooMany');
    await conn.sobject('Lead').destroy(id);
    const ids = [id, ...Array.from({ length: 200 }, () => id)];
    await expect(conn.soap.emptyRecycleBin(ids)).rejects.toThrow(/EXCEEDED_ID_LIMIT/);
    expect((await binned('TooMany')).totalSize).toBe(1);
  });

  test('an id not in the bin fails alone; the others are emptied', async () => {
    const live = await newLead('Alive');
    const gone = await newLead('Emptied');
    await conn.sobject('Lead').destroy(gone);
    const results: any = await conn.soap.emptyRecycleBin([live, gone]);
    expect(results.map((r: any) => [r.id, r.success, r.errors?.[0]?.statusCode ?? null])).toEqual([
      [live, false, 'INVALID_ID_FIELD'],
      [gone, true, null],
    ]);
    expect((await conn.query(soql('Alive'))).totalSize).toBe(1); // the live record is untouched
    expect((await binned('Emptied')).totalSize).toBe(0);
    // Emptying the same id again: it is no longer in the bin.
    const again: any = await conn.soap.emptyRecycleBin([gone]);
    expect([again].flat().map((r: any) => [r.success, r.errors?.[0]?.statusCode])).toEqual([
      [false, 'INVALID_ID_FIELD'],
    ]);
  });
});
