import { JoinLedger, type TaskLedger, type VisitorLedger } from '../../src/join';
import type { Store } from '../../src/store';
import { TASK_LEFT_ALONE } from '../../src/store/types';
import type { StoreHarness } from './suite';

/**
 * The join ledger's tables (JoinLedgerStore), run by the store suite against every implementation:
 * batched reads and writes past the read chunk size, one transaction per commit with the
 * watermark, the one-time move of key/value entries from earlier versions, and pruning.
 */
export function ledgerTests(harness: () => StoreHarness): void {
  describe('join ledger (JoinLedgerStore)', () => {
    let own: Store;
    beforeEach(async () => {
      own = await harness().open({ intervalMs: 0 });
    });
    afterEach(async () => {
      await own.close();
    });

    const task = (i: number, v: string | null = `v${i % 700}`): TaskLedger => ({
      v,
      in: `in${i}`,
      out: i % 3 ? `out${i}` : null,
    });
    const visitor = (n: number): VisitorLedger => ({
      tasks: [`t${n}b`, `t${n}a`], // plan order, not sorted
      records: { [`tp:${n}`]: { h: `h${n}`, id: `a00${n}` }, [`ws:${n}`]: { h: `s${n}`, id: null } },
    });

    test('reads and writes any number of entries: 2,500 Tasks and 1,200 visitors in one commit', async () => {
      const ledger = new JoinLedger(own);
      const tasks = new Map(Array.from({ length: 2500 }, (_, i) => [`t${i}`, task(i)] as const));
      const visitors = new Map(Array.from({ length: 1200 }, (_, n) => [`v${n}`, visitor(n)] as const));
      await ledger.commit({ tasks, visitors, watermark: '2026-03-10T12:00:00.000Z' });

      const ids = [...tasks.keys(), 'never-seen', 't0'];
      const read = await ledger.tasks(ids);
      expect(read.size).toBe(2500);
      expect(read.get('never-seen')).toBeUndefined();
      expect(read.get('t7')).toEqual({ v: 'v7', in: 'in7', out: 'out7' });
      expect(read.get('t3')).toEqual({ v: 'v3', in: 'in3', out: null });
      const vs = await ledger.visitors([...visitors.keys(), 'unknown']);
      expect(vs.size).toBe(1201);
      expect(vs.get('unknown')).toEqual({ tasks: [], records: {} });
      expect(vs.get('v1100')).toEqual(visitor(1100));
      expect(await ledger.getWatermark()).toBe('2026-03-10T12:00:00.000Z');

      // A visitor's entry is replaced whole; a Task's entry is replaced; others stay.
      await ledger.commit({
        visitors: new Map<string, VisitorLedger>([
          ['v1', { tasks: ['t9'], records: { 'tp:x': { h: 'hx', id: 'a0x' } } }],
          ['v2', { tasks: [], records: {} }],
        ]),
        tasks: new Map([['t1', { v: null, in: null, out: 'o' }]]),
      });
      expect(await ledger.visitor('v1')).toEqual({
        tasks: ['t9'],
        records: { 'tp:x': { h: 'hx', id: 'a0x' } },
      });
      expect(await ledger.visitor('v2')).toEqual({ tasks: [], records: {} });
      expect(await ledger.visitor('v3')).toEqual(visitor(3));
      expect(await ledger.task('t1')).toEqual({ v: null, in: null, out: 'o' });
      // No watermark in a commit leaves it where it was.
      expect(await ledger.getWatermark()).toBe('2026-03-10T12:00:00.000Z');
    });

    test("R21: the visitors whose Tasks named a WhoId are found by it; a Task's WhoId follows its last plan", async () => {
      const ledger = new JoinLedger(own);
      await ledger.commit({
        tasks: new Map<string, TaskLedger>([
          ['t1', { v: 'laptop', in: 'i1', out: null, who: '003P' }],
          ['t2', { v: 'phone', in: 'i2', out: null, who: '003P' }],
          ['t3', { v: 'phone', in: 'i3', out: null, who: '003P' }],
          ['t4', { v: 'other', in: 'i4', out: null, who: '00QX' }],
          ['t5', { v: null, in: 'i5', out: null, who: '003P' }], // no visitor: not a cookie of the person
          ['t6', { v: 'anon', in: 'i6', out: null }],
        ]),
      });
      expect(await ledger.visitorsNaming(['003P', '00QX', '003none'])).toEqual(
        new Map([
          ['003P', ['laptop', 'phone']],
          ['00QX', ['other']],
        ]),
      );
      expect((await ledger.tasks(['t1', 't6'])).get('t1')).toEqual({
        v: 'laptop',
        in: 'i1',
        out: null,
        who: '003P',
      });
      expect((await ledger.tasks(['t6'])).get('t6')).toEqual({ v: 'anon', in: 'i6', out: null });
      // The rep moved the laptop's call to another person: the laptop is no longer found by 003P.
      await ledger.commit({ tasks: new Map([['t1', { v: 'laptop', in: 'i1b', out: null, who: '003Q' }]]) });
      expect(await ledger.visitorsNaming(['003P'])).toEqual(new Map([['003P', ['phone']]]));
      expect(await ledger.visitorsNaming([])).toEqual(new Map());
    });

    test('a commit that fails part-way leaves nothing of it: no visitor, no Task, no watermark', async () => {
      const ledger = new JoinLedger(own);
      await ledger.commit({
        tasks: new Map([['t1', task(1, 'va')]]),
        visitors: new Map([['va', { tasks: ['t1'], records: { 'tp:1': { h: 'h1', id: 'a01' } } }]]),
        watermark: '2026-03-10T12:00:00.000Z',
      });
      // Visitors are written first, then Tasks: the second Task (no id) breaks the Task write.
      const failing = ledger.commit({
        visitors: new Map<string, VisitorLedger>([
          ['va', { tasks: ['t1', 't2'], records: {} }],
          ['vb', { tasks: ['t3'], records: { 'ws:3': { h: 'h3', id: null } } }],
        ]),
        tasks: new Map([
          ['t1', { v: 'va', in: 'changed', out: 'changed' }],
          [null as unknown as string, task(2)],
          ['t3', task(3, 'vb')],
        ]),
        watermark: '2026-03-11T00:00:00.000Z',
      });
      // Matched by message: better-sqlite3's error class may come from another test file's module
      // registry (its native addon is loaded once per jest worker), so it is not this realm's Error.
      const err = await failing.then(
        () => null,
        (e: unknown) => e,
      );
      expect(String((err as { message?: unknown } | null)?.message)).toMatch(/NOT NULL|null value/i);
      expect(await ledger.getWatermark()).toBe('2026-03-10T12:00:00.000Z');
      expect(await ledger.task('t1')).toEqual(task(1, 'va'));
      expect(await ledger.task('t3')).toBeNull();
      expect(await ledger.visitor('va')).toEqual({
        tasks: ['t1'],
        records: { 'tp:1': { h: 'h1', id: 'a01' } },
      });
      expect(await ledger.visitor('vb')).toEqual({ tasks: [], records: {} });
    });

    test('key/value entries of earlier versions move into the tables once, at open', async () => {
      const h = harness();
      await own.setState('join.watermark', '2026-01-01T00:00:00.000Z');
      await own.setState('join.task.00T1', JSON.stringify({ v: 'vk', in: 'i1', out: 'o1' }));
      await own.setState('join.task.00T2', JSON.stringify({ v: null, in: null, out: 'o2' }));
      await own.setState('join.task.00T3', '{damaged');
      await own.setState(
        'join.visitor.vk',
        JSON.stringify({
          tasks: ['00T1', '00T1'],
          records: { 'tp:k': { h: 'hk', id: 'a0k' }, 'ws:k': { h: 'sk' } },
        }),
      );
      await own.setState('joined.other', 'not the ledger');
      await own.setState('cdc.replayId', 'r1');

      own = await h.reopen(own, 'close');
      const ledger = new JoinLedger(own);
      expect(await ledger.getWatermark()).toBe('2026-01-01T00:00:00.000Z');
      expect(await ledger.tasks(['00T1', '00T2', '00T3'])).toEqual(
        new Map([
          ['00T1', { v: 'vk', in: 'i1', out: 'o1' }],
          ['00T2', { v: null, in: null, out: 'o2' }],
        ]),
      );
      expect(await ledger.visitor('vk')).toEqual({
        tasks: ['00T1'],
        records: { 'tp:k': { h: 'hk', id: 'a0k' }, 'ws:k': { h: 'sk', id: null } },
      });
      for (const key of ['join.watermark', 'join.task.00T1', 'join.task.00T3', 'join.visitor.vk'])
        expect(await own.getState(key)).toBeNull();
      expect(await own.getState('joined.other')).toBe('not the ledger');
      expect(await own.getState('cdc.replayId')).toBe('r1');

      // Opening again moves nothing and loses nothing.
      await ledger.commit({ watermark: '2026-02-01T00:00:00.000Z' });
      own = await h.reopen(own, 'close');
      expect(await new JoinLedger(own).getWatermark()).toBe('2026-02-01T00:00:00.000Z');
      expect(await new JoinLedger(own).task('00T1')).toEqual({ v: 'vk', in: 'i1', out: 'o1' });
    });

    test('pruning removes a visitor whole once all of it is old and it has no sessions; others stay', async () => {
      const ledger = new JoinLedger(own);
      const entry = (tasks: string[]): VisitorLedger => ({
        tasks,
        records: Object.fromEntries(tasks.map((t) => [`tp:${t}`, { h: 'h', id: `a0${t}` }])),
      });
      // gone: no sessions, all old. tracked: has a session. busy: one Task updated recently.
      await own.appendEvents([
        {
          eventId: 'e-tracked',
          type: 'page_view',
          visitorId: 'tracked',
          url: 'https://www.example.com/',
          referrer: null,
          receivedAt: Date.now(),
          clientTime: null,
          email: null,
        },
      ]);
      await ledger.commit({
        visitors: new Map([
          ['gone', entry(['g1', 'g2'])],
          ['tracked', entry(['k1'])],
          ['busy', entry(['b1', 'b2'])],
        ]),
        tasks: new Map([
          ['g1', task(1, 'gone')],
          ['g2', task(2, 'gone')],
          ['k1', task(3, 'tracked')],
          ['b1', task(4, 'busy')],
          ['b2', task(5, 'busy')],
          ['n1', task(6, null)],
          // R24: an erased or suppressed caller's Task, to be left alone for good.
          ['a1', { ...task(8, null), out: TASK_LEFT_ALONE }],
        ]),
      });
      await new Promise((r) => setTimeout(r, 5));
      const cutoff = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      await ledger.commit({
        tasks: new Map([
          ['b2', { ...task(5, 'busy'), out: 'new' }],
          ['n2', task(7, null)],
        ]),
      });

      const r = await own.pruneJoinLedger({ before: cutoff, limit: 100 });
      expect(r).toEqual({ visitorsDeleted: 1, tasksDeleted: 3, more: false }); // g1, g2 and n1
      expect(
        [...(await ledger.tasks(['g1', 'g2', 'k1', 'b1', 'b2', 'n1', 'n2', 'a1'])).keys()].sort(),
      ).toEqual(['a1', 'b1', 'b2', 'k1', 'n2']);
      expect(await ledger.visitor('gone')).toEqual({ tasks: [], records: {} });
      expect(await ledger.visitor('tracked')).toEqual(entry(['k1']));
      expect(await ledger.visitor('busy')).toEqual(entry(['b1', 'b2']));
      expect(await own.pruneJoinLedger({ before: cutoff, limit: 100 })).toEqual({
        visitorsDeleted: 0,
        tasksDeleted: 0,
        more: false,
      });
      // Later, everything is old: the visitor with sessions still keeps its ledger.
      const later = Date.now() + 1;
      expect(await own.pruneJoinLedger({ before: later, limit: 1 })).toMatchObject({
        visitorsDeleted: 1,
        more: true,
      });
      expect(await ledger.visitor('busy')).toEqual({ tasks: [], records: {} });
      expect(await ledger.visitor('tracked')).toEqual(entry(['k1']));
      // The left-alone mark outlives retention: pruning it would let a later change bring the join back.
      expect((await ledger.tasks(['a1'])).get('a1')?.out).toBe(TASK_LEFT_ALONE);
    });
  });
}
