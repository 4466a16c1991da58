import type { TaskUpdateRecord, TouchpointRecord, WebSessionRecord } from '../../src/domain';
import { diffPlan } from '../../src/join/diff';
import type { TaskLedger, VisitorLedger } from '../../src/join';

const V = 'a'.repeat(32);

const session = (key: string, channel: string) =>
  ({
    sobject: 'Web_Session__c',
    Session_Key__c: key,
    BizibleId__c: V,
    Channel__c: channel,
  }) as unknown as WebSessionRecord;
const touchpoint = (key: string, channel: string, sessionKey: string | null) =>
  ({
    sobject: 'Touchpoint__c',
    Touchpoint_Key__c: key,
    BizibleId__c: V,
    Channel__c: channel,
    Web_Session__r: sessionKey ? { Session_Key__c: sessionKey } : null,
  }) as unknown as TouchpointRecord;
const taskUpdate = (id: string, tpKey: string | null): TaskUpdateRecord => ({
  sobject: 'Task',
  Id: id,
  Call_Join_Status__c: tpKey?.startsWith('tp:call:') ? 'Standalone' : 'Merged',
  Call_Join_Reason__c: tpKey?.startsWith('tp:call:') ? 'Window_Passed' : 'Joined',
  Call_Join_Detail__c: 'detail',
  Call_Touchpoint__r: tpKey ? { Touchpoint_Key__c: tpKey } : null,
});

const merged = {
  webSessions: [session('s1', 'Paid Search')],
  touchpoints: [touchpoint('s1', 'Paid Search', 's1')],
  tasks: [taskUpdate('00T000000000001AAA', 's1')],
};

/** The ledger as the runner leaves it after writing `diff` (ids as the org gave them). */
function ledgersAfter(diff: ReturnType<typeof diffPlan>) {
  const visitor: VisitorLedger = { tasks: ['00T000000000001AAA'], records: {} };
  for (const w of [...diff.webSessions, ...diff.touchpoints])
    visitor.records[w.key] = { h: w.hash, id: `id-${w.key}` };
  const tasks = new Map<string, TaskLedger | null>(
    diff.tasks.map((t) => [t.id, { v: V, in: 'x', out: t.hash }]),
  );
  return { visitors: new Map([[V, visitor]]), tasks };
}

describe('the join diff step (plan against ledger, pure)', () => {
  it('a visitor never written: every record is written, nothing deleted', () => {
    const diff = diffPlan(merged, new Map([[V, { tasks: [], records: {} }]]), new Map());
    expect(diff.webSessions.map((w) => w.key)).toEqual(['ws:s1']);
    expect(diff.touchpoints.map((w) => w.key)).toEqual(['tp:s1']);
    expect(diff.tasks.map((t) => t.id)).toEqual(['00T000000000001AAA']);
    expect(diff.deletes).toEqual([]);
    // As the API takes them: no `sobject`; a Task update names its type for sObject Collections.
    expect(diff.touchpoints[0].rec).not.toHaveProperty('sobject');
    expect(diff.tasks[0].rec).toMatchObject({
      attributes: { type: 'Task' },
      Call_Touchpoint__r: { Touchpoint_Key__c: 's1' },
    });
  });

  it('the same plan again writes nothing (R11)', () => {
    const { visitors, tasks } = ledgersAfter(
      diffPlan(merged, new Map([[V, { tasks: [], records: {} }]]), new Map()),
    );
    expect(diffPlan(merged, visitors, tasks)).toEqual({
      webSessions: [],
      touchpoints: [],
      tasks: [],
      deletes: [],
    });
  });

  it('one changed touchpoint is the only write', () => {
    const { visitors, tasks } = ledgersAfter(
      diffPlan(merged, new Map([[V, { tasks: [], records: {} }]]), new Map()),
    );
    const changed = { ...merged, touchpoints: [touchpoint('s1', 'Organic Search', 's1')] };
    const diff = diffPlan(changed, visitors, tasks);
    expect(diff.touchpoints.map((w) => [w.key, w.rec.Channel__c])).toEqual([['tp:s1', 'Organic Search']]);
    expect([diff.webSessions, diff.tasks, diff.deletes]).toEqual([[], [], []]);
  });

  it('a record that dropped out of the plan is deleted by the Id the ledger kept', () => {
    // First the call was Standalone (its own touchpoint); page views arrived and now it is Merged.
    const standalone = {
      webSessions: [],
      touchpoints: [touchpoint('call:00T000000000001AAA', 'Phone', null)],
      tasks: [taskUpdate('00T000000000001AAA', 'call:00T000000000001AAA')],
    };
    const { visitors, tasks } = ledgersAfter(
      diffPlan(standalone, new Map([[V, { tasks: [], records: {} }]]), new Map()),
    );
    const diff = diffPlan(merged, visitors, tasks);
    expect(diff.deletes).toEqual([
      { visitor: V, key: 'tp:call:00T000000000001AAA', id: 'id-tp:call:00T000000000001AAA' },
    ]);
    expect(diff.tasks.map((t) => t.rec.Call_Join_Status__c)).toEqual(['Merged']);
  });

  it('a cleared reference becomes an empty lookup field (a null reference is not valid in the API)', () => {
    const plan = {
      webSessions: [],
      touchpoints: [touchpoint('s2', 'Direct', null)],
      tasks: [taskUpdate('00T000000000002AAA', null)],
    };
    const diff = diffPlan(plan, new Map(), new Map());
    expect(diff.touchpoints[0].rec).toMatchObject({ Web_Session__c: null });
    expect(diff.touchpoints[0].rec).not.toHaveProperty('Web_Session__r');
    expect(diff.tasks[0].rec).toMatchObject({ Call_Touchpoint__c: null });
    expect(diff.tasks[0].rec).not.toHaveProperty('Call_Touchpoint__r');
  });
});
