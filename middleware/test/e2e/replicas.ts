import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { freePort } from '../../../scripts/bench/serve-process';
import { projectRoot } from '../../src/project-root';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';

/**
 * What the replica tests (replicas.e2e, create-lead-replicas.e2e) share: `serve` processes of the built
 * CLI on one temporary PostgreSQL database and one local org, each replica with its own data dir, as
 * docs/operations.md "Running more than one replica" runs them.
 */

/** `describe` when DATABASE_URL names a PostgreSQL server; otherwise `describe.skip`, saying why. */
export function describeWithPostgres(): jest.Describe {
  if (process.env.DATABASE_URL) return describe;
  console.log(
    'skipped: two replicas on one PostgreSQL need DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
  );
  return describe.skip;
}

const BIN = path.join(projectRoot(), 'bin', 'call-touchpoints.js');

export interface Replica {
  name: string;
  port: number;
  url: string;
  proc: ChildProcess | null;
  /** Every stderr (log) line of every run of this replica. */
  logs: string[];
}

export interface ReplicaSuite {
  readonly db: TempDatabase;
  readonly org: LocalOrg;
  /** One a name, each on its own free port; not started (startReplica). */
  readonly replicas: Replica[];
  /** A replica's environment: only PATH and HOME inherited, the shared store and org, its own data dir. */
  env(name: string, extra: Record<string, string>): NodeJS.ProcessEnv;
}

/**
 * Registers the suite's beforeAll (the database, a data dir, the org, the replicas' ports) and afterAll
 * (replicas killed, everything removed). Call inside the describe; read the fields inside tests.
 */
export function replicaSuite(dbPrefix: string, names: readonly string[]): ReplicaSuite {
  let db: TempDatabase | undefined;
  let org: LocalOrg | undefined;
  let dir: string | undefined;
  const replicas: Replica[] = [];
  beforeAll(async () => {
    if (!fs.existsSync(path.join(projectRoot(), 'dist')))
      throw new Error(
        'dist/ is missing: run `npm run build` first (the replicas run bin/call-touchpoints.js)',
      );
    db = await createTempDatabase(process.env.DATABASE_URL!, dbPrefix);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `${dbPrefix.replace(/_/g, '-')}-`));
    org = await startLocalOrg({ port: 0, dataDir: null, preload: true });
    for (const name of names) {
      const port = await freePort();
      replicas.push({ name, port, url: `http://127.0.0.1:${port}`, proc: null, logs: [] });
    }
  });
  afterAll(async () => {
    for (const r of replicas) r.proc?.kill('SIGKILL');
    await org?.close();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db() {
      return db!;
    },
    get org() {
      return org!;
    },
    replicas,
    env: (name, extra) => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db!.url,
      SF_INSTANCE_URL: org!.instanceUrl,
      SF_ACCESS_TOKEN: org!.accessToken,
      CALL_TOUCHPOINTS_DATA_DIR: path.join(dir!, name),
      ...extra,
    }),
  };
}

/** Starts (or restarts) `serve` for the replica; resolves once it printed its banner. */
export function startReplica(r: Replica, env: NodeJS.ProcessEnv): Promise<void> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(r.port), '--host', '127.0.0.1'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  r.proc = proc;
  let buffered = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    r.logs.push(...lines);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${r.name} did not start: ${out}\n${r.logs.slice(-5).join('\n')}`)),
      90_000,
    );
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Press Ctrl-C to stop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${r.name} exited (${code}) while starting: ${out}\n${r.logs.slice(-5).join('\n')}`));
    });
  });
}

/**
 * An answered inbound CallRail call from `caller` (its ad tracking number, Google Ads) as CallRail posts
 * it: the JSON body and its headers, signed with the replicas' CALLRAIL_SIGNING_KEY. `custom` carries
 * the caller's _biz_uid when the call tracking captured one.
 */
export function callRailWebhook(
  signingKey: string,
  call: { id: string; startTime: Date; caller: string; custom?: Record<string, string> },
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    id: call.id,
    resource_id: call.id,
    answered: true,
    direction: 'inbound',
    duration: '60',
    start_time: call.startTime.toISOString(),
    customer_phone_number: call.caller,
    tracking_phone_number: '+14045558514',
    source_name: 'Google Ads',
    ...(call.custom ? { custom: JSON.stringify(call.custom) } : {}),
  });
  const signature = crypto.createHmac('sha1', signingKey).update(body).digest('base64');
  return { body, headers: { 'content-type': 'application/json', signature } };
}
