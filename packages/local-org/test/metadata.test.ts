import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg } from '../src';
import { startOrg } from './helpers';

describe('Metadata API (SOAP) on an empty org', () => {
  test('a field that was never deployed answers INVALID_FIELD; after upsertMetadata the same query works', async () => {
    const { org, conn } = await startOrg({ preload: false });
    try {
      const soql = 'SELECT Id, BizibleId__c FROM Task WHERE BizibleId__c != null';
      await expect(conn.query(soql)).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'BizibleId__c' on entity 'Task'"),
      });
      const before = await conn.metadata.read('CustomField', 'Activity.BizibleId__c');
      expect((before as any).fullName).toBeUndefined();

      const result = await conn.metadata.upsert('CustomField', [
        {
          fullName: 'Activity.BizibleId__c',
          label: 'BizibleId',
          type: 'Text',
          length: 255,
          externalId: true,
        } as any,
      ]);
      expect(result).toEqual([
        { created: true, fullName: 'Activity.BizibleId__c', success: true, errors: [] },
      ]);
      expect((await conn.query(soql)).totalSize).toBe(0);
      // It is on Event too, and in describe, at once.
      await conn.query('SELECT BizibleId__c FROM Event');
      const describe = await conn.sobject('Task').describe();
      expect(describe.fields.find((f) => f.name === 'BizibleId__c')).toMatchObject({
        type: 'string',
        length: 255,
        externalId: true,
        custom: true,
      });

      const onTask: any = await conn.metadata.upsert('CustomField', {
        fullName: 'Task.Other__c',
        label: 'Other',
        type: 'Text',
        length: 10,
      } as any);
      expect(onTask.success).toBe(false);
      expect(onTask.errors[0].message).toContain('use Activity.Other__c');

      const again = await conn.metadata.upsert('CustomField', {
        fullName: 'Activity.BizibleId__c',
        label: 'BizibleId',
        type: 'Text',
        length: 255,
        externalId: true,
      } as any);
      expect(again).toMatchObject({ created: false, success: true });
      const read: any = await conn.metadata.read('CustomField', 'Activity.BizibleId__c');
      expect(read).toMatchObject({
        fullName: 'Activity.BizibleId__c',
        type: 'Text',
        length: 255,
        externalId: true,
      });
    } finally {
      await org.close();
    }
  });

  test('custom objects, lookups and permission sets deploy in dependency order; errors are per component', async () => {
    const { org, conn } = await startOrg({ preload: false });
    // The same lookup twice: refused while Touchpoint__c does not exist, accepted once it does.
    const lookupField = {
      fullName: 'Activity.Call_Touchpoint__c',
      label: 'Call Touchpoint',
      type: 'Lookup',
      referenceTo: 'Touchpoint__c',
      relationshipName: 'Call_Tasks',
    } as any;
    try {
      const early: any = await conn.metadata.upsert('CustomField', lookupField);
      expect(early.success).toBe(false);
      expect(early.errors[0]).toMatchObject({ statusCode: 'FIELD_INTEGRITY_EXCEPTION' });

      const obj: any = await conn.metadata.upsert('CustomObject', {
        fullName: 'Touchpoint__c',
        label: 'Touchpoint',
        pluralLabel: 'Touchpoints',
        nameField: { type: 'AutoNumber', label: 'Touchpoint Name', displayFormat: 'TP-{000000}' },
        deploymentStatus: 'Deployed',
        sharingModel: 'ReadWrite',
        fields: [
          {
            fullName: 'Touchpoint_Key__c',
            label: 'Touchpoint Key',
            type: 'Text',
            length: 120,
            externalId: true,
            unique: true,
          },
        ],
      } as any);
      expect(obj).toMatchObject({ created: true, success: true });
      const lookup: any = await conn.metadata.upsert('CustomField', lookupField);
      expect(lookup.success).toBe(true);
      await conn.query('SELECT Call_Touchpoint__r.Touchpoint_Key__c FROM Task');

      const badPs: any = await conn.metadata.upsert('PermissionSet', {
        fullName: 'Integration',
        label: 'Integration',
        fieldPermissions: [{ field: 'Activity.Call_Touchpoint__c', editable: true, readable: true }],
      } as any);
      expect(badPs.success).toBe(false);
      const ps: any = await conn.metadata.upsert('PermissionSet', {
        fullName: 'Integration',
        label: 'Integration',
        fieldPermissions: [
          { field: 'Task.Call_Touchpoint__c', editable: true, readable: true },
          { field: 'Event.Call_Touchpoint__c', editable: true, readable: true },
        ],
        objectPermissions: [
          {
            object: 'Touchpoint__c',
            allowRead: true,
            allowCreate: true,
            allowEdit: true,
            allowDelete: false,
            modifyAllRecords: false,
            viewAllRecords: false,
          },
        ],
        classAccesses: [{ apexClass: 'CallTouchpointController', enabled: true }],
      } as any);
      expect(ps).toMatchObject({ created: true, success: true });
      const back: any = await conn.metadata.read('PermissionSet', 'Integration');
      expect(back.fieldPermissions).toEqual([
        { field: 'Task.Call_Touchpoint__c', editable: true, readable: true },
        { field: 'Event.Call_Touchpoint__c', editable: true, readable: true },
      ]);
      expect(back.objectPermissions[0]).toMatchObject({
        object: 'Touchpoint__c',
        allowRead: true,
        allowDelete: false,
      });
      expect(back.classAccesses).toEqual([{ apexClass: 'CallTouchpointController', enabled: true }]);
      const objBack: any = await conn.metadata.read('CustomObject', 'Touchpoint__c');
      expect(objBack.fields.map((f: any) => f.fullName)).toEqual(['Touchpoint_Key__c']);
    } finally {
      await org.close();
    }
  });

  test('listMetadata gives each component its lastModifiedDate, moved by a write; at most 3 queries a call', async () => {
    const { org, conn } = await startOrg({ preload: false });
    try {
      const field = { fullName: 'Lead.Score__c', label: 'Score', type: 'Number', precision: 5, scale: 0 };
      await conn.metadata.upsert('CustomField', [field as any]);
      const listed = async () =>
        (await conn.metadata.list([{ type: 'CustomField' }])).find((p) => p.fullName === 'Lead.Score__c');
      const first = await listed();
      expect(first).toMatchObject({ type: 'CustomField', fullName: 'Lead.Score__c' });
      expect(Date.parse(first!.lastModifiedDate)).not.toBeNaN();
      expect((await listed())!.lastModifiedDate).toBe(first!.lastModifiedDate);
      await conn.metadata.upsert('CustomField', [{ ...field, label: 'Lead score' } as any]);
      expect(Date.parse((await listed())!.lastModifiedDate)).toBeGreaterThan(
        Date.parse(first!.lastModifiedDate),
      );

      const four = ['CustomField', 'CustomObject', 'PermissionSet', 'PlatformEventChannelMember'];
      await expect(conn.metadata.list(four.map((type) => ({ type })))).rejects.toThrow(/up to 3 queries/);
    } finally {
      await org.close();
    }
  });

  test('a bad session gets the sf:INVALID_SESSION_ID SOAP fault', async () => {
    const { org } = await startOrg();
    try {
      const stale = new Connection({
        instanceUrl: org.instanceUrl,
        accessToken: 'not-a-session',
        version: '62.0',
      });
      await expect(stale.metadata.read('CustomField', 'Activity.BizibleId__c')).rejects.toMatchObject({
        errorCode: 'sf:INVALID_SESSION_ID',
      });
    } finally {
      await org.close();
    }
  });
});

describe('persistence', () => {
  test('records, deployed metadata and id sequences survive a restart with the same data dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-'));
    try {
      const first = await startLocalOrg({ port: 0, dataDir: dir, token: 'token-for-test-1' });
      const c1 = new Connection({
        instanceUrl: first.instanceUrl,
        accessToken: first.accessToken,
        version: '62.0',
      });
      await c1.metadata.upsert('CustomField', {
        fullName: 'Activity.Vendor_Call_Id__c',
        label: 'Vendor Call Id',
        type: 'Text',
        length: 255,
        externalId: true,
        unique: true,
      } as any);
      const t: any = await c1.sobject('Task').create({ Subject: 'kept', Vendor_Call_Id__c: 'v-1' } as never);
      // One local org per data dir: a second one would overwrite the first one's writes.
      await expect(startLocalOrg({ port: 0, dataDir: dir })).rejects.toThrow(/in use by process \d+/);
      await first.close();

      const second = await startLocalOrg({ port: 0, dataDir: dir, token: 'token-for-test-2' });
      try {
        const c2 = new Connection({
          instanceUrl: second.instanceUrl,
          accessToken: second.accessToken,
          version: '62.0',
        });
        const q: any = await c2.query("SELECT Id, Subject FROM Task WHERE Vendor_Call_Id__c = 'v-1'");
        expect(q.records).toEqual([expect.objectContaining({ Id: t.id, Subject: 'kept' })]);
        const next: any = await c2.sobject('Task').create({ Subject: 'next' });
        expect(next.id).not.toBe(t.id);
        expect(next.id > t.id).toBe(true);
        // The unique index is rebuilt too.
        const dup = await c2
          .sobject('Task')
          .create({ Subject: 'dup', Vendor_Call_Id__c: 'v-1' } as never)
          .catch((e) => e);
        expect(dup.errorCode).toBe('DUPLICATE_VALUE');
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
