import { silentLogger } from '../../src/log';
import { holdWhileDeferring, MAX_DEFERRED_REPLANS } from '../../src/join/deferred-replans';

describe('re-plans held while the daily budget defers them (deferred-replans.ts)', () => {
  test('held visitors are let through, once, when the budget allows again; calls never wait', () => {
    let deferring = true;
    const hold = holdWhileDeferring(() => deferring, silentLogger, 3);
    expect(hold.withinBudget({ taskIds: ['00T1'], visitorIds: ['a', 'b'] })).toEqual({ taskIds: ['00T1'] });
    expect(hold.withinBudget({ visitorIds: ['b', 'c'] }).visitorIds).toBeUndefined();
    deferring = false;
    expect(hold.withinBudget({ visitorIds: ['d'] })).toMatchObject({ visitorIds: ['a', 'b', 'c', 'd'] });
    expect(hold.withinBudget({ visitorIds: ['e'] })).toEqual({ visitorIds: ['e'] });
  });

  test('past the bound the held ids are dropped and one full re-plan stands for them all', () => {
    let deferring = true;
    const hold = holdWhileDeferring(() => deferring, silentLogger, 3);
    hold.withinBudget({ visitorIds: ['a', 'b', 'c'] });
    expect(hold.release()).toEqual({ visitorIds: ['a', 'b', 'c'], full: false });
    hold.withinBudget({ visitorIds: ['a', 'b'] });
    hold.withinBudget({ visitorIds: ['c', 'd', 'e'] }); // the 4th distinct visitor overflows
    hold.withinBudget({ visitorIds: ['f'] });
    deferring = false;
    const released = hold.withinBudget({ visitorIds: ['g'] });
    expect(released).toEqual({ visitorIds: ['g'], full: true });
    // Released once: the next trigger is back to plain re-plans.
    expect(hold.withinBudget({ visitorIds: ['h'] })).toEqual({ visitorIds: ['h'] });
    expect(hold.release()).toEqual({ visitorIds: [], full: false });
  });

  test('the default bound is stated and holds that many distinct visitors before falling back', () => {
    const hold = holdWhileDeferring(() => true, silentLogger);
    const ids = Array.from({ length: MAX_DEFERRED_REPLANS }, (_, i) => `v${i}`);
    hold.withinBudget({ visitorIds: ids });
    hold.withinBudget({ visitorIds: ids.slice(0, 10) }); // repeats do not count
    expect(hold.release()).toMatchObject({ full: false });
    hold.withinBudget({ visitorIds: [...ids, 'one more'] });
    expect(hold.release()).toEqual({ visitorIds: [], full: true });
  });
});
