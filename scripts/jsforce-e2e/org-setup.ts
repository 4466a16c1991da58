/**
 * The org half of jsforce's own e2e setup (its scripts/org-setup.mjs), for the local org: deploy the test
 * package's custom objects (BigTable__c, UpsertTable__c with ExtId__c) and fill BigTable__c with the 5 × 5,001
 * rows org-setup.mjs upserts. Run by scripts/jsforce-e2e.sh; reads the objects from the jsforce snapshot.
 *
 *   node dist/scripts/jsforce-e2e/org-setup.js <JSforceTestSuite dir>   (SF_LOGIN_URL, SF_ACCESS_TOKEN)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import JSZip from 'jszip';

/**
 * jsforce's scratch org definition asks for `hasSampleData`: a Developer Edition org's sample accounts with
 * contacts and opportunities (sobject.test.ts finds, sorts and includes them). A few of those records.
 */
const SAMPLE_ACCOUNTS = [
  {
    Name: 'Edge Communications',
    Contacts: ['Rose Gonzalez', 'Sean Forbes'],
    Opportunity: 'Edge Emergency Generator',
  },
  {
    Name: 'Burlington Textiles Corp of America',
    Contacts: ['Jack Rogers'],
    Opportunity: 'Burlington Textiles Weaving Plant Generator',
  },
  {
    Name: 'Pyramid Construction Inc.',
    Contacts: ['Pat Stumuller'],
    Opportunity: 'Pyramid Emergency Generators',
  },
  {
    Name: 'Grand Hotels & Resorts Ltd',
    Contacts: ['Tim Barr', 'John Bond'],
    Opportunity: 'Grand Hotels Kitchen Generator',
  },
  {
    Name: 'United Oil & Gas Corp.',
    Contacts: ['Stella Pavlova', 'Lauren Boyle'],
    Opportunity: 'United Oil Office Portable Generators',
  },
];

/** The objects jsforce's test/config names (bigTable, upsertTable); the rest of its package is Apex, workflow, … */
const OBJECTS = ['BigTable__c', 'UpsertTable__c'];
const BIG_TABLE_ROWS = 5 * 5001;

async function main(): Promise<void> {
  const packageDir = process.argv[2];
  const instanceUrl = process.env.SF_LOGIN_URL;
  const accessToken = process.env.SF_ACCESS_TOKEN;
  if (!packageDir || !instanceUrl || !accessToken) {
    console.error(
      'usage: SF_LOGIN_URL=… SF_ACCESS_TOKEN=… org-setup.js <jsforce test/package/JSforceTestSuite>',
    );
    process.exit(2);
  }
  const conn = new Connection({ instanceUrl, accessToken, version: '62.0' });

  const zip = new JSZip();
  const members = OBJECTS.map((o) => `<members>${o}</members>`).join('');
  zip.file(
    'package.xml',
    `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types>${members}<name>CustomObject</name></types><version>58.0</version></Package>`,
  );
  for (const o of OBJECTS)
    zip.file(`objects/${o}.object`, fs.readFileSync(path.join(packageDir, 'objects', `${o}.object`)));
  conn.metadata.pollTimeout = 60_000;
  const zipped = await zip.generateAsync({ type: 'nodebuffer' });
  const deployed = await conn.metadata.deploy(zipped, { rollbackOnError: true }).complete(true);
  if (!deployed.success) {
    console.error(`deploy of ${OBJECTS.join(', ')} failed:`, JSON.stringify(deployed.details, null, 2));
    process.exit(1);
  }
  console.log(`deployed ${OBJECTS.join(', ')}`);

  const count = await conn.sobject('BigTable__c').count({});
  if (count === 0) {
    const ownerId = (await conn.identity()).user_id;
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'BigTable__c',
      operation: 'insert',
      input: Array.from({ length: BIG_TABLE_ROWS }, () => ({ OwnerId: ownerId })),
    });
    if (res.failedResults.length) {
      console.error('BigTable__c rows failed:', res.failedResults.slice(0, 3));
      process.exit(1);
    }
  }
  console.log(`BigTable__c: ${await conn.sobject('BigTable__c').count({})} rows`);

  if ((await conn.sobject('Opportunity').count({})) === 0) {
    for (const [i, a] of SAMPLE_ACCOUNTS.entries()) {
      const account = await conn.sobject('Account').create({ Name: a.Name, Type: 'Customer - Direct' });
      if (!account.success) throw new Error(`sample account ${a.Name}: ${JSON.stringify(account)}`);
      for (const name of a.Contacts) {
        const [FirstName, LastName] = name.split(' ');
        await conn.sobject('Contact').create({ FirstName, LastName, AccountId: account.id });
      }
      await conn.sobject('Opportunity').create({
        Name: a.Opportunity,
        AccountId: account.id,
        StageName: 'Prospecting',
        CloseDate: `2026-0${i + 1}-15`,
        Amount: 10000 * (i + 1),
      });
    }
  }
  console.log(`sample data: ${SAMPLE_ACCOUNTS.length} accounts with contacts and opportunities`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
