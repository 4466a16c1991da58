import { startCallPipeline } from '../../src/calls/pipeline';
import { runJoinOnce, taskFields } from '../../src/join';
import { silentLogger } from '../../src/log';
import { actionFor } from '../../src/salesforce/cdc/taskChangeEvent';
import { outboxKey } from '../../src/vendors/call-progress';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import { BASE, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * Issue 22 item 4: late links follow. A rep who sets or changes a call Task's WhoId changes a field the
 * join reads (task-fields.ts), so the Task's change event asks for a join of that Task
 * (cdc/taskChangeEvent.ts) — a run over that one Task, no full re-run — and the call's touchpoint moves
 * to the person (Lead__c / Contact__c).
 */
describe('late links: the touchpoint follows a WhoId a rep sets or changes', () => {
  let s: JoinSession;
  beforeAll(async () => {
    s = await joinSession('ct-late-link-');
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a WhoId change is a join input; the next run of that Task moves the call's touchpoint", async () => {
    expect(
      actionFor(
        { changeType: 'UPDATE', recordIds: ['00T000000000001AAA'], changedFields: ['WhoId'] } as never,
        new Set(taskFields('BizibleId__c')),
      ),
    ).toBe('join');

    const call: NormalizedCall = {
      vendor: 'callrail',
      vendorCallId: 'callrail:LATE1',
      startedAt: new Date(BASE + 20 * 60_000).toISOString(),
      durationSeconds: 40,
      direction: 'inbound',
      outcome: 'answered',
      callerNumber: '+14155550301',
      trackingNumber: '+14155550000',
      source: 'Google Ads',
      campaign: null,
      recordingUrl: null,
      visitorId: V.adClick,
    };
    await s.store.enqueue(CALL_OUTBOX_KIND, outboxKey(call), JSON.stringify(call), Date.now());
    const pipeline = startCallPipeline({
      store: s.store,
      salesforce: s.gateway,
      logger: silentLogger,
      windowMs: 0,
      pollMs: 10,
    });
    try {
      for (let k = 0; k < 200 && (await s.store.outboxDepth(CALL_OUTBOX_KIND)) > 0; k++) {
        pipeline.kick();
        await pipeline.drain();
      }
    } finally {
      await pipeline.stop();
    }
    const [task] = await s.gateway.query<{ Id: string; WhoId: string | null }>(
      "SELECT Id, WhoId FROM Task WHERE Vendor_Call_Id__c = 'callrail:LATE1'",
    );
    expect(task.WhoId).toBeNull();
    const touchpoint = async () =>
      (
        await s.gateway.query<{ Lead__c: string | null; Contact__c: string | null }>(
          `SELECT Lead__c, Contact__c FROM Touchpoint__c WHERE Task_Id__c = '${task.Id}'`,
        )
      )[0];
    expect(await touchpoint()).toMatchObject({ Lead__c: null, Contact__c: null });

    // The rep links the call to a Contact: the change event's run (that Task only) moves the touchpoint.
    const contact = await s.gateway.create('Contact', { LastName: 'Rep-linked' });
    await s.gateway.write([
      { kind: 'update', records: [{ attributes: { type: 'Task' }, Id: task.Id, WhoId: contact.id }] },
    ]);
    const first = await runJoinOnce({ gateway: s.gateway, store: s.store }, { taskIds: [task.Id] });
    expect(first.failed).toEqual([]);
    expect(await touchpoint()).toMatchObject({ Lead__c: null, Contact__c: contact.id });

    // ...and then to a Lead instead.
    const lead = await s.gateway.create('Lead', { LastName: 'Rep-changed', Company: 'Acme' });
    await s.gateway.write([
      { kind: 'update', records: [{ attributes: { type: 'Task' }, Id: task.Id, WhoId: lead.id }] },
    ]);
    const second = await runJoinOnce({ gateway: s.gateway, store: s.store }, { taskIds: [task.Id] });
    expect(second.failed).toEqual([]);
    expect(await touchpoint()).toMatchObject({ Lead__c: lead.id, Contact__c: null });
    // Only the touchpoint changed: no session, no other record was written again.
    expect(second.written).toMatchObject({ webSessions: 0, touchpoints: 1, deleted: 0 });
  });
});
