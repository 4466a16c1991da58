import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { registry } from '../../src/metrics';
import { JoinLedger } from '../../src/join';
import { startServer, type ServerHandle } from '../../src/server/start';
import { createStore } from '../../src/store';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';
import { V, trackedEvents } from './fixtures';
import { localOrgCdcEnv, selectTaskForCdc, orgRequestsByKind } from './helpers';
import { untilTruthy } from '../until';

jest.setTimeout(90_000);

/**
 * Tasks written straight into the org by another client (a vendor's connector) are found by Change
 * Data Capture over real gRPC + TLS against the local org, not by polling.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The join's polling interval: it applies only while Change Data Capture is unavailable. Short, so
 * that polling left on while streaming would show as queries within a second (the idle check).
 */
const POLL_MS = 200;

/** TaskChangeEvents the server acted on by joining (call_touchpoints_cdc_events_total). */
async function cdcJoins(): Promise<number> {
  const m = /call_touchpoints_cdc_events_total\{outcome="join"\} (\d+)/.exec(await registry.metrics());
  return m ? Number(m[1]) : 0;
}

// With DATABASE_URL the replay id lives in PostgreSQL (a temp database), else in SQLite.
describe(`Task discovery by Change Data Capture (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'} store)`, () => {
  let db: TempDatabase | null = null;
  let org: LocalOrg;
  let vendor: Connection;
  let orgDir: string;
  let dataDir: string;
  let server: ServerHandle | null = null;

  const start = async () => {
    const config = loadConfig({
      ...localOrgCdcEnv(org, dataDir),
      ...(db ? { DATABASE_URL: db.url } : {}),
    });
    server = await startServer(config, {
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      joinIntervalMs: POLL_MS,
    });
    await untilTruthy('CDC', async () => server!.taskDiscovery!.status().mode === 'cdc');
    return server;
  };
  const stop = async () => {
    await server?.close();
    server = null;
  };
  const vendorTask = async (subject: string) => {
    const r = (await vendor.sobject('Task').create({
      Subject: subject,
      Type: 'Call',
      TaskSubtype: 'Call',
      BizibleId__c: V.adClick,
      Call_Started_At__c: '2026-03-10T12:20:00.000Z',
      CallDurationInSeconds: 120,
    })) as { id: string };
    return r.id;
  };
  const joined = (id: string) =>
    untilTruthy(`Task ${id} joined`, async () => (await new JoinLedger(server!.store).task(id)) ?? null);
  const byKind = () => orgRequestsByKind(org);

  // Each test has its own org, store and server: none depends on another having run first.
  beforeEach(async () => {
    if (process.env.DATABASE_URL) db = await createTempDatabase(process.env.DATABASE_URL);
    orgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-org-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-data-'));
    org = await startLocalOrg({ port: 0, dataDir: orgDir, preload: true });
    vendor = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '62.0' });
    await selectTaskForCdc(vendor);
  });
  afterEach(async () => {
    await stop();
    await org?.close();
    await db?.drop();
    db = null;
    for (const d of [orgDir, dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A first run of the server that streamed one change event, so a replay id is stored. */
  const firstRun = async () => {
    await start();
    await server!.store.appendEvents(trackedEvents());
    await joined(await vendorTask('before the restart'));
    await untilTruthy('a stored replay id', () => server!.store.getState('cdc.TaskChangeEvent.replayId'));
  };

  it('joins a vendor-written Task without a webhook and without a polling query', async () => {
    await start();
    await server!.store.appendEvents(trackedEvents());
    await sleep(300); // the start-up run is over
    org.resetApiRequests();
    const joinsBefore = await cdcJoins();
    const id = await vendorTask('vendor connector call');
    await joined(id);
    expect(await cdcJoins()).toBeGreaterThan(joinsBefore); // the change event made it run
    const during = await byKind();
    // One join run: its Task read (by Id) and the visitor's other calls; no periodic Task query.
    expect(during.query ?? 0).toBeLessThanOrEqual(2);
    org.resetApiRequests();
    // Idle while streaming: polling (every POLL_MS while CDC is down) is off, so five intervals
    // pass without a single request.
    await sleep(5 * POLL_MS);
    expect(await byKind()).toEqual({});
    const [t] = (
      await vendor.query<{
        Call_Join_Status__c: string;
        Call_Join_Reason__c: string;
        Call_Touchpoint__c: string | null;
      }>(`SELECT Call_Join_Status__c, Call_Join_Reason__c, Call_Touchpoint__c FROM Task WHERE Id = '${id}'`)
    ).records;
    expect(t.Call_Join_Status__c).toBe('Merged');
    // R23: the vendor linked nobody, so the merged call's reason says so.
    expect(t.Call_Join_Reason__c).toBe('Unknown_Caller');
    expect(t.Call_Touchpoint__c).toBeTruthy();
    const health = (await (await fetch(`${server!.url}/healthz`)).json()) as { taskDiscovery: string };
    expect(health.taskDiscovery).toMatch(/^cdc \(/);
  });

  it('plans created Tasks from their change events: one write per window, no Task read (issue 28)', async () => {
    await start();
    await server!.store.appendEvents(trackedEvents());
    await sleep(300);
    org.resetApiRequests();
    // Four vendor Tasks within one batching window (CALL_BATCH_WINDOW_MS, 1 s): the create events
    // carry every field the join reads, so the run reads none of them.
    const ids = await Promise.all([1, 2, 3, 4].map((i) => vendorTask(`vendor call ${i}`)));
    for (const id of ids) await joined(id);
    const during = await byKind();
    expect(during.query ?? 0).toBe(0);
    expect(during.composite ?? 0).toBeLessThanOrEqual(2);
    // What the event said is what a read says: a full re-plan from the org writes nothing.
    const again = await server!.join.trigger();
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
    // An update of a field the join reads holds only that field: that Task is read by Id.
    org.resetApiRequests();
    await vendor.sobject('Task').update({ Id: ids[0], Call_Started_At__c: '2026-03-10T12:25:00.000Z' });
    await untilTruthy('the updated Task read', async () => ((await byKind()).query ?? 0) >= 1);
  });

  it('after a restart resumes from the stored replay id: Tasks written meanwhile are joined once', async () => {
    await firstRun();
    const stored = await server!.store.getState('cdc.TaskChangeEvent.replayId');
    expect(stored).toMatch(/^\d+$/);
    await stop();
    const ids = [
      await vendorTask('while down 1'),
      await vendorTask('while down 2'),
      await vendorTask('while down 3'),
    ];
    await start();
    expect(server!.taskDiscovery!.status().reason).toContain(`from replay id ${stored}`);
    for (const id of ids) await joined(id);
    const tasks = (
      await vendor.query<{ Id: string; Call_Join_Status__c: string; Call_Touchpoint__c: string }>(
        `SELECT Id, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE Id IN ('${ids.join("','")}')`,
      )
    ).records;
    expect(tasks.map((t) => t.Call_Join_Status__c)).toEqual(['Merged', 'Merged', 'Merged']);
    const touchpoints = (await vendor.query<{ Id: string }>(`SELECT Id FROM Touchpoint__c`)).records.map(
      (r) => r.Id,
    );
    for (const t of tasks) expect(touchpoints.filter((tp) => tp === t.Call_Touchpoint__c)).toHaveLength(1);
    expect(new Set(touchpoints).size).toBe(touchpoints.length);
  });

  it('an expired replay id: one catch-up run from the watermark, then streaming again', async () => {
    await firstRun();
    await stop();
    const id = await vendorTask('while down, replay id expired');
    // A replay id the org no longer retains (as after 72 hours).
    const store = await createStore({ dataDir, databaseUrl: db?.url ?? null });
    await store.setState('cdc.TaskChangeEvent.replayId', '12345');
    await store.close();
    await start();
    await untilTruthy('the expired replay id reported', async () =>
      /call_touchpoints_cdc_stream_errors_total\{reason="replay-expired"\} [1-9]/.test(
        await registry.metrics(),
      ),
    );
    await joined(id);
    // The stored position is gone; the next one comes from the new stream.
    expect(await server!.store.getState('cdc.TaskChangeEvent.replayId')).not.toBe('12345');
    const next = await vendorTask('after catch-up');
    await joined(next);
    expect(server!.taskDiscovery!.status().mode).toBe('cdc');
  });
});
