"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_http_1 = __importDefault(require("node:http"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const autocannon_1 = __importDefault(require("autocannon"));
const commander_1 = require("commander");
const express_1 = __importDefault(require("express"));
const pg_1 = require("pg");
const config_1 = require("../middleware/src/config");
const log_1 = require("../middleware/src/log");
const store_1 = require("../middleware/src/store");
const tracking_1 = require("../middleware/src/tracking");
const validate_1 = require("../middleware/src/tracking/validate");
const result_1 = require("./bench/result");
const traffic_1 = require("./bench/traffic");
// ---------------------------------------------------------------------------------------------
// Child: the server under test (`--serve sqlite|postgres`)
async function serve(databaseUrl) {
    const dataDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'ct-bench-collect-'));
    const config = (0, config_1.loadConfig)({
        ...process.env,
        CALL_TOUCHPOINTS_DATA_DIR: dataDir,
        COLLECT_RATE_LIMIT: '100000000',
    });
    const store = await (0, store_1.createStore)({ databaseUrl, dataDir });
    const app = (0, express_1.default)();
    app.use((0, tracking_1.createTrackingRouter)({ store, config, logger: log_1.silentLogger }));
    // The baseline: same transport, same body limit, JSON parsed, nothing validated or stored.
    app.post('/bare', express_1.default.raw({ type: () => true, limit: validate_1.MAX_BODY_BYTES }), (req, res) => {
        JSON.parse(req.body.toString('utf8'));
        res.status(204).end();
    });
    app.get('/count', async (_req, res) => {
        res.json({ events: await store.countEvents(), sessions: await store.countSessions() });
    });
    const server = node_http_1.default.createServer(app);
    server.listen(0, '127.0.0.1', () => {
        process.stdout.write(`READY ${server.address().port}\n`);
    });
    const stop = () => {
        server.close();
        server.closeAllConnections();
        void store.close().finally(() => {
            node_fs_1.default.rmSync(dataDir, { recursive: true, force: true });
            process.exit(0);
        });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}
// ---------------------------------------------------------------------------------------------
// Parent: the load generator
function startChild(kind, databaseUrl) {
    return new Promise((resolve, reject) => {
        const env = { ...process.env, LOG_LEVEL: 'warn' };
        delete env.DATABASE_URL;
        const child = (0, node_child_process_1.spawn)(process.execPath, [__filename, '--serve', kind, ...(databaseUrl ? ['--database-url', databaseUrl] : [])], {
            env,
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk) => {
            out += chunk.toString();
            const m = /READY (\d+)/.exec(out);
            if (m)
                resolve({ child, port: Number(m[1]) });
        });
        child.once('exit', (code) => reject(new Error(`bench server (${kind}) exited with code ${code} before it was ready`)));
    });
}
function stopChild(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null)
            return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
    });
}
/** One visitor's batch as the snippet sends it; a visitor's first batch starts with an ad click. */
function bodyFactory(batch, visitors) {
    const pool = Array.from({ length: visitors }, () => ({ id: (0, traffic_1.newVisitorId)(), n: 0 }));
    return () => {
        const v = pool[node_crypto_1.default.randomInt(pool.length)];
        const events = Array.from({ length: batch }, () => {
            const e = v.n === 0 ? (0, traffic_1.adClickPageView)(v.id) : (0, traffic_1.innerPageView)(v.id, v.n);
            v.n += 1;
            return { ...e, eventId: node_crypto_1.default.randomBytes(12).toString('hex'), clientTime: Date.now() };
        });
        return JSON.stringify({ events });
    };
}
async function load(url, opts) {
    const makeBody = bodyFactory(opts.batch, opts.visitors);
    const result = await (0, autocannon_1.default)({
        url,
        method: 'POST',
        connections: opts.connections,
        duration: opts.duration,
        headers: { 'content-type': 'application/json', 'user-agent': traffic_1.BROWSER_UA },
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
    };
}
async function tempDatabase(adminUrl) {
    const name = `ct_bench_${node_crypto_1.default.randomBytes(5).toString('hex')}`;
    const admin = new pg_1.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return {
        url: u.toString(),
        async drop() {
            const c = new pg_1.Client({ connectionString: adminUrl });
            await c.connect();
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await c.end();
        },
    };
}
const fmt = (n) => n.toLocaleString('en-US');
async function measureStore(kind, databaseUrl, o) {
    const { child, port } = await startChild(kind, databaseUrl);
    try {
        const base = `http://127.0.0.1:${port}`;
        process.stdout.write(`[${kind}] bare express endpoint, ${o.duration} s…\n`);
        const bare = await load(`${base}/bare`, o);
        process.stdout.write(`[${kind}] POST /collect, ${o.duration} s…\n`);
        const collect = await load(`${base}/collect`, o);
        const counts = (await (await fetch(`${base}/count`)).json());
        const ratio = bare.eventsPerSec ? collect.eventsPerSec / bare.eventsPerSec : 0;
        process.stdout.write(`[${kind}] bare express  ${fmt(bare.eventsPerSec).padStart(9)} events/s  p99 ${bare.p99Ms} ms\n` +
            `[${kind}] /collect      ${fmt(collect.eventsPerSec).padStart(9)} events/s  p99 ${collect.p99Ms} ms` +
            `  (${(ratio * 100).toFixed(1)}% of bare; non-2xx ${collect.non2xx}, errors ${collect.errors};` +
            ` stored ${fmt(counts.events)} events in ${fmt(counts.sessions)} sessions)\n`);
        return { ...collect, ratio: Number(ratio.toFixed(4)), bare, stored: counts };
    }
    finally {
        await stopChild(child);
    }
}
function positiveInt(name) {
    return (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
            throw new commander_1.InvalidArgumentError(`${name} must be a whole number of 1 or more`);
        return n;
    };
}
async function main(argv) {
    const program = new commander_1.Command()
        .name('bench-collect')
        .description('Loads POST /collect from a second process (autocannon) beside a bare express endpoint; SQLite, then PostgreSQL if DATABASE_URL is set')
        .option('--duration <s>', 'seconds per measurement', positiveInt('--duration'), 10)
        .option('--batch <n>', 'events per request (the snippet sends up to 20)', positiveInt('--batch'), 10)
        .option('--connections <n>', 'concurrent connections', positiveInt('--connections'), 10)
        .option('--visitors <n>', 'distinct visitors the batches are spread over', positiveInt('--visitors'), 5000)
        .option('--serve <kind>', '(internal) run the server under test')
        .option('--database-url <url>', '(internal) PostgreSQL URL for --serve postgres');
    program.parse(argv);
    const o = program.opts();
    if (o.batch > 200)
        throw new commander_1.InvalidArgumentError('--batch must be at most 200 (the /collect limit per request)');
    if (o.serve)
        return serve(o.serve === 'postgres' ? (o.databaseUrl ?? null) : null);
    process.stdout.write(`bench-collect: ${o.duration} s per measurement, ${o.batch} events per request, ${o.connections} connections, ` +
        `${node_os_1.default.cpus().length} cores, load ${node_os_1.default.loadavg()[0].toFixed(2)}\n`);
    const opts = { duration: o.duration, connections: o.connections, batch: o.batch, visitors: o.visitors };
    const sqlite = await measureStore('sqlite', null, opts);
    let postgres;
    if (process.env.DATABASE_URL) {
        const db = await tempDatabase(process.env.DATABASE_URL);
        try {
            postgres = await measureStore('postgres', db.url, opts);
        }
        finally {
            await db.drop();
        }
    }
    else {
        process.stdout.write('[postgres] skipped: DATABASE_URL is not set\n');
        postgres = { skipped: 'DATABASE_URL is not set' };
    }
    (0, result_1.printBenchResult)({
        batch: o.batch,
        durationS: o.duration,
        connections: o.connections,
        bare: sqlite.bare,
        sqlite,
        postgres,
    });
}
main(process.argv).catch((err) => {
    process.stderr.write(`bench-collect: ${err.message}\n`);
    process.exit(1);
});
//# sourceMappingURL=bench-collect.js.map