import { decideCalls, type TaskRow } from '../../src/calls/call-fates';
import type { RecordResult } from '../../src/salesforce/port';
import type { NormalizedCall } from '../../src/vendors/normalized-call';

/** What becomes of each call once its Task is created or found and its caller looked up (pure). */
const call = (id: string, over: Partial<NormalizedCall> = {}): NormalizedCall => ({
  vendor: 'callrail',
  vendorCallId: `callrail:${id}`,
  startedAt: '2026-03-10T12:20:00.000Z',
  durationSeconds: 60,
  direction: 'inbound',
  outcome: 'answered',
  callerNumber: null,
  trackingNumber: null,
  source: null,
  campaign: null,
  recordingUrl: null,
  visitorId: null,
  ...over,
});
const ok = (id: string): RecordResult => ({ index: 0, ok: true, id, created: true, errors: [], attempts: 1 });
const failed = (statusCode: string): RecordResult => ({
  index: 0,
  ok: false,
  id: null,
  created: false,
  errors: [{ statusCode, message: `${statusCode} happened` }],
  attempts: 1,
});
const row = (id: string, vendorCallId: string, over: Partial<TaskRow> = {}): TaskRow => ({
  Id: id,
  CreatedDate: '2026-03-10T12:21:00.000Z',
  Vendor_Call_Id__c: vendorCallId,
  ...over,
});

describe('decideCalls', () => {
  const task = { bizibleIdField: 'BizibleId__c' };

  it('a new Task takes only its WhoId; an existing one its call fields too; a stale one nothing; a refused create goes back to the outbox', () => {
    const calls = [
      call('NEW', { callerNumber: '+14155550001' }),
      call('AGAIN', { durationSeconds: 95 }),
      call('OLD', { outcome: 'missed', durationSeconds: 5 }),
      call('REFUSED'),
    ];
    const rows = [
      row('00T000000000001AAA', 'callrail:NEW'),
      row('00T000000000002AAA', 'callrail:AGAIN', { CallDisposition: 'answered', CallDurationInSeconds: 60 }),
      row('00T000000000003AAA', 'callrail:OLD', { CallDisposition: 'answered', CallDurationInSeconds: 60 }),
    ];
    const who = new Map([['+14155550001', { whoId: '00Q000000000001AAA', matches: 1 }]]);
    const d = decideCalls(
      calls,
      [
        ok('00T000000000001AAA'),
        failed('DUPLICATE_VALUE'),
        failed('DUPLICATE_VALUE'),
        failed('STRING_TOO_LONG'),
      ],
      rows,
      who,
      task,
    );
    expect(d.fates).toEqual([
      { kind: 'written', taskId: '00T000000000001AAA', created: true, whoId: '00Q000000000001AAA' },
      { kind: 'written', taskId: '00T000000000002AAA', created: false, whoId: null },
      { kind: 'stale', taskId: '00T000000000003AAA' },
      { kind: 'retry', error: 'STRING_TOO_LONG: STRING_TOO_LONG happened', refused: true },
    ]);
    expect(d.callUpdates.get('00T000000000001AAA')).toEqual({ WhoId: '00Q000000000001AAA' });
    expect(d.callUpdates.get('00T000000000002AAA')).toMatchObject({ CallDurationInSeconds: 95 });
    expect(d.callUpdates.get('00T000000000002AAA')).not.toHaveProperty('TaskSubtype'); // create-only
    expect(d.callUpdates.has('00T000000000003AAA')).toBe(false);
    // The join plans with what the Tasks will hold.
    expect(rows[0].WhoId).toBe('00Q000000000001AAA');
    expect(rows[1].CallDurationInSeconds).toBe(95);
    expect(rows[2].CallDurationInSeconds).toBe(60);
    expect([...d.batchTasks]).toEqual([
      ['00T000000000001AAA', 0],
      ['00T000000000002AAA', 1],
    ]);
  });

  it('an unmatched caller is reported and never unlinks the Task', () => {
    const rows = [row('00T000000000004AAA', 'callrail:X', { WhoId: '003000000000009AAA' })];
    const d = decideCalls(
      [call('X', { callerNumber: '+14155550002' })],
      [failed('DUPLICATE_VALUE')],
      rows,
      new Map([['+14155550002', { whoId: null, matches: 2 }]]),
      task,
    );
    expect(d.unmatched).toEqual([{ number: '+14155550002', matches: 2 }]);
    expect(d.callUpdates.get('00T000000000004AAA')).not.toHaveProperty('WhoId');
    expect(rows[0].WhoId).toBe('003000000000009AAA');
  });
});
