import { applyWriteResults } from '../../src/join/commit';
import { withCallUpdates, type JoinDiff } from '../../src/join/diff';
import { callGraphs, graphResults } from '../../src/join/graphs';
import type { VisitorLedger } from '../../src/join';
import type { GraphOutcome } from '../../src/salesforce/port';

/**
 * Issue 26: the graph writer answers per record, like the collections writer, and its answers go
 * through the one commit (applyWriteResults). A graph is all or nothing, so a failed graph fails
 * every record of its visitor — who then keeps its old ledger entries — and only that visitor.
 */
const V = 'a'.repeat(32);
const W = 'b'.repeat(32);

const joinDiff: JoinDiff = {
  webSessions: [{ visitor: V, key: 'ws:s1', hash: 'hs1', rec: { Session_Key__c: 's1' } }],
  touchpoints: [
    { visitor: V, key: 'tp:s1', hash: 'htp1', rec: { Touchpoint_Key__c: 's1' } },
    { visitor: W, key: 'tp:call:T2', hash: 'htp2', rec: { Touchpoint_Key__c: 'call:T2' } },
  ],
  tasks: [
    {
      id: 'T1',
      hash: 'out1',
      rec: { attributes: { type: 'Task' }, Id: 'T1', Call_Join_Status__c: 'Merged' },
    },
  ],
  deletes: [{ visitor: V, key: 'tp:call:T1', id: 'a01' }],
};
const taskVisitor = new Map<string, string | null>([
  ['T1', V],
  ['T2', W],
]);

describe('graph writer', () => {
  it("carries the call's own fields in the join's Task update, and a call-only update on its own", () => {
    const diff = withCallUpdates(
      joinDiff,
      new Map([
        ['T1', { WhoId: '00Q1' }],
        ['T2', { WhoId: '003W' }],
      ]),
    );
    expect(diff.tasks).toEqual([
      {
        id: 'T1',
        hash: 'out1',
        rec: { attributes: { type: 'Task' }, Id: 'T1', WhoId: '00Q1', Call_Join_Status__c: 'Merged' },
      },
      // T2's join output did not change: its hash is null, so the ledger keeps its old `out`.
      { id: 'T2', hash: null, rec: { attributes: { type: 'Task' }, Id: 'T2', WhoId: '003W' } },
    ]);
  });

  it("one graph per visitor; a failed graph fails all its visitor's records and keeps its ledger", () => {
    const diff = withCallUpdates(joinDiff, new Map([['T2', { WhoId: '003W' }]]));
    const parts = callGraphs(diff, taskVisitor);
    expect(parts.map((p) => p.graph.nodes.map((n) => `${n.method} ${n.path}`))).toEqual([
      [
        'PATCH /sobjects/Web_Session__c/Session_Key__c/s1',
        'PATCH /sobjects/Touchpoint__c/Touchpoint_Key__c/s1',
        'PATCH /sobjects/Task/T1',
        'DELETE /sobjects/Touchpoint__c/a01',
      ],
      ['PATCH /sobjects/Touchpoint__c/Touchpoint_Key__c/call%3AT2', 'PATCH /sobjects/Task/T2'],
    ]);
    const failedV: GraphOutcome = {
      graphId: parts[0].graph.graphId,
      ok: false,
      nodes: [],
      errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'rejected' }],
    };
    const okW: GraphOutcome = {
      graphId: parts[1].graph.graphId,
      ok: true,
      nodes: [
        { referenceId: 'tp0', status: 201, body: { id: 'a0W', created: true } },
        { referenceId: 'task0', status: 204, body: null },
      ],
      errors: [],
    };
    const results = graphResults(diff, parts, [failedV, okW]);
    expect(results.touchpoints.map((r) => [r.ok, r.id])).toEqual([
      [false, null],
      [true, 'a0W'],
    ]);
    expect(results.deletes.map((r) => r?.ok)).toEqual([false]);

    const oldV: VisitorLedger = { tasks: ['T1'], records: { 'tp:call:T1': { h: 'old', id: 'a01' } } };
    const applied = applyWriteResults({
      diff,
      results,
      visitorLedgers: new Map([
        [V, oldV],
        [W, { tasks: [], records: {} }],
      ]),
      taskLedgers: new Map([
        ['T1', { v: V, in: 'in1-old', out: 'out-old' }],
        ['T2', { v: W, in: null, out: 'out2-old' }],
      ]),
      tasks: [
        { id: 'T1', visitor: V, inHash: 'in1-new' },
        { id: 'T2', visitor: W, inHash: 'in2' },
      ],
    });
    expect([...applied.failedVisitors]).toEqual([V]);
    expect(applied.reasons.get(V)).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION: rejected');
    // V keeps its old records and T1 its old hashes: the next run plans it again.
    expect(applied.ledger.visitors.get(V)!.records).toEqual(oldV.records);
    expect(applied.ledger.tasks.get('T1')).toBeUndefined();
    // W is recorded: its touchpoint with the Id the org gave, T2's input hash, its `out` unchanged.
    expect(applied.ledger.visitors.get(W)!.records).toEqual({ 'tp:call:T2': { h: 'htp2', id: 'a0W' } });
    expect(applied.ledger.tasks.get('T2')).toEqual({ v: W, in: 'in2', out: 'out2-old' });
  });

  it('refuses a delete without an Id (a join run looks those up)', () => {
    const diff = { ...joinDiff, deletes: [{ visitor: V, key: 'ws:old', id: null }] };
    expect(() => callGraphs(diff, taskVisitor)).toThrow(/without an Id/);
  });
});
