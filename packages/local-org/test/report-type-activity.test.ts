import JSZip from 'jszip';
import { startOrg } from './helpers';

// A custom report type whose primary object is Activities: Metadata API Developer Guide, "ReportType":
// baseObject is "The primary object for the custom report type … All objects, including custom objects,
// are supported"; custom activity fields are deployed on Activity and appear on Task and Event (Field
// Reference, "LookedUpFromActivity": an activity is "an event or a task"). The local org lets an Activity
// column name a field Task and Event both have, and refuses any other.

const NS = 'http://soap.sforce.com/2006/04/metadata';
const PACKAGE = `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="${NS}"><version>62.0</version></Package>`;
const ACTIVITY_FIELDS = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="${NS}">
  <fields><fullName>Call_Note__c</fullName><label>Call Note</label><type>Text</type><length>80</length></fields>
</CustomObject>`;

function reportType(fields: string[]): string {
  const columns = fields
    .map(
      (f) =>
        `<columns><checkedByDefault>true</checkedByDefault><field>${f}</field><table>Activity</table></columns>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ReportType xmlns="${NS}">
  <baseObject>Activity</baseObject><category>activities</category><deployed>true</deployed>
  <label>Activity Calls</label><sections>${columns}<masterLabel>Activities</masterLabel></sections>
</ReportType>`;
}

async function zip(files: Record<string, string>): Promise<Buffer> {
  const z = new JSZip();
  z.file('package.xml', PACKAGE);
  for (const [name, text] of Object.entries(files)) z.file(name, text);
  return z.generateAsync({ type: 'nodebuffer' });
}

const deploy = (conn: any, body: Buffer) =>
  conn.metadata.deploy(body, { rollbackOnError: true, singlePackage: true }).complete(true);
const problems = (r: any): string[] =>
  ([] as any[]).concat(r.details?.componentFailures ?? []).map((f) => String(f.problem));

describe('a custom report type over Activity', () => {
  test('deploys with standard activity fields and a custom field deployed on Activity', async () => {
    const { org, conn } = await startOrg({ preload: false });
    try {
      const fields = ['Subject', 'ActivityDate', 'WhoId', 'WhatId', 'Description', 'OwnerId', 'CreatedDate'];
      const r = await deploy(
        conn,
        await zip({
          'objects/Activity.object': ACTIVITY_FIELDS,
          'reportTypes/Activity_Calls.reportType': reportType([...fields, 'Call_Note__c']),
        }),
      );
      expect(problems(r)).toEqual([]);
      expect(r.success).toBe(true);
      // Later, on its own: the custom field is in the org now, so the report type still deploys.
      const again = await deploy(
        conn,
        await zip({ 'reportTypes/Activity_Calls.reportType': reportType(['Call_Note__c']) }),
      );
      expect(again.success).toBe(true);
    } finally {
      await org.close();
    }
  });

  test('an unknown field, or one only Task has, is refused naming the field; nothing is saved', async () => {
    const { org, conn } = await startOrg({ preload: false });
    try {
      const r = await deploy(
        conn,
        await zip({
          'objects/Activity.object': ACTIVITY_FIELDS,
          'reportTypes/Activity_Calls.reportType': reportType(['Subject', 'Call_Nope__c', 'Status']),
        }),
      );
      expect(r.success).toBe(false);
      expect(problems(r)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('no field Activity.Call_Nope__c for column Call_Nope__c'),
          expect.stringContaining('no field Activity.Status for column Status'),
        ]),
      );
      expect(problems(r).join('\n')).not.toContain('Subject');
      // Rolled back: the custom field was not saved, so a report type naming it alone is refused too.
      const alone = await deploy(
        conn,
        await zip({ 'reportTypes/Activity_Calls.reportType': reportType(['Call_Note__c']) }),
      );
      expect(alone.success).toBe(false);
      expect(problems(alone)).toEqual([expect.stringContaining('no field Activity.Call_Note__c')]);
    } finally {
      await org.close();
    }
  });
});
