import type { RecordResult } from '../../src/salesforce/port';
import { applyWriteResults, nextWatermark, type PlannedTask } from '../../src/join/commit';
import type { JoinDiff } from '../../src/join/diff';
import type { TaskLedger, VisitorLedger } from '../../src/join';

const V = 'a'.repeat(32);
const W = 'b'.repeat(32);

const ok = (id: string | null, index = 0): RecordResult => ({
  index,
  ok: true,
  id,
  created: true,
  errors: [],
  attempts: 1,
});
const fail = (code: string, message: string): RecordResult => ({
  index: 0,
  ok: false,
  id: null,
  created: false,
  errors: [{ statusCode: code, message, fields: [] }],
  attempts: 1,
});

/** V has a merged call (T1) and a stale touchpoint to delete; W a standalone call (T2). */
const diff: JoinDiff = {
  webSessions: [{ visitor: V, key: 'ws:s1', hash: 'hs1', rec: {} }],
  touchpoints: [
    { visitor: V, key: 'tp:s1', hash: 'htp1', rec: {} },
    { visitor: W, key: 'tp:call:T2', hash: 'htp2', rec: {} },
  ],
  tasks: [
    { id: 'T1', hash: 'out1', rec: {} },
    { id: 'T2', hash: 'out2', rec: {} },
  ],
  deletes: [
    { visitor: V, key: 'tp:call:T1', id: 'a01' },
    { visitor: V, key: 'ws:old', id: null },
  ],
};
const tasks: PlannedTask[] = [
  { id: 'T1', visitor: V, inHash: 'in1-new' },
  { id: 'T2', visitor: W, inHash: 'in2' },
  { id: 'T3', visitor: null, inHash: 'in3' },
];
const before = (): {
  visitorLedgers: Map<string, VisitorLedger>;
  taskLedgers: Map<string, TaskLedger | null>;
} => ({
  visitorLedgers: new Map<string, VisitorLedger>([
    [
      V,
      {
        tasks: ['T1'],
        records: { 'tp:call:T1': { h: 'old', id: 'a01' }, 'ws:old': { h: 'old', id: null } },
      },
    ],
    [W, { tasks: [], records: {} }],
  ]),
  taskLedgers: new Map<string, TaskLedger | null>([
    ['T1', { v: V, in: 'in1-old', out: 'out1-old' }],
    ['T2', null],
    ['T3', { v: null, in: 'in3', out: 'out3' }],
  ]),
});

describe('applyWriteResults: what a write puts into the join ledger', () => {
  test('everything written: records with their Ids, Tasks with new hashes, stale records forgotten', () => {
    const b = before();
    const snapshot = JSON.stringify([...b.visitorLedgers]);
    const r = applyWriteResults({
      diff,
      tasks,
      ...b,
      results: {
        webSessions: [ok('ws1')],
        touchpoints: [ok('tp1'), ok('tp2', 1)],
        tasks: [ok('T1'), ok('T2', 1)],
        deletes: [ok('a01'), null],
      },
    });
    expect(r.written).toEqual({
      webSessions: 1,
      touchpoints: 2,
      opportunityTouchpoints: 0,
      tasks: 2,
      deleted: 1,
    });
    expect(r.failed).toEqual([]);
    expect(r.ledger.visitors.get(V)).toEqual({
      tasks: ['T1'],
      records: { 'ws:s1': { h: 'hs1', id: 'ws1' }, 'tp:s1': { h: 'htp1', id: 'tp1' } },
    });
    expect(r.ledger.visitors.get(W)).toEqual({
      tasks: ['T2'],
      records: { 'tp:call:T2': { h: 'htp2', id: 'tp2' } },
    });
    // T3 did not change: no entry to write.
    expect(r.ledger.tasks).toEqual(
      new Map([
        ['T1', { v: V, in: 'in1-new', out: 'out1' }],
        ['T2', { v: W, in: 'in2', out: 'out2' }],
      ]),
    );
    // The ledger read before the write is left as it was (another writer may still hold it).
    expect(JSON.stringify([...b.visitorLedgers])).toBe(snapshot);
  });

  test('a failed record keeps its visitor for the next run: old input hash, nothing of it entered', () => {
    const r = applyWriteResults({
      diff,
      tasks,
      ...before(),
      results: {
        webSessions: [ok('ws1')],
        touchpoints: [fail('UNABLE_TO_LOCK_ROW', 'locked'), ok('tp2', 1)],
        tasks: [ok('T1'), ok('T2', 1)],
        deletes: [fail('ENTITY_IS_DELETED', 'gone'), null],
      },
    });
    expect(r.failed).toEqual([
      { sobject: 'Touchpoint__c', key: 'tp:s1', errors: 'UNABLE_TO_LOCK_ROW: locked' },
      { sobject: 'Touchpoint__c', key: 'tp:call:T1', errors: 'ENTITY_IS_DELETED: gone' },
    ]);
    expect([...r.failedVisitors]).toEqual([V]);
    // T1's update went through (its out hash is kept) but its visitor is incomplete: old input hash.
    expect(r.ledger.tasks.get('T1')).toEqual({ v: V, in: 'in1-old', out: 'out1' });
    expect(r.ledger.tasks.get('T2')).toEqual({ v: W, in: 'in2', out: 'out2' });
    // The failed touchpoint is not entered; the record that failed to delete is still known.
    expect(r.ledger.visitors.get(V)!.records).toEqual({
      'ws:s1': { h: 'hs1', id: 'ws1' },
      'tp:call:T1': { h: 'old', id: 'a01' },
    });
    expect(r.written).toEqual({
      webSessions: 1,
      touchpoints: 1,
      opportunityTouchpoints: 0,
      tasks: 2,
      deleted: 0,
    });
  });

  test('a failed update of a Task without a visitor keeps that Task for the next run', () => {
    const r = applyWriteResults({
      diff: {
        webSessions: [],
        touchpoints: [],
        tasks: [{ id: 'T3', hash: 'out3-new', rec: {} }],
        deletes: [],
      },
      tasks: [{ id: 'T3', visitor: null, inHash: 'in3-new' }],
      visitorLedgers: new Map(),
      taskLedgers: new Map([['T3', { v: null, in: 'in3', out: 'out3' }]]),
      results: {
        webSessions: [],
        touchpoints: [],
        tasks: [fail('FIELD_INTEGRITY_EXCEPTION', 'bad')],
        deletes: [],
      },
    });
    expect([...r.failedTasks]).toEqual(['T3']);
    expect(r.ledger.tasks.size).toBe(0); // unchanged entry: the next run sees the old input hash
    expect(r.failed).toEqual([{ sobject: 'Task', key: 'T3', errors: 'FIELD_INTEGRITY_EXCEPTION: bad' }]);
  });
});

describe('nextWatermark', () => {
  const read = [
    { id: 'T1', visitor: V, systemModstamp: '2026-03-10T12:00:00.000+0000' },
    { id: 'T2', visitor: W, systemModstamp: '2026-03-10T12:05:00.000+0000' },
    { id: 'T3', visitor: null, systemModstamp: '2026-03-10T12:09:00.000+0000' },
  ];
  const none = { failedVisitors: new Set<string>(), failedTasks: new Set<string>() };

  test('moves past every Task read when all were processed', () => {
    expect(nextWatermark('2026-03-01T00:00:00.000Z', read, none)).toBe('2026-03-10T12:09:00.000Z');
  });
  test('stops at the first Task not fully processed (its visitor, or its own update, failed)', () => {
    expect(nextWatermark(null, read, { ...none, failedVisitors: new Set([W]) })).toBe(
      '2026-03-10T12:05:00.000Z',
    );
    expect(nextWatermark(null, read, { ...none, failedTasks: new Set(['T3']) })).toBe(
      '2026-03-10T12:09:00.000Z',
    );
  });
  test('nothing read: stays where it was', () => {
    expect(nextWatermark('2026-03-01T00:00:00.000Z', [], none)).toBe('2026-03-01T00:00:00.000Z');
  });
});
