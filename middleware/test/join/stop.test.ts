import type { LocalOrg } from '@call-touchpoints/local-org';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { Gateway } from '../../src/salesforce/gateway';
import { JoinLedger } from '../../src/join';
import { runJoinOnce, type JoinSummary } from '../../src/join';
import { startJoinWatch } from '../../src/join';
import type { Store } from '../../src/store';
import { createTasks, taskInputs, V } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';
import { note } from '../note';

jest.setTimeout(90_000);

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Calls stop() and returns how long it took to resolve. */
async function timedStop(stop: () => Promise<void>): Promise<number> {
  const started = Date.now();
  await stop();
  return Date.now() - started;
}

describe('stopping the join watch while the org answers 503 to everything', () => {
  let org: LocalOrg;
  let conn: OrgConnection;
  let gateway: Gateway;
  let store: Store;
  let session: JoinSession;
  let taskIds: string[];

  beforeAll(async () => {
    session = await joinSession('ct-join-stop-', {
      // Production-like backoff: without cancellation one run keeps retrying for more than 30 s.
      retry: { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 10 },
    });
    ({ org, conn, gateway, store } = session);
    taskIds = await createTasks(conn, taskInputs());
  });
  afterAll(() => session?.close());

  it('returns promptly from a retry loop, records nothing unwritten, and a later run does the work once', async () => {
    const ledger = new JoinLedger(store);

    // 1. Down while reading: stop() cuts the read's backoff short; nothing is recorded.
    org.setFaults({ errorRate503: 1 });
    let before = gateway.requestCount();
    const reading = startJoinWatch({ gateway, store }, { intervalMs: 3_600_000 });
    await until('a retried read', () => gateway.requestCount() >= before + 2);
    const readStopMs = await timedStop(() => reading.stop());
    expect(readStopMs).toBeLessThan(3_000);
    expect(await ledger.getWatermark()).toBeNull();

    // 2. Down while writing: the read succeeds, then every composite write answers 503.
    org.clearFaults();
    const summaries: JoinSummary[] = [];
    let writesFailing = false;
    const writing = startJoinWatch(
      {
        gateway,
        store,
        progress: {
          start: () => {
            before = gateway.requestCount();
            org.setFaults({ errorRate503: 1 });
            writesFailing = true;
          },
          increment: () => undefined,
          stop: () => undefined,
        },
      },
      { intervalMs: 3_600_000, onSummary: (s) => summaries.push(s) },
    );
    await until('a retried write', () => writesFailing && gateway.requestCount() >= before + 2);
    const writeStopMs = await timedStop(() => writing.stop());
    expect(writeStopMs).toBeLessThan(3_000);
    note(`stop() during a read retry: ${readStopMs} ms, during a write retry: ${writeStopMs} ms`);

    expect(summaries).toHaveLength(1);
    expect(summaries[0].aborted).toBe(true);
    expect(summaries[0].written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    expect(summaries[0].failed.length).toBeGreaterThan(0);
    // Nothing unwritten is in the ledger, and the watermark is not past any unprocessed Task.
    expect((await ledger.visitor(V.adClick)).records).toEqual({});
    for (const id of taskIds) expect((await ledger.task(id))?.in ?? null).toBeNull();
    const watermark = await ledger.getWatermark();
    org.clearFaults();
    const modstamps = (
      await gateway.query<{ SystemModstamp: string }>('SELECT SystemModstamp FROM Task')
    ).map((t) => Date.parse(t.SystemModstamp));
    if (watermark) expect(Date.parse(watermark)).toBeLessThanOrEqual(Math.min(...modstamps));
    expect(await gateway.query('SELECT Id FROM Touchpoint__c')).toHaveLength(0);

    // 3. The org is back: one run completes the work, the next finds nothing left to do.
    const done = await runJoinOnce({ gateway, store });
    expect(done.failed).toEqual([]);
    expect(done.aborted).toBe(false);
    expect(done.written.tasks).toBe(5);
    const again = await runJoinOnce({ gateway, store });
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    const keys = (
      await gateway.query<{ Touchpoint_Key__c: string }>('SELECT Touchpoint_Key__c FROM Touchpoint__c')
    ).map((r) => r.Touchpoint_Key__c);
    expect(keys.length).toBe(done.written.touchpoints);
    expect(new Set(keys).size).toBe(keys.length);
    const [merged] = await gateway.query<{ Call_Join_Status__c: string }>(
      "SELECT Call_Join_Status__c FROM Task WHERE Subject = 'Call from ad'",
    );
    expect(merged.Call_Join_Status__c).toBe('Merged');
  });
});
