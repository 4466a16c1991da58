import path from 'node:path';
import { metric, num, obj, scrape, type MetricRow } from './metrics';
import type { ChildRun } from './run-child';

/**
 * quick (`npm run bench`), full (`--full`: large sizes) and sustained (`--sustained`, issue 28: /collect
 * for 3 minutes at 10 and at 50 connections, and 1,000,000 events from ~333,000 visitors into serve —
 * ingest and memory only unless --only says otherwise; far too long for CI, which never passes it).
 */
export type Profile = 'quick' | 'full' | 'sustained';

/** Benches a profile runs when --only does not name them. */
export const SUSTAINED_BENCHES = ['ingest', 'memory'];

/**
 * The five benchmarks of docs/performance.md, each a script run as its own process. Three are written by
 * the areas they measure (join engine, gateway, tracking); latency and memory live here.
 * `toMetrics` turns the script's BENCH_RESULT object (or, failing that, its printed text)
 * into table rows with their targets.
 */
export interface BenchRun {
  /** Label shown in the table when one bench runs several times (sizes). */
  label: string;
  args: string[];
}

export interface BenchDef {
  name: string;
  title: string;
  /** Compiled script, relative to the project root. */
  script: string;
  runs(profile: Profile): BenchRun[];
  timeoutS(profile: Profile): number;
  toMetrics(run: ChildRun, label: string): MetricRow[];
}

const dist = (...p: string[]): string => path.join('dist', 'scripts', ...p);

// Bounds, short form; docs/performance.md explains each.
const BOUND = {
  join: 'one JS thread: per call a Map lookup + window scan, then channel rules, positions and record objects (allocation/GC)',
  match: 'a Map lookup and a scan of the visitor’s few sorted sessions: memory latency',
  joinSql: 'one B-tree range probe per call inside SQLite (native code), one query for all calls',
  joinRss: 'the generated sessions as JS objects plus their SQLite copy',
  api: '200 records per sObject Collections request, 5 of them per Composite request; 2,000 rows per query page',
  naive: 'one REST request per record written',
  rerun: 'Task query pages only (2,000 rows each); nothing to write',
  latency:
    'batch window (≤ 1 s) + one Composite (create, caller lookup, Task read) + one Composite Graph (sessions, touchpoints, Task join fields), loopback HTTP',
  latencyAck: 'signature check + one durable outbox write (the org is called after the 2xx)',
  triggerCost: 'two org requests per batch of calls (one Composite, one Composite Graph), whatever its size',
  ingest: 'JSON parsing + validation + one SQLite transaction (WAL, synchronous=NORMAL) per batch',
  ingestPg: 'a round trip per statement to PostgreSQL on loopback + its WAL fsync per commit',
  bare: 'HTTP parsing and JSON body parsing in Node (one core)',
  p99: 'event-loop queueing behind other batches (single-threaded server)',
  idleRss: 'Node runtime (~40 MB) + express, jsforce, SQLite, pino, prom-client, embedded local org',
  filledRss: 'SQLite page cache (bounded) + V8 heap; events live on disk, not in memory',
  cdc: 'change event over gRPC (no poll) → 1 s batch (CALL_BATCH_WINDOW_MS) → join planned from the create events (no Task read), one composite write',
  cdcIdle: 'no Task polling while CDC runs; Pub/Sub keepalives are not REST API requests',
  oppBackfill:
    'three Composite read rounds (Opportunities with their roles, Contacts, touchpoints; 5 statements of 250 ids each per request) + 1,000 records per write request',
  oppIdle:
    'one Composite request of 5 SystemModstamp queries per OPPORTUNITY_POLL_SECONDS (300 s: 288 rounds a day)',
  oppCdc:
    'change event over gRPC → CALL_BATCH_WINDOW_MS batch (1 s) → re-plan of the named Opportunity only (three Composite read rounds) → one write',
  oppCdcIdle:
    'no Opportunity poll while Opportunity, OpportunityContactRole and Lead stream; Pub/Sub keepalives are not REST API requests',
};

// ---------------------------------------------------------------------------------------------
// 1. Join throughput (scripts/bench-join.ts, join engine area)

const join: BenchDef = {
  name: 'join',
  title: '1. Join throughput',
  script: dist('bench-join.js'),
  runs: (p) =>
    p === 'quick'
      ? [{ label: '10k calls × 100k sessions', args: ['--calls', '10000', '--sessions', '100000'] }]
      : [
          { label: '10k calls × 100k sessions', args: ['--calls', '10000', '--sessions', '100000'] },
          { label: '100k calls × 1M sessions', args: ['--calls', '100000', '--sessions', '1000000'] },
        ],
  timeoutS: (p) => (p === 'quick' ? 180 : 900),
  toMetrics(run, label) {
    // bench-join prints a summary block; BENCH_RESULT keys are read first when it prints one.
    const r = run.result ?? {};
    const text = run.stdout;
    const plan = num(r, 'planCallsPerSec') ?? scrape(text, /^planJoin \(full plan\)\s+([\d,.]+) calls\/s/m);
    const match =
      num(r, 'matchCallsPerSec') ?? scrape(text, /^matchCall \(join only\)\s+([\d,.]+) calls\/s/m);
    const sql = num(r, 'sqliteCallsPerSec') ?? scrape(text, /^SQLite indexed query\s+([\d,.]+) calls\/s/m);
    const ratio = (v: number | null) => (v !== null && sql ? v / sql : null);
    const rss = num(r, 'peakRssMb') ?? scrape(text, /^peak RSS ([\d,.]+) MB/m) ?? run.peakRssMb;
    return [
      metric('join', `full plan calls/s, one core (${label})`, plan, 'calls/s', BOUND.join, {
        op: '>=',
        value: 200_000,
      }),
      metric('join', `matching alone calls/s (${label})`, match, 'calls/s', BOUND.match),
      metric('join', `indexed SQLite query calls/s (${label})`, sql, 'calls/s', BOUND.joinSql),
      metric(
        'join',
        `full plan ÷ SQLite query (${label})`,
        num(r, 'planRatio') ?? ratio(plan),
        '×',
        BOUND.join,
        {
          op: '>=',
          value: 10,
        },
      ),
      metric(
        'join',
        `matching alone ÷ SQLite query (${label})`,
        num(r, 'matchRatio') ?? ratio(match),
        '×',
        BOUND.match,
      ),
      metric('join', `peak RSS of the bench process (${label})`, rss, 'MB', BOUND.joinRss),
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// 2. API cost (scripts/bench-api-cost.ts, Salesforce gateway area)

const apiCost: BenchDef = {
  name: 'api-cost',
  title: '2. API cost',
  script: dist('bench-api-cost.js'),
  // A 10,000-call backfill, then incremental watch cycles of 100 new calls each.
  runs: (p) => [
    { label: p, args: ['--calls', '10000', '--cycles', p === 'quick' ? '5' : '20', '--cycle-size', '100'] },
  ],
  timeoutS: (p) => (p === 'quick' ? 240 : 900),
  toMetrics(run) {
    const r = run.result ?? {};
    const rows: MetricRow[] = [];
    const cycles = num(r, 'watch.cycles');
    const watchCalls = num(r, 'watch.calls');
    const perCycle = cycles && watchCalls !== null ? watchCalls / cycles : null;
    const parts = [
      ['backfill', (n: string) => `backfill of ${n} calls`],
      ['watch', (n: string) => `watch cycles of ${perCycle ?? '?'} new calls (${n} calls)`],
    ] as const;
    for (const [key, label] of parts) {
      const calls = num(r, `${key}.calls`);
      const name = label(calls === null ? '?' : calls.toLocaleString('en-US'));
      rows.push(
        metric('api', `requests per 1,000 calls, ${name}`, num(r, `${key}.perThousand`), 'req', BOUND.api, {
          op: '<=',
          value: 20,
        }),
      );
      rows.push(
        metric(
          'api',
          `naive one-per-record requests per 1,000 calls, ${name}`,
          num(r, `${key}.naivePerThousand`),
          'req',
          BOUND.naive,
        ),
      );
    }
    rows.push(
      metric(
        'api',
        're-run over the same inputs (R11): requests',
        num(r, 'rerun.requests'),
        'req',
        BOUND.rerun,
      ),
    );
    return rows;
  },
};

// ---------------------------------------------------------------------------------------------
// 3. Call-to-touchpoint latency (scripts/bench/latency.ts)

const latency: BenchDef = {
  name: 'latency',
  title: '3. Call-to-touchpoint latency',
  script: dist('bench', 'latency.js'),
  runs: () => [
    { label: '200 calls at 4/s', args: ['--calls', '200', '--rate', '4'] },
    // Issue 22: every caller unknown, UNKNOWN_CALLER=create-lead (a Lead per call, in the same requests).
    {
      label: '200 calls at 4/s, create-lead',
      args: ['--calls', '200', '--rate', '4', '--create-lead', '1'],
    },
    { label: '1,000 calls at 20/s', args: ['--calls', '1000', '--rate', '20'] },
    { label: '20 lone calls 2.5 s apart', args: ['--calls', '20', '--rate', '0.4'] },
  ],
  timeoutS: () => 300,
  toMetrics(run) {
    const r = run.result ?? {};
    const note = num(r, 'timedOut') ? `${num(r, 'timedOut')} calls not done within the timeout` : undefined;
    const rate = num(r, 'ratePerSec') ?? 0;
    const variant = (r as Record<string, unknown>).unknownCaller === 'create-lead' ? ', create-lead' : '';
    const perCall = (num(r, 'serverApiPerThousand') ?? NaN) / 1000;
    if (rate < 0.5)
      return [
        metric(
          'latency',
          'org requests per lone call (calls > 2 s apart)',
          Math.round(perCall * 100) / 100,
          'req',
          BOUND.triggerCost,
          { op: '<=', value: 2 },
        ),
      ];
    return [
      metric(
        'latency',
        `p50 webhook → touchpoint + Task status readable, ${rate} calls/s${variant}`,
        num(r, 'p50Ms'),
        'ms',
        BOUND.latency,
      ),
      metric(
        'latency',
        `p95 webhook → touchpoint + Task status readable, ${rate} calls/s${variant}`,
        num(r, 'p95Ms'),
        'ms',
        BOUND.latency,
        { op: '<=', value: 2000 },
        note,
      ),
      metric(
        'latency',
        `p95 webhook acknowledged (2xx), ${rate} calls/s${variant}`,
        num(r, 'ackP95Ms'),
        'ms',
        BOUND.latencyAck,
      ),
      metric(
        'latency',
        `serve's API requests per 1,000 calls at ${rate} calls/s${variant}`,
        num(r, 'serverApiPerThousand'),
        'req',
        BOUND.triggerCost,
        { op: '<=', value: rate >= 20 ? 100 : 400 },
      ),
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// 4. Ingest (scripts/bench-collect.ts, tracking area)

const ingest: BenchDef = {
  name: 'ingest',
  title: '4. Ingest (/collect)',
  script: dist('bench-collect.js'),
  runs: (p) =>
    p === 'sustained'
      ? [10, 50].map((c) => ({
          label: `180 s, ${c} connections`,
          args: ['--duration', '180', '--connections', String(c)],
        }))
      : [{ label: p, args: p === 'quick' ? ['--duration', '10'] : ['--duration', '30'] }],
  timeoutS: (p) => (p === 'quick' ? 240 : p === 'full' ? 600 : 1800),
  toMetrics(run, label) {
    const at = label === 'quick' || label === 'full' ? '' : ` (${label})`;
    const r = run.result ?? {};
    const bare = num(r, 'bare.eventsPerSec', 'bareExpress.eventsPerSec', 'express.eventsPerSec');
    const rows: MetricRow[] = [
      metric('ingest', `bare express events/s${at}`, bare, 'events/s', BOUND.bare),
      metric(
        'ingest',
        `bare express p99${at}`,
        num(r, 'bare.p99Ms', 'bareExpress.p99Ms', 'express.p99Ms'),
        'ms',
        BOUND.p99,
      ),
    ];
    for (const [key, name, bound] of [
      ['sqlite', 'SQLite', BOUND.ingest],
      ['postgres', 'PostgreSQL', BOUND.ingestPg],
    ] as const) {
      const part = obj(r, key, `stores.${key}`);
      const skipped = part === null || part.skipped;
      const eps = num(part, 'eventsPerSec');
      const ratio = num(part, 'ratio') ?? (eps !== null && bare ? eps / bare : null);
      const note = skipped
        ? `skipped${part && typeof part.skipped === 'string' ? `: ${part.skipped}` : ''}`
        : undefined;
      rows.push(metric('ingest', `/collect events/s, ${name}${at}`, eps, 'events/s', bound, null, note));
      rows.push(
        metric(
          'ingest',
          `/collect ÷ bare express, ${name}${at}`,
          ratio === null ? null : ratio * 100,
          '%',
          bound,
          { op: '>=', value: 50 }, // issue 28
        ),
      );
      rows.push(
        metric(
          'ingest',
          `/collect p99, ${name}${at}`,
          num(part, 'p99Ms'),
          'ms',
          BOUND.p99,
          label.includes('50 connections') ? null : { op: '<=', value: 50 }, // issue 28: at 10 connections
        ),
      );
      const rss = obj(part, 'rssLastMinuteMb');
      if (rss)
        rows.push(
          metric(
            'ingest',
            `server RSS, last minute of /collect load, ${name}${at}`,
            num(rss, 'maxMb'),
            'MB',
            BOUND.filledRss,
            null,
            `${num(rss, 'minMb')}–${num(rss, 'maxMb')} MB`,
          ),
        );
    }
    return rows;
  },
};

// ---------------------------------------------------------------------------------------------
// 5. Memory of `serve` (scripts/bench/memory.ts)

const memory: BenchDef = {
  name: 'memory',
  title: '5. Memory of serve',
  script: dist('bench', 'memory.js'),
  runs: (p) =>
    p === 'sustained'
      ? [{ label: '1,000,000 events, 3 per visitor', args: ['--events', '1000000', '--per-visitor', '3'] }]
      : [{ label: p, args: ['--events', p === 'quick' ? '100000' : '1000000'] }],
  timeoutS: (p) => (p === 'quick' ? 240 : p === 'full' ? 1200 : 3600),
  toMetrics(run) {
    const r = run.result ?? {};
    const events = num(r, 'events');
    const via = typeof r.filledVia === 'string' ? r.filledVia : 'collect';
    const n = events === null ? 'N' : events.toLocaleString('en-US');
    return [
      metric('memory', 'serve RSS idle', num(r, 'idleRssMb'), 'MB', BOUND.idleRss, { op: '<=', value: 130 }),
      metric(
        'memory',
        `serve RSS after ${n} stored events (via ${via})`,
        num(r, 'filledRssMb'),
        'MB',
        BOUND.filledRss,
        { op: '<=', value: 250 },
      ),
      metric(
        'memory',
        `serve peak RSS while storing ${n} events`,
        num(r, 'peakRssMb'),
        'MB',
        BOUND.filledRss,
      ),
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// 6. Vendor-written Tasks by Change Data Capture (scripts/bench/cdc.ts)

const cdc: BenchDef = {
  name: 'cdc',
  title: '6. Vendor-written Tasks by Change Data Capture',
  script: dist('bench', 'cdc.js'),
  runs: (p) => [
    { label: '200 Tasks at 4/s', args: ['--tasks', '200', '--idle-s', p === 'quick' ? '120' : '600'] },
  ],
  timeoutS: (p) => (p === 'quick' ? 300 : 900),
  toMetrics(run) {
    const r = run.result ?? {};
    const note = num(r, 'timedOut') ? `${num(r, 'timedOut')} Tasks not joined within the timeout` : undefined;
    const idle = `${num(r, 'idleRequests') ?? '?'} requests in ${num(r, 'idleSeconds') ?? '?'} s × 86,400 / that`;
    return [
      metric('cdc', 'p50 vendor Task create → Merged touchpoint readable', num(r, 'p50Ms'), 'ms', BOUND.cdc),
      metric(
        'cdc',
        'p95 vendor Task create → Merged touchpoint readable',
        num(r, 'p95Ms'),
        'ms',
        BOUND.cdc,
        { op: '<=', value: 2000 },
        note,
      ),
      metric(
        'cdc',
        "serve's API requests per 1,000 vendor Tasks",
        num(r, 'serverApiPerThousand'),
        'req',
        BOUND.cdc,
      ),
      metric(
        'cdc',
        'idle serve org API requests per 24 h (extrapolated)',
        num(r, 'idleRequestsPer24h'),
        'req',
        BOUND.cdcIdle,
        { op: '<=', value: 300 },
        idle,
      ),
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// 7. Opportunity touchpoints (scripts/bench-opportunities.ts, issue 21)

const opportunities: BenchDef = {
  name: 'opportunities',
  title: '7. Opportunity touchpoints',
  script: dist('bench-opportunities.js'),
  runs: () => [{ label: '1,000 Opportunities', args: ['--opportunities', '1000'] }],
  timeoutS: () => 600,
  toMetrics(run) {
    const r = run.result ?? {};
    return [
      metric(
        'opportunities',
        `org requests, backfill of ${num(r, 'opportunities') ?? '?'} Opportunities (${num(r, 'backfill.written') ?? '?'} records)`,
        num(r, 'backfill.requests'),
        'req',
        BOUND.oppBackfill,
      ),
      metric(
        'opportunities',
        'org requests, re-run (writes nothing)',
        num(r, 'rerun.requests'),
        'req',
        BOUND.oppBackfill,
      ),
      metric(
        'opportunities',
        'org requests, 10 Opportunities closed won, one poll round',
        num(r, 'change.requests'),
        'req',
        BOUND.oppBackfill,
      ),
      metric(
        'opportunities',
        'org requests, an idle day (poll rounds)',
        num(r, 'idle.perDay'),
        'req',
        BOUND.oppIdle,
        {
          op: '<=',
          value: 300,
        },
      ),
      metric(
        'opportunities',
        `change → Opportunity touchpoints p95 with CDC (${num(r, 'cdc.freshness.changes') ?? '?'} Opportunities closed won)`,
        num(r, 'cdc.freshness.p95Ms'),
        'ms',
        BOUND.oppCdc,
        { op: '<=', value: 5000 },
      ),
      metric(
        'opportunities',
        'org requests, an idle day with CDC (Opportunity poll off)',
        num(r, 'cdc.idle.perDay'),
        'req',
        BOUND.oppCdcIdle,
        { op: '<=', value: 0 },
      ),
    ];
  },
};

export const BENCHES: BenchDef[] = [join, apiCost, latency, ingest, memory, cdc, opportunities];
