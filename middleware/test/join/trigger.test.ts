import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { JoinLedger } from '../../src/join';
import { runJoinOnce } from '../../src/join';
import type { Store } from '../../src/store';
import { createTasks, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

jest.setTimeout(60_000);

describe('a join run triggered with Task ids', () => {
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;

  beforeAll(async () => {
    session = await joinSession('ct-join-trigger-');
    ({ conn, gateway, store } = session);
  });
  afterAll(() => session?.close());

  it('reads the named Task even when the watermark is already past it', async () => {
    const [id] = await createTasks(conn, [
      {
        Subject: 'webhook call',
        Type: 'Call',
        BizibleId__c: V.adClick,
        Call_Started_At__c: '2026-03-10T12:20:00.000Z',
      },
    ]);
    // A watermark ahead of the Task (as after a clock step on the org side).
    await new JoinLedger(store).setWatermark('2100-01-01T00:00:00.000Z');
    expect((await runJoinOnce({ gateway, store })).tasksRead).toBe(0);

    const s = await runJoinOnce({ gateway, store }, { taskIds: [id] });
    expect(s.tasksRead).toBe(1);
    expect(s.merged).toBe(1);
    const [t] = await gateway.query<{ Call_Join_Status__c: string }>(
      `SELECT Call_Join_Status__c FROM Task WHERE Id = '${id}'`,
    );
    expect(t.Call_Join_Status__c).toBe('Merged');
  });
});
