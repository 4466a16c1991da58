import { createStore } from '../../src/store';
import { CALL_OUTBOX_KIND } from '../../src/vendors/router';
import { callRailPayload, postSignedCallRail } from '../../src/web/demo-site';
import { startTestServer, suiteTempDirs } from './helpers';
import { until } from '../until';
import { note } from '../note';

const VISITOR = 'ab'.repeat(16);

describe('graceful shutdown', () => {
  const newDir = suiteTempDirs();

  test('a call still waiting for the org survives close() and reaches the org after a restart', async () => {
    const dir = newDir('shutdown');
    // Polling (not Change Data Capture): the join must be in its retry loop against the dead org.
    const first = await startTestServer(dir, { env: { TASK_DISCOVERY: 'polling' } });
    let closed = false;
    try {
      // The org goes down: every API request answers 503.
      first.localOrg!.setFaults({ errorRate503: 1 });
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(503);
      const body = await health.json();
      expect(body.failed).toEqual(['org']);
      expect(body.store).toBe('ok (sqlite)');

      const delivery = await postSignedCallRail(
        `${first.url}/webhooks/callrail`,
        first.demoCallRailKey as string,
        callRailPayload({
          id: 'CALSHUTDOWN1',
          visitorId: VISITOR,
          startedAt: new Date(),
          durationSeconds: 60,
        }),
      );
      expect(delivery.status).toBe(202);
      // The worker tried and failed at least once: the item is rescheduled, not lost.
      const metrics = await until('a failed outbox attempt', 15_000, async () => {
        const text = await (await fetch(`${first.url}/metrics`)).text();
        return /^call_touchpoints_outbox_depth 1$/m.test(text) &&
          /salesforce_errors_total\{code="SERVER_UNAVAILABLE"\}/.test(text)
          ? text
          : null;
      });
      expect(metrics).toContain('call_touchpoints_calls_received_total{vendor="callrail"} 1');

      // What SIGTERM does. The join is in its retry loop against the dead org and the worker keeps
      // failing: both stop within a request, well before the 10 s last-resort deadline.
      const closeStarted = Date.now();
      await first.close();
      closed = true;
      const closeMs = Date.now() - closeStarted;
      note(`close() with the org down: ${closeMs} ms`);
      expect(closeMs).toBeLessThan(5_000);
      const afterClose = await fetch(`${first.url}/healthz`).then(
        () => 'answered',
        () => 'refused',
      );
      expect(afterClose).toBe('refused');
    } finally {
      if (!closed) await first.close();
    }

    const store = await createStore({ dataDir: dir });
    try {
      expect(await store.outboxDepth(CALL_OUTBOX_KIND)).toBe(1);
      const [item] = await store.due(CALL_OUTBOX_KIND, Date.now() + 24 * 3600_000, 10);
      expect(JSON.parse(item.payload)).toMatchObject({
        vendorCallId: 'callrail:CALSHUTDOWN1',
        visitorId: VISITOR,
      });
    } finally {
      await store.close();
    }

    // Restart on the same data: the org is healthy again, the outbox drains, one Task appears.
    const second = await startTestServer(dir);
    try {
      // The call is done when its Task carries the join's status and the outbox is empty.
      const tasks = await until('the joined Task, outbox empty', 30_000, async () => {
        const r = await second.org.conn.query<{ Id: string; Call_Join_Status__c: string | null }>(
          "SELECT Id, Call_Join_Status__c FROM Task WHERE Vendor_Call_Id__c = 'callrail:CALSHUTDOWN1'",
        );
        const depth = await second.store.outboxDepth(CALL_OUTBOX_KIND);
        return r.records.some((t) => t.Call_Join_Status__c) && depth === 0 ? r.records : null;
      });
      expect(tasks).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 120_000);
});
