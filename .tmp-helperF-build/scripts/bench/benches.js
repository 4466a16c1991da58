"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.BENCHES = void 0;
const node_path_1 = __importDefault(require("node:path"));
const metrics_1 = require("./metrics");
const dist = (...p) => node_path_1.default.join('dist', 'scripts', ...p);
// Bounds, short form; docs/performance.md explains each.
const BOUND = {
    join: 'one JS thread: per call a Map lookup + window scan, then channel rules, positions and record objects (allocation/GC)',
    match: 'a Map lookup and a scan of the visitor’s few sorted sessions: memory latency',
    joinSql: 'B-tree index probe per call through better-sqlite3 (N+1 statement calls)',
    joinRss: 'sessions held in memory as JS objects (~0.5 KB each)',
    api: '200 records per sObject Collections request; 2,000 rows per query page',
    naive: 'one REST request per record written',
    rerun: 'one Task query page (2,000 rows); nothing to write',
    latency: 'trigger-on-write: webhook → Task upsert → join → 2 collection upserts, all over loopback HTTP',
    latencyAck: 'signature check + one durable outbox write (the org is called after the 2xx)',
    triggerCost: 'each webhook: Task upsert + caller lookup, then its own join cycle (query + upserts); the price of low latency',
    ingest: 'JSON parsing + validation + one SQLite transaction (WAL, synchronous=NORMAL) per batch',
    ingestPg: 'a round trip per statement to PostgreSQL on loopback + its WAL fsync per commit',
    bare: 'HTTP parsing and JSON body parsing in Node (one core)',
    p99: 'event-loop queueing behind other batches (single-threaded server)',
    idleRss: 'Node runtime (~40 MB) + express, jsforce, SQLite, pino, prom-client, embedded local org',
    filledRss: 'SQLite page cache (bounded) + V8 heap; events live on disk, not in memory',
};
// ---------------------------------------------------------------------------------------------
// 1. Join throughput (scripts/bench-join.ts, join engine area)
const join = {
    name: 'join',
    title: '1. Join throughput',
    script: dist('bench-join.js'),
    runs: (p) => p === 'quick'
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
        const plan = (0, metrics_1.num)(r, 'planCallsPerSec') ?? (0, metrics_1.scrape)(text, /^planJoin \(full plan\)\s+([\d,.]+) calls\/s/m);
        const match = (0, metrics_1.num)(r, 'matchCallsPerSec') ?? (0, metrics_1.scrape)(text, /^matchCall \(join only\)\s+([\d,.]+) calls\/s/m);
        const sql = (0, metrics_1.num)(r, 'sqliteCallsPerSec') ?? (0, metrics_1.scrape)(text, /^SQLite indexed query\s+([\d,.]+) calls\/s/m);
        const ratio = (v) => (v !== null && sql ? v / sql : null);
        const rss = (0, metrics_1.num)(r, 'peakRssMb') ?? (0, metrics_1.scrape)(text, /^peak RSS ([\d,.]+) MB/m) ?? run.peakRssMb;
        return [
            (0, metrics_1.metric)('join', `full plan calls/s, one core (${label})`, plan, 'calls/s', BOUND.join, { op: '>=', value: 200_000 }),
            (0, metrics_1.metric)('join', `matching alone calls/s (${label})`, match, 'calls/s', BOUND.match),
            (0, metrics_1.metric)('join', `indexed SQLite query calls/s (${label})`, sql, 'calls/s', BOUND.joinSql),
            (0, metrics_1.metric)('join', `full plan ÷ SQLite query (${label})`, (0, metrics_1.num)(r, 'planRatio') ?? ratio(plan), '×', BOUND.join, {
                op: '>=',
                value: 10,
            }),
            (0, metrics_1.metric)('join', `matching alone ÷ SQLite query (${label})`, (0, metrics_1.num)(r, 'matchRatio') ?? ratio(match), '×', BOUND.match),
            (0, metrics_1.metric)('join', `peak RSS of the bench process (${label})`, rss, 'MB', BOUND.joinRss),
        ];
    },
};
// ---------------------------------------------------------------------------------------------
// 2. API cost (scripts/bench-api-cost.ts, Salesforce gateway area)
const apiCost = {
    name: 'api-cost',
    title: '2. API cost',
    script: dist('bench-api-cost.js'),
    // A 10,000-call backfill, then incremental watch cycles of 100 new calls each.
    runs: (p) => [{ label: p, args: ['--calls', '10000', '--cycles', p === 'quick' ? '5' : '20', '--cycle-size', '100'] }],
    timeoutS: (p) => (p === 'quick' ? 240 : 900),
    toMetrics(run) {
        const r = run.result ?? {};
        const rows = [];
        const cycles = (0, metrics_1.num)(r, 'watch.cycles');
        const watchCalls = (0, metrics_1.num)(r, 'watch.calls');
        const perCycle = cycles && watchCalls !== null ? watchCalls / cycles : null;
        const parts = [
            ['backfill', (n) => `backfill of ${n} calls`],
            ['watch', (n) => `watch cycles of ${perCycle ?? '?'} new calls (${n} calls)`],
        ];
        for (const [key, label] of parts) {
            const calls = (0, metrics_1.num)(r, `${key}.calls`);
            const name = label(calls === null ? '?' : calls.toLocaleString('en-US'));
            rows.push((0, metrics_1.metric)('api', `requests per 1,000 calls, ${name}`, (0, metrics_1.num)(r, `${key}.perThousand`), 'req', BOUND.api, {
                op: '<=',
                value: 20,
            }));
            rows.push((0, metrics_1.metric)('api', `naive one-per-record requests per 1,000 calls, ${name}`, (0, metrics_1.num)(r, `${key}.naivePerThousand`), 'req', BOUND.naive));
        }
        rows.push((0, metrics_1.metric)('api', 're-run over the same inputs (R11): requests', (0, metrics_1.num)(r, 'rerun.requests'), 'req', BOUND.rerun));
        return rows;
    },
};
// ---------------------------------------------------------------------------------------------
// 3. Call-to-touchpoint latency (scripts/bench/latency.ts)
const latency = {
    name: 'latency',
    title: '3. Call-to-touchpoint latency',
    script: dist('bench', 'latency.js'),
    runs: () => [{ label: '200 calls', args: ['--calls', '200'] }],
    timeoutS: () => 300,
    toMetrics(run) {
        const r = run.result ?? {};
        const note = (0, metrics_1.num)(r, 'timedOut') ? `${(0, metrics_1.num)(r, 'timedOut')} calls not done within the timeout` : undefined;
        return [
            (0, metrics_1.metric)('latency', 'p50 webhook → touchpoint + Task status readable', (0, metrics_1.num)(r, 'p50Ms'), 'ms', BOUND.latency),
            (0, metrics_1.metric)('latency', 'p95 webhook → touchpoint + Task status readable', (0, metrics_1.num)(r, 'p95Ms'), 'ms', BOUND.latency, { op: '<=', value: 5000 }, note),
            (0, metrics_1.metric)('latency', 'p95 webhook acknowledged (2xx)', (0, metrics_1.num)(r, 'ackP95Ms'), 'ms', BOUND.latencyAck),
            (0, metrics_1.metric)('latency', `serve's API requests per 1,000 calls at ${(0, metrics_1.num)(r, 'ratePerSec') ?? '?'} calls/s (trigger-on-write)`, (0, metrics_1.num)(r, 'serverApiPerThousand'), 'req', BOUND.triggerCost),
        ];
    },
};
// ---------------------------------------------------------------------------------------------
// 4. Ingest (scripts/bench-collect.ts, tracking area)
const ingest = {
    name: 'ingest',
    title: '4. Ingest (/collect)',
    script: dist('bench-collect.js'),
    runs: (p) => [{ label: p, args: p === 'quick' ? ['--duration', '10'] : ['--duration', '30'] }],
    timeoutS: (p) => (p === 'quick' ? 240 : 600),
    toMetrics(run) {
        const r = run.result ?? {};
        const bare = (0, metrics_1.num)(r, 'bare.eventsPerSec', 'bareExpress.eventsPerSec', 'express.eventsPerSec');
        const rows = [
            (0, metrics_1.metric)('ingest', 'bare express events/s', bare, 'events/s', BOUND.bare),
            (0, metrics_1.metric)('ingest', 'bare express p99', (0, metrics_1.num)(r, 'bare.p99Ms', 'bareExpress.p99Ms', 'express.p99Ms'), 'ms', BOUND.p99),
        ];
        for (const [key, label, bound] of [
            ['sqlite', 'SQLite', BOUND.ingest],
            ['postgres', 'PostgreSQL', BOUND.ingestPg],
        ]) {
            const part = (0, metrics_1.obj)(r, key, `stores.${key}`);
            const skipped = part === null || part.skipped;
            const eps = (0, metrics_1.num)(part, 'eventsPerSec');
            const ratio = (0, metrics_1.num)(part, 'ratio') ?? (eps !== null && bare ? eps / bare : null);
            const note = skipped ? `skipped${part && typeof part.skipped === 'string' ? `: ${part.skipped}` : ''}` : undefined;
            rows.push((0, metrics_1.metric)('ingest', `/collect events/s, ${label}`, eps, 'events/s', bound, null, note));
            rows.push((0, metrics_1.metric)('ingest', `/collect ÷ bare express, ${label}`, ratio === null ? null : ratio * 100, '%', bound, {
                op: '>=',
                value: 70,
            }));
            rows.push((0, metrics_1.metric)('ingest', `/collect p99, ${label}`, (0, metrics_1.num)(part, 'p99Ms'), 'ms', BOUND.p99));
        }
        return rows;
    },
};
// ---------------------------------------------------------------------------------------------
// 5. Memory of `serve` (scripts/bench/memory.ts)
const memory = {
    name: 'memory',
    title: '5. Memory of serve',
    script: dist('bench', 'memory.js'),
    runs: (p) => [{ label: p, args: ['--events', p === 'quick' ? '100000' : '1000000'] }],
    timeoutS: (p) => (p === 'quick' ? 240 : 1200),
    toMetrics(run) {
        const r = run.result ?? {};
        const events = (0, metrics_1.num)(r, 'events');
        const via = typeof r.filledVia === 'string' ? r.filledVia : 'collect';
        const n = events === null ? 'N' : events.toLocaleString('en-US');
        return [
            (0, metrics_1.metric)('memory', 'serve RSS idle', (0, metrics_1.num)(r, 'idleRssMb'), 'MB', BOUND.idleRss, { op: '<=', value: 150 }),
            (0, metrics_1.metric)('memory', `serve RSS after ${n} stored events (via ${via})`, (0, metrics_1.num)(r, 'filledRssMb'), 'MB', BOUND.filledRss),
            (0, metrics_1.metric)('memory', `serve peak RSS while storing ${n} events`, (0, metrics_1.num)(r, 'peakRssMb'), 'MB', BOUND.filledRss),
        ];
    },
};
exports.BENCHES = [join, apiCost, latency, ingest, memory];
//# sourceMappingURL=benches.js.map