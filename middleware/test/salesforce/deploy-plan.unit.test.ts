import { readForceApp, parseMetadataXml } from '../../src/salesforce/force-app-source';
import {
  canonicalOrder,
  deploySteps,
  differences,
  mergePermissionSet,
  INTEGRATION_PERMISSION_SET,
} from '../../src/salesforce/deploy';

describe('deploy plan from force-app/', () => {
  const source = readForceApp();

  it('deploys BizibleId__c first, lookup targets before the objects that look them up, Activity last', () => {
    const { steps } = deploySteps(source);
    expect(steps[0].components.map((c) => c.fullName)).toEqual(['Activity.BizibleId__c']);
    const order = steps.flatMap((s) => s.components.map((c) => c.fullName));
    expect(order.indexOf('Web_Session__c')).toBeLessThan(order.indexOf('Touchpoint__c.Web_Session__c'));
    expect(order.indexOf('Touchpoint__c')).toBeLessThan(order.indexOf('Activity.Call_Touchpoint__c'));
    expect(order).toContain('Activity.Call_Join_Status__c');
    expect(order.filter((n) => n === 'Activity.BizibleId__c')).toHaveLength(1);
  });

  it('skips our BizibleId__c when the org uses the managed-package field (R1)', () => {
    const { steps, skipped } = deploySteps(source, 'bizible2__BizibleId__c');
    expect(skipped.map((c) => c.fullName)).toEqual(['Activity.BizibleId__c']);
    expect(steps.flatMap((s) => s.components.map((c) => c.fullName))).not.toContain('Activity.BizibleId__c');
  });

  it('reads picklist values as a list and collapses the wrapped help text', () => {
    const status = source.activityFields.find((c) => c.fullName === 'Activity.Call_Join_Status__c')!;
    const values = (status.metadata.valueSet as any).valueSetDefinition.value;
    expect(values.map((v: any) => v.fullName)).toEqual([
      'Pending',
      'Merged',
      'Standalone',
      'Missing BizibleId',
    ]);
    const biz = source.activityFields.find((c) => c.fullName === 'Activity.BizibleId__c')!;
    expect(biz.metadata.inlineHelpText).not.toMatch(/\n| {2}/);
  });

  it('compares only what force-app declares; the org may add defaults, booleans read back typed', () => {
    const desired = parseMetadataXml(
      '<CustomField><fullName>X__c</fullName><length>255</length><unique>false</unique><type>Text</type></CustomField>',
    ).metadata;
    expect(differences(desired, { fullName: 'X__c', length: 255, type: 'Text', label: 'X' })).toEqual([]);
    expect(differences(desired, { fullName: 'X__c', length: 80, type: 'Text' })).toEqual([
      'length: "80" → "255"',
    ]);
  });
});

describe('permission set merge', () => {
  const ours = readForceApp().permissionSets.find((p) => p.fullName === INTEGRATION_PERMISSION_SET)!.metadata;

  it('keeps permissions the set already has and never takes a right away', () => {
    const existing = {
      fullName: INTEGRATION_PERMISSION_SET,
      label: 'Call Touchpoints Integration',
      fieldPermissions: [
        { field: 'Account.Rating', readable: true, editable: true },
        { field: 'Task.BizibleId__c', readable: true, editable: false },
      ],
      objectPermissions: [{ object: 'Touchpoint__c', allowRead: true, modifyAllRecords: true }],
    };
    const { merged, changes } = mergePermissionSet(ours, existing, () => true);
    const fields = merged.fieldPermissions as any[];
    expect(fields.find((f) => f.field === 'Account.Rating')).toEqual({
      field: 'Account.Rating',
      readable: true,
      editable: true,
    });
    expect(fields.find((f) => f.field === 'Task.BizibleId__c').editable).toBe('true');
    expect(fields.find((f) => f.field === 'Event.BizibleId__c')).toBeDefined();
    expect(
      (merged.objectPermissions as any[]).find((o) => o.object === 'Touchpoint__c').modifyAllRecords,
    ).toBe(true);
    expect(changes).toContain('Task.BizibleId__c.editable');
    expect(merged.tabSettings).toBeUndefined();
  });

  it('reports no change when the set already grants everything', () => {
    const first = mergePermissionSet(ours, null, () => true).merged;
    expect(mergePermissionSet(ours, first, () => true).changes).toEqual([]);
  });
});

describe('metadata element order', () => {
  it('sends fullName first and the other elements alphabetically, as the SOAP types declare them', () => {
    const ordered = canonicalOrder({
      type: 'Text',
      label: 'X',
      fullName: 'Activity.X__c',
      valueSet: {
        valueSetDefinition: { value: [{ label: 'A', fullName: 'A', default: 'false' }], sorted: 'false' },
      },
    }) as any;
    expect(Object.keys(ordered)).toEqual(['fullName', 'label', 'type', 'valueSet']);
    expect(Object.keys(ordered.valueSet.valueSetDefinition)).toEqual(['sorted', 'value']);
    expect(Object.keys(ordered.valueSet.valueSetDefinition.value[0])).toEqual([
      'fullName',
      'default',
      'label',
    ]);
  });
});
