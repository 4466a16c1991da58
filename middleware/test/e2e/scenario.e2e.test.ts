import {
  checkExpectations,
  compareWithOrg,
  loadScenario,
  predict,
  readScenario,
  waitForJoin,
} from '../../../scripts/scenario/scenario';
import { serveDuringSuite } from '../server/helpers';

/**
 * The shared scenario (scripts/scenario/calls-scenario.json) against `serve` with the embedded local
 * org: sessions through POST /collect, calls through the signed CallRail webhook, the join in watch
 * mode; then everything read back with SOQL must equal what `simulate` predicts. The scratch-org run
 * (scripts/scratch-org-e2e.sh) does the same against a real org.
 */
describe('scenario end to end against the local org', () => {
  const ctx = serveDuringSuite('scenario');

  test('touchpoints, web sessions and Task statuses in the org equal the simulate prediction', async () => {
    const scenario = readScenario();
    const loaded = await loadScenario(scenario, {
      baseUrl: ctx.server.url,
      callrailSigningKey: ctx.server.demoCallRailKey as string,
    });
    const conn = ctx.server.org.conn;
    const tasks = await waitForJoin(conn, loaded, {
      timeoutMs: 30_000,
      trigger: () => ctx.server.join.trigger(),
    });

    // The scenario's own expectations first: readable failures if the engine changes behaviour.
    expect(await checkExpectations(conn, scenario, loaded, tasks)).toEqual([]);

    const predicted = predict(loaded, tasks);
    expect(predicted.filter((r) => r.sobject === 'Task')).toHaveLength(scenario.calls.length);
    expect(predicted.filter((r) => r.sobject === 'Touchpoint__c').length).toBeGreaterThanOrEqual(5);
    const comparison = await compareWithOrg(conn, predicted, tasks);
    expect(comparison.differences).toEqual([]);
    expect(comparison.compared).toBe(predicted.length);

    // Re-running the join writes nothing new (R11).
    const again = await ctx.server.join.trigger();
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  }, 60_000);
});
