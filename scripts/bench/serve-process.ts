import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectFile } from '../../middleware/src/project-root';
import { sleep } from './stats';

/**
 * The real `call-touchpoints serve` as a child process on a free port with a throw-away data
 * directory: what a user runs with `npm start`, so its memory and latency are the product's.
 */
export interface ServeProcess {
  pid: number;
  port: number;
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed on stdout so far (start-up banner with its URLs). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Environment of a default-mode server: no org configured (→ embedded local org), no
 * DATABASE_URL (→ SQLite under the data dir), whatever the benchmark runner's own shell has.
 */
function defaultModeEnv(port: number, dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('SF_') || key === 'DATABASE_URL') delete env[key];
  }
  return { ...env, LOG_LEVEL: 'warn', ...extra, PORT: String(port), CALL_TOUCHPOINTS_DATA_DIR: dataDir };
}

async function waitReady(child: ChildProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`serve exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      await res.arrayBuffer();
      if (res.ok) return;
      last = `/healthz answered ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`serve was not ready within ${timeoutMs} ms (${last})`);
}

/**
 * Node flags of `npm start` (package.json; docs/operations.md "Memory"): a 4 MB young-generation
 * semi-space instead of V8's 16 MB, so a busy serve's heap does not hold ~30 MB of short-lived
 * garbage between scavenges, and a 256 MB old generation, so V8 collects instead of growing the heap
 * with the allocation rate (issue 28). Safe since the join reads its Tasks in pages (join/read.ts
 * JOIN_READ_PAGE). Benches and process tests start serve the same way.
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];

export async function startServe(
  options: {
    env?: Record<string, string>;
    readyTimeoutMs?: number;
    /** Reuse this data dir (a restart) and keep it on stop; default: a new temp dir, removed. */
    dataDir?: string;
  } = {},
): Promise<ServeProcess> {
  const port = await freePort();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-serve-'));
  const child = spawn(
    process.execPath,
    [...SERVE_NODE_FLAGS, projectFile('bin', 'call-touchpoints.js'), 'serve'],
    {
      env: defaultModeEnv(port, dataDir, options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(child, baseUrl, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    const tail = stderr.split('\n').slice(-15).join('\n');
    throw new Error(`${(err as Error).message}\n--- serve stderr (tail) ---\n${tail}`);
  }
  return { pid: child.pid!, port, baseUrl, dataDir, output: () => stdout, stop };
}
