import { deploy } from '../../src/salesforce/deploy';
import type { LocalOrg } from '@call-touchpoints/local-org';
import type { Gateway } from '../../src/salesforce/gateway';
import { localOrgSession } from './helpers';

describe('deploy against an empty local org (jsforce, real HTTP)', () => {
  let org: LocalOrg;
  let gateway: Gateway;

  beforeAll(async () => {
    ({ org, gateway } = await localOrgSession({ preload: false }));
  });
  afterAll(async () => {
    await org?.close();
  });

  it('answers INVALID_FIELD for the call fields before deploy', async () => {
    await expect(gateway.query('SELECT Id, BizibleId__c FROM Task')).rejects.toMatchObject({
      code: 'INVALID_FIELD',
    });
  });

  it('--check on the empty org reports everything missing and writes nothing', async () => {
    const lines: string[] = [];
    const result = await deploy(gateway, { check: true, print: (l) => lines.push(l) });
    expect(result.upToDate).toBe(false);
    expect(result.components.find((c) => c.fullName === 'Activity.BizibleId__c')?.status).toBe('missing');
    expect(Object.keys(gateway.operations()).filter((k) => k.startsWith('upsertMetadata'))).toEqual([]);
  });

  it('keeps a permission the integration set already had', async () => {
    // The admin's own set, with an unrelated field permission, exists before our first deploy.
    const res = await gateway.upsertMetadata('PermissionSet', [
      {
        fullName: 'Call_Touchpoints_Integration',
        label: 'Call Touchpoints Integration',
        fieldPermissions: [{ field: 'Lead.Email', readable: 'true', editable: 'false' }],
      },
    ]);
    expect(res[0].success).toBe(true);
  });

  it('creates the fields, objects and permission-set entries, BizibleId__c first', async () => {
    const lines: string[] = [];
    const result = await deploy(gateway, { print: (l) => lines.push(l) });
    expect(result.upToDate).toBe(false);
    const created = result.components.filter((c) => c.status === 'created').map((c) => c.fullName);
    expect(created[0]).toBe('Activity.BizibleId__c');
    expect(created).toEqual(
      expect.arrayContaining([
        'Web_Session__c',
        'Touchpoint__c',
        'Activity.Call_Touchpoint__c',
        'Touchpoint__c.Touchpoint_Key__c',
      ]),
    );
    expect(result.components.find((c) => c.type === 'PermissionSet')?.status).toBe('updated');
    expect(lines.join('\n')).toMatch(/created +CustomField Activity\.BizibleId__c/);

    // The fields exist now: SOQL and describe know them.
    await expect(
      gateway.query('SELECT Id, BizibleId__c, Call_Join_Status__c, Call_Touchpoint__c FROM Task'),
    ).resolves.toEqual([]);
    await expect(
      gateway.query('SELECT Id, Touchpoint_Key__c, Web_Session__r.Session_Key__c FROM Touchpoint__c'),
    ).resolves.toEqual([]);

    const [ps] = await gateway.readMetadata<any>('PermissionSet', ['Call_Touchpoints_Integration']);
    const fields = (ps.fieldPermissions as any[]).map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Lead.Email',
        'Task.BizibleId__c',
        'Event.BizibleId__c',
        'Touchpoint__c.Touchpoint_Key__c',
      ]),
    );
    const leadEmail = (ps.fieldPermissions as any[]).find((f) => f.field === 'Lead.Email');
    expect(String(leadEmail.editable)).toBe('false');
    const task = (ps.fieldPermissions as any[]).find((f) => f.field === 'Task.Call_Join_Status__c');
    expect([String(task.readable), String(task.editable)]).toEqual(['true', 'true']);
    // Standard fields the middleware reads or writes (scripts/model/field-access.ts): granted, the org
    // accepted them (none is required), read-only unless the middleware writes them.
    const access = (field: string) => {
      const fp = (ps.fieldPermissions as any[]).find((f) => f.field === field);
      return fp ? `${String(fp.readable)}/${String(fp.editable)}` : 'absent';
    };
    expect(
      ['Lead.Phone', 'Lead.LeadSource', 'Contact.Phone', 'Contact.AccountId', 'Opportunity.Amount'].map(
        access,
      ),
    ).toEqual(['true/true', 'true/true', 'true/false', 'true/false', 'true/false']);
    expect(['Opportunity.AccountId', 'Task.CallDurationInSeconds', 'Task.CallType'].map(access)).toEqual([
      'true/false',
      'true/true',
      'true/true',
    ]);
    // Required fields are never named ("You cannot deploy to a required field").
    expect(
      ['Lead.Company', 'Lead.LastName', 'Opportunity.StageName', 'Opportunity.CloseDate'].map(access),
    ).toEqual(['absent', 'absent', 'absent', 'absent']);
    expect((ps.objectPermissions as any[]).map((o) => o.object).sort()).toEqual([
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'Opportunity_Touchpoint__c',
      'Touchpoint__c',
      'Web_Session__c',
    ]);
  });

  it('a second deploy says "up to date" and makes no Metadata upsert call', async () => {
    const before = gateway.operations();
    const orgBefore = org.apiRequests();
    const result = await deploy(gateway);
    expect(result.upToDate).toBe(true);
    expect(result.components.every((c) => c.status === 'up to date')).toBe(true);
    const after = gateway.operations();
    const upserts = Object.keys(after)
      .filter((k) => k.startsWith('upsertMetadata'))
      .map((k) => (after[k] ?? 0) - (before[k] ?? 0));
    expect(upserts.every((n) => n === 0)).toBe(true);
    // Every request the org saw was one of our reads.
    expect(org.apiRequests() - orgBefore).toBe(result.metadataRequests);
    const check = await deploy(gateway, { check: true });
    expect(check.upToDate).toBe(true);
  });
});
