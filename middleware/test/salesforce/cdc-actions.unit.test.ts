import { decodeFieldBitmap, encodeFieldBitmap } from '@call-touchpoints/pubsub-codec';
import { joinInputFields } from '../../src/salesforce/cdc/startTaskDiscovery';
import { actionFor, type TaskChange } from '../../src/salesforce/cdc/taskChangeEvent';

/** Which TaskChangeEvents make the join run: the rule that keeps our own writes from looping. */
const inputs = new Set(joinInputFields('BizibleId__c'));
const change = (changeType: string, changedFields: string[] = []): TaskChange => ({
  changeType,
  recordIds: ['00T000000000001AAA'],
  skippedIds: [],
  changedFields,
  commitUser: '005000000000001AAA',
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
