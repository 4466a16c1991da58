import { simulate } from '../../src/cli/commands/simulate';
import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { runJoinOnce } from '../../src/join';
import type { Store } from '../../src/store';
import {
  createTasks,
  eventsFile,
  expectOrgMatchesPlan,
  taskInputs,
  tasksNdjson,
  V,
} from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

function simulatePlan(tasksText: string) {
  const result = simulate({
    events: eventsFile(),
    tasks: { name: 'tasks.ndjson', text: tasksText },
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

describe('join against a local org (jsforce, real HTTP)', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;
  let taskIds: string[];

  beforeAll(async () => {
    session = await joinSession('ct-join-');
    ({ org, conn, gateway, store } = session);
    taskIds = await createTasks(conn, taskInputs());
  });
  afterAll(() => session?.close());

  it('writes exactly what simulate prints for the same events and Tasks', async () => {
    const plan = simulatePlan(await tasksNdjson(gateway));
    expect(plan.summary).toMatchObject({ merged: 2, standalone: 2, missingId: 1 });

    const summary = await runJoinOnce({ gateway, store });
    expect(summary.failed).toEqual([]);
    expect(summary.tasksRead).toBe(5); // the "Send letter" Task is neither a call nor has a BizibleId
    expect(summary).toMatchObject({
      merged: plan.summary.merged,
      standalone: plan.summary.standalone,
      missingId: 1,
    });
    expect(summary.written).toEqual({
      webSessions: plan.webSessions.length,
      touchpoints: plan.touchpoints.length,
      opportunityTouchpoints: 0,
      tasks: plan.tasks.length,
      deleted: 0,
    });
    await expectOrgMatchesPlan(gateway, plan);
  });

  it('re-running writes nothing: only the read query reaches the org', async () => {
    org.resetApiRequests();
    const summary = await runJoinOnce({ gateway, store });
    expect(summary.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    expect(org.apiRequests()).toBe(1);
    expect(summary.apiRequests).toBe(1);
    // …and it stays quiet: its own Task updates do not trigger more work.
    org.resetApiRequests();
    expect((await runJoinOnce({ gateway, store })).written.tasks).toBe(0);
    expect(org.apiRequests()).toBe(1);
  });

  it('a Task that changes updates its touchpoint; a standalone call that becomes merged loses its old touchpoint', async () => {
    const unknownCall = taskIds[3];
    const before = await gateway.query<{ Id: string }>('SELECT Id FROM Touchpoint__c');
    // The vendor corrects the cookie id: the call was from the ad-click visitor (inside its session window).
    await conn.conn.sobject('Task').update({ Id: unknownCall, BizibleId__c: V.adClick } as never);
    const summary = await runJoinOnce({ gateway, store });
    expect(summary.failed).toEqual([]);
    expect(summary.written.deleted).toBe(1);

    const plan = simulatePlan(await tasksNdjson(gateway));
    await expectOrgMatchesPlan(gateway, plan);
    const after = await gateway.query<{ Id: string }>('SELECT Id FROM Touchpoint__c');
    expect(after.length).toBe(before.length - 1);
    const [task] = await gateway.query<any>(
      `SELECT Call_Join_Status__c FROM Task WHERE Id = '${unknownCall}'`,
    );
    expect(task.Call_Join_Status__c).toBe('Merged');
  });

  it('--full re-plans every call and still writes nothing when nothing changed', async () => {
    const summary = await runJoinOnce({ gateway, store }, { full: true });
    expect(summary.tasksPlanned).toBe(5);
    expect(summary.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  });
});
