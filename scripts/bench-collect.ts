import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Command, InvalidArgumentError } from 'commander';
import express from 'express';
import { loadConfig } from '../middleware/src/config';
import { silentLogger } from '../middleware/src/log';
import { createStore } from '../middleware/src/store';
import { createTempDatabase } from '../middleware/src/store/pg-temp-db';
import { createTrackingRouter } from '../middleware/src/tracking';
import { MAX_BODY_BYTES } from '../middleware/src/tracking/validate';
import { readProcMemory } from './bench/proc';
import { SERVE_NODE_FLAGS } from './bench/serve-process';
import { printBenchResult } from './bench/result';
import { BROWSER_UA, adClickPageView, innerPageView, newVisitorId } from './bench/traffic';

/**
 * Ingest benchmark (docs/performance.md, bench 4; not a test). The server runs in a CHILD process with the
 * real tracking router and, beside it, a bare express endpoint with the same body limit that only parses the
 * JSON. This process loads both over loopback with autocannon, one after the other in the same run, and
 * prints events/s, p99 and the ratio — for SQLite, then PostgreSQL when DATABASE_URL is set (in a throw-away
 * database). Last line: BENCH_RESULT {json}.
 *
 *   npm run build && node dist/scripts/bench-collect.js [--duration 10] [--batch 10] [--connections 10]
 */

interface Measure {
  eventsPerSec: number;
  requestsPerSec: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  /** Events of the requests answered 2xx. */
  acknowledgedEvents: number;
}

// ---------------------------------------------------------------------------------------------
// Child: the server under test (`--serve sqlite|postgres`)

async function serve(databaseUrl: string | null): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-collect-'));
  const config = loadConfig({
    ...process.env,
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
    COLLECT_RATE_LIMIT: '100000000',
    COLLECT_NEW_VISITORS_PER_MINUTE: '0',
  });
  const store = await createStore({ databaseUrl, dataDir });
  const app = express();
  app.use(createTrackingRouter({ store, config, logger: silentLogger }));
  // The baseline: same transport, same body limit, JSON parsed, nothing validated or stored.
  app.post('/bare', express.raw({ type: () => true, limit: MAX_BODY_BYTES }), (req, res) => {
    JSON.parse((req.body as Buffer).toString('utf8'));
    res.status(204).end();
  });
  app.get('/count', async (_req, res) => {
    res.json({ events: await store.countEvents(), sessions: await store.countSessions() });
  });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void store.close().finally(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// ---------------------------------------------------------------------------------------------
// Parent: the load generator

function startChild(
  kind: 'sqlite' | 'postgres',
  databaseUrl: string | null,
  cpuProfDir: string | null,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      [
        ...SERVE_NODE_FLAGS, // as `npm start` runs serve
        // A V8 CPU profile of the server process, written when it exits (open in Chrome DevTools).
        ...(cpuProfDir
          ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=collect-${kind}.cpuprofile`]
          : []),
        __filename,
        '--serve',
        kind,
        ...(databaseUrl ? ['--database-url', databaseUrl] : []),
      ],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) =>
      reject(new Error(`bench server (${kind}) exited with code ${code} before it was ready`)),
    );
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** One visitor's batch as the snippet sends it; a visitor's first batch starts with an ad click. */
function bodyFactory(batch: number, visitors: number): () => string {
  const pool = Array.from({ length: visitors }, () => ({ id: newVisitorId(), n: 0 }));
  return () => {
    const v = pool[crypto.randomInt(pool.length)];
    const events = Array.from({ length: batch }, () => {
      const e = v.n === 0 ? adClickPageView(v.id) : innerPageView(v.id, v.n);
      v.n += 1;
      return { ...e, eventId: crypto.randomBytes(12).toString('hex'), clientTime: Date.now() };
    });
    return JSON.stringify({ events });
  };
}

async function load(url: string, opts: LoadOptions): Promise<Measure> {
  const makeBody = bodyFactory(opts.batch, opts.visitors);
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.duration,
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
    requests: [{ setupRequest: (req) => ({ ...req, body: makeBody() }) }],
  });
  const ok = result['2xx'];
  return {
    eventsPerSec: Math.round((ok * opts.batch) / opts.duration),
    requestsPerSec: Math.round(ok / opts.duration),
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors,
    acknowledgedEvents: ok * opts.batch,
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

interface LoadOptions {
  duration: number;
  connections: number;
  batch: number;
  visitors: number;
  cpuProfDir: string | null;
}

/** The server child's RSS once a second while `during` runs: the last minute's min/max says "flat". */
async function sampleRss<T>(
  pid: number,
  during: Promise<T>,
): Promise<{ value: T; rssMb: [number, number][] }> {
  const samples: [number, number][] = [];
  const started = Date.now();
  const timer = setInterval(() => {
    const m = readProcMemory(pid);
    if (m) samples.push([Math.round((Date.now() - started) / 1000), Math.round(m.rssMb * 10) / 10]);
  }, 1000);
  try {
    return { value: await during, rssMb: samples };
  } finally {
    clearInterval(timer);
  }
}

function lastMinute(samples: [number, number][]): { minMb: number; maxMb: number } | null {
  if (samples.length === 0) return null;
  const end = samples[samples.length - 1][0];
  const tail = samples.filter(([t]) => t >= end - 60).map(([, mb]) => mb);
  return { minMb: Math.min(...tail), maxMb: Math.max(...tail) };
}

async function measureStore(
  kind: 'sqlite' | 'postgres',
  databaseUrl: string | null,
  o: LoadOptions,
): Promise<Record<string, unknown>> {
  const { child, port } = await startChild(kind, databaseUrl, o.cpuProfDir);
  try {
    const base = `http://127.0.0.1:${port}`;
    process.stdout.write(`[${kind}] bare express endpoint, ${o.duration} s, ${o.connections} connections…\n`);
    const bare = await load(`${base}/bare`, o);
    process.stdout.write(`[${kind}] POST /collect, ${o.duration} s, ${o.connections} connections…\n`);
    const { value: collect, rssMb } = await sampleRss(child.pid!, load(`${base}/collect`, o));
    const counts = (await (await fetch(`${base}/count`)).json()) as { events: number; sessions: number };
    const ratio = bare.eventsPerSec ? collect.eventsPerSec / bare.eventsPerSec : 0;
    const flat = lastMinute(rssMb);
    // Every acknowledged event is stored; requests cut off when the load stopped may be stored too.
    const acknowledged = collect.acknowledgedEvents;
    process.stdout.write(
      `[${kind}] bare express  ${fmt(bare.eventsPerSec).padStart(9)} events/s  p99 ${bare.p99Ms} ms\n` +
        `[${kind}] /collect      ${fmt(collect.eventsPerSec).padStart(9)} events/s  p99 ${collect.p99Ms} ms` +
        `  (${(ratio * 100).toFixed(1)}% of bare; non-2xx ${collect.non2xx}, errors ${collect.errors};` +
        ` stored ${fmt(counts.events)} events in ${fmt(counts.sessions)} sessions, ${fmt(acknowledged)} acknowledged)\n` +
        (flat
          ? `[${kind}] server RSS over the last minute of the load: ${flat.minMb}–${flat.maxMb} MB\n`
          : ''),
    );
    if (counts.events < acknowledged)
      throw new Error(`${acknowledged - counts.events} acknowledged events are not in the store`);
    return { ...collect, ratio: Number(ratio.toFixed(4)), bare, stored: counts, rssLastMinuteMb: flat };
  } finally {
    await stopChild(child);
  }
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a whole number of 1 or more`);
    return n;
  };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('bench-collect')
    .description(
      'Loads POST /collect from a second process (autocannon) beside a bare express endpoint; SQLite, then PostgreSQL if DATABASE_URL is set',
    )
    .option('--duration <s>', 'seconds per measurement', positiveInt('--duration'), 10)
    .option('--batch <n>', 'events per request (the snippet sends up to 20)', positiveInt('--batch'), 10)
    .option('--connections <n>', 'concurrent connections', positiveInt('--connections'), 10)
    .option(
      '--visitors <n>',
      'distinct visitors the batches are spread over',
      positiveInt('--visitors'),
      5000,
    )
    .option('--cpu-prof-dir <dir>', 'write a V8 CPU profile of the server process per store into <dir>')
    .option('--serve <kind>', '(internal) run the server under test')
    .option('--database-url <url>', '(internal) PostgreSQL URL for --serve postgres');
  program.parse(argv);
  const o = program.opts<{
    duration: number;
    batch: number;
    connections: number;
    visitors: number;
    cpuProfDir?: string;
    serve?: string;
    databaseUrl?: string;
  }>();
  if (o.batch > 200)
    throw new InvalidArgumentError('--batch must be at most 200 (the /collect limit per request)');
  if (o.serve) return serve(o.serve === 'postgres' ? (o.databaseUrl ?? null) : null);

  process.stdout.write(
    `bench-collect: ${o.duration} s per measurement, ${o.batch} events per request, ${o.connections} connections, ` +
      `${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`,
  );
  const opts: LoadOptions = {
    duration: o.duration,
    connections: o.connections,
    batch: o.batch,
    visitors: o.visitors,
    cpuProfDir: o.cpuProfDir ? path.resolve(o.cpuProfDir) : null,
  };
  const sqlite = await measureStore('sqlite', null, opts);
  let postgres: Record<string, unknown>;
  if (process.env.DATABASE_URL) {
    const db = await createTempDatabase(process.env.DATABASE_URL, 'ct_bench');
    try {
      postgres = await measureStore('postgres', db.url, opts);
    } finally {
      await db.drop();
    }
  } else {
    process.stdout.write('[postgres] skipped: DATABASE_URL is not set\n');
    postgres = { skipped: 'DATABASE_URL is not set' };
  }
  printBenchResult({
    batch: o.batch,
    durationS: o.duration,
    connections: o.connections,
    bare: sqlite.bare,
    sqlite,
    postgres,
  });
}

main(process.argv).catch((err) => {
  process.stderr.write(`bench-collect: ${(err as Error).message}\n`);
  process.exit(1);
});
