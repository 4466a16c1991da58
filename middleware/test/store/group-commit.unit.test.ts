import { GroupCommit } from '../../src/store/group-commit';

describe('GroupCommit', () => {
  test('items submitted together share one run; each caller gets its own result', async () => {
    const runs: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      runs.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => gc.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  test('when a shared run fails, only the faulty item fails; the others are committed alone', async () => {
    const runs: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      runs.push(items);
      if (items.includes(13)) throw new Error('bad item 13');
      return items;
    });
    const settled = await Promise.allSettled([1, 13, 2].map((n) => gc.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad item 13');
    expect(runs).toEqual([[1, 13, 2], [1], [13], [2]]);
  });

  test('items arriving while a run is in flight are committed together next; drain waits for all', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      runs.push(items);
      if (runs.length === 1) await gate;
      return items;
    });
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [gc.submit(2), gc.submit(3)];
    release();
    await gc.drain();
    await Promise.all([first, ...later]);
    expect(runs).toEqual([[1], [2, 3]]);
  });
});
