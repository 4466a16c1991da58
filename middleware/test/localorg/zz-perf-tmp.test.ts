import { startOrg } from './helpers';
test('perf', async () => {
  const { org, conn } = await startOrg({ preload: true });
  const N = 100000;
  let t = Date.now();
  for (let i = 0; i < N; i += 200) {
    await conn.sobject('Task').create(Array.from({ length: 200 }, (_, j) => ({ Subject: 'Call', Type: 'Call', BizibleId__c: `b${(i + j) % 5000}`, Vendor_Call_Id__c: `v${i + j}` })) as never);
  }
  console.log('create 100k via 500 collection requests ms', Date.now() - t);
  t = Date.now();
  const r = await conn.query("SELECT Id, BizibleId__c, SystemModstamp FROM Task WHERE BizibleId__c != null AND SystemModstamp > 2020-01-01T00:00:00Z ORDER BY SystemModstamp, Id LIMIT 2000");
  console.log('watermark query ms', Date.now() - t, r.records.length);
  t = Date.now();
  const all = await conn.query('SELECT Id FROM Task').run({ autoFetch: true, maxFetch: 200000 });
  console.log('full read 100k ms', Date.now() - t, all.records.length);
  t = Date.now();
  for (let k = 0; k < 10; k++) await conn.query(`SELECT Id FROM Task WHERE BizibleId__c = 'b${k}'`);
  console.log('10 indexed queries ms', Date.now() - t);
  t = Date.now();
  for (let k = 0; k < 10; k++) await conn.sobject('Task').upsert(Array.from({ length: 200 }, (_, j) => ({ Vendor_Call_Id__c: `v${k * 200 + j}`, CallDurationInSeconds: 5 })) as never, 'Vendor_Call_Id__c');
  console.log('10 upserts x200 ms', Date.now() - t);
  await org.close();
}, 600000);
