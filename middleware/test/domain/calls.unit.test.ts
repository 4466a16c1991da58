import { bizibleIdOf, callTime, callTimeWithBasis, isCallTask, type TaskRecord } from '../../src/domain';

const task = (fields: Partial<TaskRecord>): TaskRecord => ({
  Id: '00TAa00000C0001EAA',
  CreatedDate: '2026-03-10T13:09:12.000+0000',
  ...fields,
});

describe('call time (R3)', () => {
  test('Call_Started_At__c wins when set', () => {
    expect(
      callTimeWithBasis(
        task({ Call_Started_At__c: '2026-03-10T13:05:00.000+0000', CallDurationInSeconds: 252 }),
      ),
    ).toEqual({
      at: Date.parse('2026-03-10T13:05:00Z'),
      basis: 'Call_Started_At__c',
    });
  });
  test('otherwise CreatedDate minus CallDurationInSeconds (the vendor creates the Task when the call ends)', () => {
    expect(callTimeWithBasis(task({ CallDurationInSeconds: 252 }))).toEqual({
      at: Date.parse('2026-03-10T13:05:00Z'),
      basis: 'CreatedDate - CallDurationInSeconds',
    });
  });
  test('otherwise CreatedDate; a zero duration or a malformed start time falls through', () => {
    expect(callTime(task({ CallDurationInSeconds: 0 }))).toBe(Date.parse('2026-03-10T13:09:12Z'));
    expect(callTimeWithBasis(task({ Call_Started_At__c: 'yesterday' }))?.basis).toBe('CreatedDate');
  });
  test('offsets are honoured; local wall-clock times without an offset are refused', () => {
    expect(callTime(task({ Call_Started_At__c: '2026-03-10T14:05:00+01:00' }))).toBe(
      Date.parse('2026-03-10T13:05:00Z'),
    );
    expect(callTime(task({ CreatedDate: '2026-03-10T13:09:12' }))).toBeNull();
  });
});

describe('BizibleId and call detection (R1, R2)', () => {
  test('the BizibleId field is configurable and blank means none', () => {
    const t = task({ BizibleId__c: '  ', bizible2__BizibleId__c: 'A1F3C9E07B2D4C5E8F9A0B1C2D3E4F50' });
    expect(bizibleIdOf(t)).toBeNull();
    expect(bizibleIdOf(t, 'bizible2__BizibleId__c')).toBe('a1f3c9e07b2d4c5e8f9a0b1c2d3e4f50');
  });
  test('a call is Type/TaskSubtype "Call" or has CallType', () => {
    expect(isCallTask(task({ Type: 'Call' }))).toBe(true);
    expect(isCallTask(task({ Type: 'Phone Call' }))).toBe(true);
    expect(isCallTask(task({ TaskSubtype: 'Call' }))).toBe(true);
    expect(isCallTask(task({ CallType: 'Inbound' }))).toBe(true);
    expect(isCallTask(task({ Type: 'Email', TaskSubtype: 'Email' }))).toBe(false);
    expect(isCallTask(task({ Type: 'Callback scheduling' }))).toBe(false);
  });
});
