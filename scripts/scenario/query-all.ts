import type { Connection, Record as SfRecord } from 'jsforce';

/** Every row of a SOQL query through a jsforce Connection, following nextRecordsUrl page by page. */
export async function queryAllRows<T extends SfRecord>(conn: Connection, soql: string): Promise<T[]> {
  const rows: T[] = [];
  let page = await conn.query<T>(soql);
  rows.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await conn.queryMore<T>(page.nextRecordsUrl);
    rows.push(...page.records);
  }
  return rows;
}
