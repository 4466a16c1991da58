"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_perf_hooks_1 = require("node:perf_hooks");
const store_1 = require("../../middleware/src/store");
const args_1 = require("./args");
const proc_1 = require("./proc");
const result_1 = require("./result");
const serve_process_1 = require("./serve-process");
const stats_1 = require("./stats");
const traffic_1 = require("./traffic");
/**
 * Memory of `serve` (issue 9, bench 5): the real `node bin/call-touchpoints.js serve` as a child
 * with its own data dir and port, RSS read from /proc/<pid>/status. Measured idle (after start-up
 * and a few watch-join ticks), then after N events were stored through POST /collect — the path
 * production events take, so the server's own memory sees every event (parsing, validation,
 * sessionizing, SQLite writes) rather than rows written behind its back.
 */
const USAGE = `usage: node dist/scripts/bench/memory.js [--events 100000] [--batch 100] [--connections 4]
       [--per-visitor 10] [--settle-s 6]
  --events       events to store through POST /collect
  --batch        events per /collect request (the snippet batches; at most 200)
  --connections  requests in flight at once
  --per-visitor  events per visitor (their 6th arrives with another campaign: a second session)
  --settle-s     idle seconds before each RSS reading (the watch join ticks every 5 s)`;
/** RSS now and the median over a short window: one reading can land on a GC peak. */
async function sampleRss(pid, seconds) {
    const samples = [];
    let peak = 0;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
        const m = (0, proc_1.readProcMemory)(pid);
        if (!m)
            throw new Error('serve exited while being measured');
        samples.push(m.rssMb);
        peak = m.peakRssMb;
        await (0, stats_1.sleep)(250);
    }
    return { medianMb: (0, stats_1.percentile)(samples, 50), peakMb: peak };
}
/** Events in visitor order: 10 per visitor, the 6th from another campaign (R4: new session). */
function* eventBatches(total, batch, perVisitor) {
    let visitor = 0;
    let out = [];
    let made = 0;
    while (made < total) {
        const id = (visitor++).toString(16).padStart(32, '0');
        for (let k = 0; k < perVisitor && made < total; k++, made++) {
            out.push(k === 0 ? (0, traffic_1.adClickPageView)(id) : k === Math.min(5, perVisitor - 1) && perVisitor > 1 ? (0, traffic_1.adClickPageView)(id, 'retargeting') : (0, traffic_1.innerPageView)(id, k));
            if (out.length === batch) {
                yield out;
                out = [];
            }
        }
    }
    if (out.length)
        yield out;
}
async function fill(serve, flags) {
    const batches = eventBatches(flags.events, Math.min(200, Math.max(1, flags.batch)), Math.max(1, flags['per-visitor']));
    let sent = 0;
    let failures = 0;
    let nextReport = flags.events / 10;
    const started = node_perf_hooks_1.performance.now();
    const worker = async () => {
        for (;;) {
            const next = batches.next();
            if (next.done)
                return;
            let status = await (0, traffic_1.postCollect)(serve.baseUrl, next.value);
            for (let attempt = 1; status !== 204 && attempt < 5; attempt++) {
                await (0, stats_1.sleep)(200 * attempt);
                status = await (0, traffic_1.postCollect)(serve.baseUrl, next.value);
            }
            if (status !== 204) {
                failures++;
                if (failures > 10)
                    throw new Error(`/collect keeps answering ${status}; stopping the fill`);
                continue;
            }
            sent += next.value.length;
            if (sent >= nextReport) {
                nextReport += flags.events / 10;
                const rss = (0, proc_1.readProcMemory)(serve.pid);
                const s = (node_perf_hooks_1.performance.now() - started) / 1000;
                process.stdout.write(`${sent.toLocaleString('en-US')} events stored (${Math.round(sent / s).toLocaleString('en-US')}/s), serve RSS ${(0, stats_1.round)(rss?.rssMb ?? NaN)} MB\n`);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, flags.connections) }, worker));
    return { sent, failures, seconds: (node_perf_hooks_1.performance.now() - started) / 1000 };
}
async function main() {
    const flags = (0, args_1.numericFlags)(USAGE, { events: 100_000, batch: 100, connections: 4, 'per-visitor': 10, 'settle-s': 6 });
    process.stdout.write('starting serve (default mode: embedded local org, SQLite)…\n');
    const readyStarted = node_perf_hooks_1.performance.now();
    const serve = await (0, serve_process_1.startServe)({ env: { COLLECT_RATE_LIMIT: '100000000' } });
    try {
        const startupMs = node_perf_hooks_1.performance.now() - readyStarted;
        await (0, stats_1.sleep)(flags['settle-s'] * 1000);
        const idle = await sampleRss(serve.pid, 3);
        process.stdout.write(`serve ready in ${(0, stats_1.round)(startupMs / 1000, 2)} s; idle RSS ${(0, stats_1.round)(idle.medianMb)} MB\n`);
        const filled = await fill(serve, flags);
        const justAfter = (0, proc_1.readProcMemory)(serve.pid);
        await (0, stats_1.sleep)(flags['settle-s'] * 1000);
        const after = await sampleRss(serve.pid, 3);
        const store = await (0, store_1.createStore)({ dataDir: serve.dataDir });
        const [events, sessions] = await Promise.all([store.countEvents(), store.countSessions()]);
        await store.close();
        const result = {
            bench: 'memory',
            filledVia: 'collect',
            events,
            sessions,
            eventsSent: filled.sent,
            failedBatches: filled.failures,
            batch: flags.batch,
            connections: flags.connections,
            fillSeconds: (0, stats_1.round)(filled.seconds),
            fillEventsPerSec: Math.round(filled.sent / filled.seconds),
            startupMs: Math.round(startupMs),
            idleRssMb: (0, stats_1.round)(idle.medianMb),
            rssJustAfterFillMb: (0, stats_1.round)(justAfter?.rssMb ?? NaN),
            filledRssMb: (0, stats_1.round)(after.medianMb),
            peakRssMb: (0, stats_1.round)(after.peakMb),
        };
        process.stdout.write(`stored ${events.toLocaleString('en-US')} events in ${sessions.toLocaleString('en-US')} sessions via /collect ` +
            `in ${result.fillSeconds} s (${result.fillEventsPerSec.toLocaleString('en-US')} events/s)\n` +
            `serve RSS: idle ${result.idleRssMb} MB, right after the fill ${result.rssJustAfterFillMb} MB, ` +
            `settled ${result.filledRssMb} MB, peak ${result.peakRssMb} MB\n`);
        (0, result_1.printBenchResult)(result);
    }
    finally {
        await serve.stop();
    }
}
main().catch((err) => {
    process.stderr.write(`memory bench failed: ${err.stack ?? err}\n`);
    process.exit(1);
});
//# sourceMappingURL=memory.js.map