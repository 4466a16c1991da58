import { decodeFieldBitmap, encodeFieldBitmap } from '@call-touchpoints/pubsub-codec';
import { joinInputFields } from '../../src/salesforce/cdc/startTaskDiscovery';
import { TASK_DATETIME_FIELDS } from '../../src/join';
import { actionFor, taskFromCreate, type TaskChange } from '../../src/salesforce/cdc/taskChangeEvent';

/** Which TaskChangeEvents make the join run: the rule that keeps our own writes from looping. */
const inputs = new Set(joinInputFields('BizibleId__c'));
const change = (changeType: string, changedFields: string[] = []): TaskChange => ({
  changeType,
  recordIds: ['00T000000000001AAA'],
  skippedIds: [],
  changedFields,
  commitUser: '005000000000001AAA',
  commitTimestamp: null,
  body: {},
});

describe('actionFor', () => {
  it('joins creates, undeletes and gap events; catches up on an overflow', () => {
    for (const t of ['CREATE', 'UNDELETE', 'GAP_CREATE', 'GAP_UPDATE', 'GAP_UNDELETE'])
      expect(actionFor(change(t), inputs)).toBe('join');
    expect(actionFor(change('GAP_OVERFLOW'), inputs)).toBe('catch-up');
    expect(actionFor(change('DELETE'), inputs)).toBe('deleted');
    expect(actionFor(change('SHRED'), inputs)).toBe('unknown');
  });

  it('joins an update only when it touches a field the join reads', () => {
    for (const f of [
      'BizibleId__c',
      'Type',
      'TaskSubtype',
      'CallType',
      'Call_Started_At__c',
      'CallDurationInSeconds',
      'WhoId',
    ])
      expect(actionFor(change('UPDATE', [f, 'LastModifiedDate']), inputs)).toBe('join');
    // The join's own write-back: status, detail and lookups only → ignored, no loop.
    expect(
      actionFor(
        change('UPDATE', ['Call_Join_Status__c', 'Call_Touchpoint__c', 'Web_Session__c', 'LastModifiedDate']),
        inputs,
      ),
    ).toBe('ignore');
  });
});

describe('field bitmaps', () => {
  const fields = ['ChangeEventHeader', 'Subject', 'Type', 'BizibleId__c'];
  it('round-trips, skips nested (compound) entries, rejects garbage', () => {
    const bits = encodeFieldBitmap(fields, ['Type', 'BizibleId__c']);
    expect(bits).toEqual(['0x0C']); // whole bytes, as Salesforce writes them
    expect(decodeFieldBitmap(fields, [...bits, '3-0x01'])).toEqual(['Type', 'BizibleId__c']);
    expect(() => decodeFieldBitmap(fields, ['Type'])).toThrow(/not a field bitmap/);
  });
});

describe('taskFromCreate (issue 28: plan a created Task from its event, no read)', () => {
  const fields = [
    'Id',
    'Type',
    'CreatedDate',
    'SystemModstamp',
    'CallDurationInSeconds',
    'WhoId',
    'BizibleId__c',
  ];
  const body = {
    Type: 'Call',
    CreatedDate: Date.parse('2026-03-10T12:22:00Z'),
    CallDurationInSeconds: 120,
    WhoId: null,
    BizibleId__c: 'v1',
  };
  const created = (over: Partial<TaskChange> = {}): TaskChange => ({
    ...change('CREATE'),
    commitTimestamp: Date.parse('2026-03-10T12:22:01Z'),
    body,
    ...over,
  });

  it('gives the Task as a REST read would: datetimes as Salesforce writes them, nulls kept', () => {
    expect(taskFromCreate(created(), fields, TASK_DATETIME_FIELDS)).toEqual({
      Id: '00T000000000001AAA',
      Type: 'Call',
      CreatedDate: '2026-03-10T12:22:00.000+0000',
      SystemModstamp: '2026-03-10T12:22:01.000+0000',
      CallDurationInSeconds: 120,
      WhoId: null,
      BizibleId__c: 'v1',
    });
  });

  it('reads instead for an update, an event naming several Tasks, or a field the schema lacks', () => {
    expect(taskFromCreate(created({ changeType: 'UPDATE' }), fields, TASK_DATETIME_FIELDS)).toBeNull();
    const two = ['00T000000000001AAA', '00T000000000002AAA'];
    expect(taskFromCreate(created({ recordIds: two }), fields, TASK_DATETIME_FIELDS)).toBeNull();
    const { BizibleId__c: _gone, ...lacking } = body;
    expect(taskFromCreate(created({ body: lacking }), fields, TASK_DATETIME_FIELDS)).toBeNull();
  });
});
