import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { startServe, type ServeProcess } from '../../../scripts/bench/serve-process';
import { adClickPageView, newVisitorId, postCollect } from '../../../scripts/bench/traffic';
import { selectTaskForCdc } from './helpers';

jest.setTimeout(180_000);

/**
 * The real `serve` process (dist/, run `npm run build` first), killed with SIGKILL in the middle of
 * a burst of vendor-written Tasks, then started again on the same data dir: every Task ends up
 * joined exactly once — the stored replay id plus the join ledger make redelivery harmless.
 */
describe('SIGKILL during a burst of vendor-written Tasks', () => {
  let org: LocalOrg;
  let vendor: Connection;
  let orgDir: string;
  let dataDir: string;
  let serve: ServeProcess | null = null;

  beforeAll(async () => {
    orgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-kill-org-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-cdc-kill-data-'));
    org = await startLocalOrg({ port: 0, dataDir: orgDir, preload: true });
    vendor = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '62.0' });
    await selectTaskForCdc(vendor);
  });
  afterAll(async () => {
    await serve?.stop();
    await org?.close();
    for (const d of [orgDir, dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  const start = () =>
    startServe({
      dataDir,
      env: {
        SF_INSTANCE_URL: org.instanceUrl,
        SF_ACCESS_TOKEN: org.accessToken,
        SF_PUBSUB_ENDPOINT: org.pubsubEndpoint!,
        SF_PUBSUB_CA_FILE: org.pubsubCertFile!,
        COLLECT_RATE_LIMIT: '1000000',
        COLLECT_NEW_VISITORS_PER_MINUTE: '0',
        // Change events are batched over the webhook window (issue 28); a short one stores replay
        // ids within the half second before the kill, so the restart resumes from one.
        CALL_BATCH_WINDOW_MS: '200',
      },
    });

  it('joins every Task once after a restart', async () => {
    serve = await start();
    const visitors = Array.from({ length: 200 }, () => newVisitorId());
    for (let i = 0; i < visitors.length; i += 100)
      expect(
        await postCollect(
          serve.baseUrl,
          visitors.slice(i, i + 100).map((v) => adClickPageView(v)),
        ),
      ).toBe(204);
    await new Promise((r) => setTimeout(r, 1500)); // calls start after the visits

    const ids: string[] = [];
    for (let i = 0; i < visitors.length; i += 10) {
      if (i === 100) {
        process.kill(serve.pid, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 200));
      }
      const batch = visitors.slice(i, i + 10).map((v) => ({
        Subject: 'vendor call',
        Type: 'Call',
        TaskSubtype: 'Call',
        BizibleId__c: v,
        Call_Started_At__c: new Date().toISOString(),
        CallDurationInSeconds: 30,
      }));
      const res = (await vendor.sobject('Task').create(batch as never)) as unknown as { id: string }[];
      ids.push(...res.map((r) => r.id));
      await new Promise((r) => setTimeout(r, 50));
    }
    serve = await start();
    // It picked up from the replay id the killed process had stored, not from "now".
    const health = (await (await fetch(`${serve.baseUrl}/healthz`)).json()) as { taskDiscovery: string };
    expect(health.taskDiscovery).toMatch(/^cdc \(resumed \/data\/TaskChangeEvent from replay id \d+\)$/);

    const end = Date.now() + 60_000;
    let tasks: { Id: string; Call_Join_Status__c: string | null; Call_Touchpoint__c: string | null }[] = [];
    while (Date.now() < end) {
      tasks = (
        await vendor.query<(typeof tasks)[number]>(
          `SELECT Id, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE Subject = 'vendor call'`,
        )
      ).records;
      if (tasks.length === 200 && tasks.every((t) => t.Call_Join_Status__c === 'Merged')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(tasks.filter((t) => t.Call_Join_Status__c === 'Merged')).toHaveLength(200);
    const touchpoints = (await vendor.query<{ Id: string }>('SELECT Id FROM Touchpoint__c')).records;
    expect(touchpoints).toHaveLength(200); // once each: no duplicate from redelivered events
    expect(new Set(tasks.map((t) => t.Call_Touchpoint__c)).size).toBe(200);
    expect(new Set(ids).size).toBe(200);
  });
});
