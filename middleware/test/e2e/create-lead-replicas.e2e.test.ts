import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { freePort } from '../../../scripts/bench/serve-process';
import { projectRoot } from '../../src/project-root';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';

/**
 * Issue 22 item 2 (R19) across replicas: two `serve` processes with UNKNOWN_CALLER=create-lead on one
 * PostgreSQL and one org. Five calls from one unknown number within five minutes, posted to both
 * replicas at once (so both batch them), create exactly one Lead and all five Tasks point to it; so
 * do five more from a second number posted one after another, alternating replicas.
 */
const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL)
  console.log(
    'skipped: two replicas on one PostgreSQL need DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
  );
const maybe = DATABASE_URL ? describe : describe.skip;

jest.setTimeout(180_000);

const KEY = crypto.randomBytes(24).toString('base64url');
const BIN = path.join(projectRoot(), 'bin', 'call-touchpoints.js');

function startServe(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}\n${err}`)), 90_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.includes('Press Ctrl-C to stop')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) while starting: ${out}\n${err}`));
    });
  });
}

async function postCall(url: string, id: string, number: string, minutesAgo: number): Promise<number> {
  const body = JSON.stringify({
    id,
    resource_id: id,
    answered: true,
    direction: 'inbound',
    duration: '60',
    start_time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    customer_phone_number: number,
    tracking_phone_number: '+14045558514',
    source_name: 'Google Ads',
  });
  const signature = crypto.createHmac('sha1', KEY).update(body).digest('base64');
  const res = await fetch(`${url}/webhooks/callrail`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', signature },
  });
  await res.arrayBuffer();
  return res.status;
}

maybe('UNKNOWN_CALLER=create-lead on two serve replicas, one PostgreSQL', () => {
  let db: TempDatabase;
  let org: LocalOrg;
  let dir: string;
  const procs: ChildProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(projectRoot(), 'dist')))
      throw new Error(
        'dist/ is missing: run `npm run build` first (the replicas run bin/call-touchpoints.js)',
      );
    db = await createTempDatabase(DATABASE_URL!, 'ct_create_lead');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-create-lead-'));
    org = await startLocalOrg({ port: 0, dataDir: null, preload: true });
    for (const name of ['A', 'B']) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CALLRAIL_SIGNING_KEY: KEY,
        DATABASE_URL: db.url,
        SF_INSTANCE_URL: org.instanceUrl,
        SF_ACCESS_TOKEN: org.accessToken,
        CALL_TOUCHPOINTS_DATA_DIR: path.join(dir, name),
        UNKNOWN_CALLER: 'create-lead',
        CALL_BATCH_WINDOW_MS: '200',
        LOG_LEVEL: 'warn',
      };
      procs.push(await startServe(port, env));
      urls.push(`http://127.0.0.1:${port}`);
    }
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await org?.close();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('five calls from one number, at once on both replicas or one after another: one Lead, five Tasks on it', async () => {
    const together = '+14155550201';
    const oneByOne = '+14155550202';
    const ids = (n: string) => Array.from({ length: 5 }, (_, i) => `CAL${n.slice(-3)}${i}x${Date.now()}`);
    const first = ids(together);
    const second = ids(oneByOne);
    const statuses = await Promise.all(first.map((id, i) => postCall(urls[i % 2], id, together, 5 - i)));
    for (const [i, id] of second.entries()) {
      statuses.push(await postCall(urls[i % 2], id, oneByOne, 5 - i));
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);

    const conn = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      version: '62.0',
    });
    type Row = { Vendor_Call_Id__c: string; WhoId: string | null };
    let tasks: Row[] = [];
    for (const until = Date.now() + 90_000; Date.now() < until;) {
      tasks = (
        await conn.query<Row>(
          "SELECT Vendor_Call_Id__c, WhoId FROM Task WHERE Vendor_Call_Id__c LIKE 'callrail:%'",
        )
      ).records;
      if (tasks.length === 10 && tasks.every((t) => t.WhoId)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const [number, calls] of [
      [together, first],
      [oneByOne, second],
    ] as const) {
      const leads = (await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE Phone = '${number}'`))
        .records;
      expect({ number, leads: leads.length }).toEqual({ number, leads: 1 });
      const whoIds = calls.map((id) => tasks.find((t) => t.Vendor_Call_Id__c === `callrail:${id}`)?.WhoId);
      expect(whoIds).toEqual(Array(5).fill(leads[0].Id));
    }
  });
});
