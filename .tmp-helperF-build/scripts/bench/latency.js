"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_perf_hooks_1 = require("node:perf_hooks");
const args_1 = require("./args");
const org_reader_1 = require("./org-reader");
const result_1 = require("./result");
const serve_process_1 = require("./serve-process");
const stats_1 = require("./stats");
const traffic_1 = require("./traffic");
/**
 * Call-to-touchpoint latency (issue 9, bench 3): from a vendor webhook's arrival to the moment the
 * touchpoint and the Task's join status are readable in the org, over N calls, with `serve` in its
 * default mode (embedded local org, SQLite, watch join with trigger-on-write).
 *
 * Calls arrive open-loop at a fixed rate (like real callers, who do not wait for each other).
 * Most callers browsed first (a paid-search visit posted to /collect → Merged); a share never did
 * (→ Standalone). Both end with a Touchpoint__c and a Task status, so both count.
 */
const USAGE = `usage: node dist/scripts/bench/latency.js [--calls 200] [--rate 4] [--standalone-share 0.1]
       [--poll-ms 20] [--timeout-s 30]
  --calls             calls to time
  --rate              calls per second arriving (open loop)
  --standalone-share  share of callers with no recorded web session
  --poll-ms           how often the org is read to see whether a call is done
  --timeout-s         a call not done after this long counts as timed out`;
async function main() {
    const flags = (0, args_1.numericFlags)(USAGE, {
        calls: 200,
        rate: 4,
        'standalone-share': 0.1,
        'poll-ms': 20,
        'timeout-s': 30,
    });
    const signingKey = node_crypto_1.default.randomBytes(24).toString('base64url');
    process.stdout.write('starting serve (default mode: embedded local org, SQLite)…\n');
    const serve = await (0, serve_process_1.startServe)({
        env: { CALLRAIL_SIGNING_KEY: signingKey, COLLECT_RATE_LIMIT: '1000000' },
    });
    try {
        const orgUrl = (0, org_reader_1.localOrgUrlFrom)(serve.output());
        if (!orgUrl)
            throw new Error(`cannot find the embedded local org's URL in serve's banner:\n${serve.output()}`);
        const org = await (0, org_reader_1.connectLocalOrg)(orgUrl);
        const watchS = Number(/every (\d+(?:\.\d+)?) s/.exec(serve.output())?.[1] ?? NaN);
        process.stdout.write(`serve on ${serve.baseUrl}, local org ${orgUrl}, watch interval ${watchS} s\n`);
        // Callers and their web visits (posted before any call, as in life).
        const callers = [];
        for (let i = 0; i < flags.calls; i++) {
            const share = flags['standalone-share'];
            const standalone = share > 0 && i % Math.max(1, Math.round(1 / share)) === 0;
            callers.push({ visitorId: (0, traffic_1.newVisitorId)(), sentAt: 0, ackMs: null, expect: standalone ? 'Standalone' : 'Merged' });
        }
        const visits = callers.filter((c) => c.expect === 'Merged').map((c) => (0, traffic_1.adClickPageView)(c.visitorId));
        for (let i = 0; i < visits.length; i += 100) {
            const status = await (0, traffic_1.postCollect)(serve.baseUrl, visits.slice(i, i + 100));
            if (status !== 204)
                throw new Error(`/collect answered ${status} while posting the callers' visits`);
        }
        process.stdout.write(`${visits.length} callers browsed first; ${callers.length - visits.length} never did\n`);
        await (0, stats_1.sleep)(1000);
        const pending = new Map();
        const done = [];
        let timedOut = 0;
        let webhookErrors = 0;
        let sending = true;
        // The reader: one SOQL query per tick for all open calls, one more for their touchpoints.
        const reader = (async () => {
            while (sending || pending.size > 0) {
                await (0, stats_1.sleep)(flags['poll-ms']);
                if (pending.size === 0)
                    continue;
                await pollOnce(org, pending, done);
                const now = node_perf_hooks_1.performance.now();
                for (const [id, p] of pending) {
                    if (p.sentAt > 0 && now - p.sentAt > flags['timeout-s'] * 1000) {
                        pending.delete(id);
                        timedOut++;
                    }
                }
            }
        })();
        const before = await org.apiRequests();
        const readerBefore = org.queriesSent();
        const started = node_perf_hooks_1.performance.now();
        const intervalMs = 1000 / Math.max(flags.rate, 0.001);
        const sends = [];
        let lastReport = 0;
        for (let i = 0; i < callers.length; i++) {
            const due = started + i * intervalMs;
            const wait = due - node_perf_hooks_1.performance.now();
            if (wait > 0)
                await (0, stats_1.sleep)(wait);
            const caller = callers[i];
            const duration = 60 + (i % 240);
            const delivery = (0, traffic_1.callRailDelivery)(signingKey, {
                id: `CAL${node_crypto_1.default.randomBytes(8).toString('hex')}`,
                visitorId: caller.visitorId,
                startedAt: new Date(Date.now() - duration * 1000),
                durationSeconds: duration,
            });
            caller.sentAt = node_perf_hooks_1.performance.now();
            pending.set(caller.visitorId, caller);
            sends.push(fetch(`${serve.baseUrl}/webhooks/callrail`, { method: 'POST', headers: delivery.headers, body: delivery.body }).then(async (res) => {
                await res.arrayBuffer();
                caller.ackMs = node_perf_hooks_1.performance.now() - caller.sentAt;
                if (res.status >= 300) {
                    webhookErrors++;
                    pending.delete(caller.visitorId);
                    process.stdout.write(`webhook answered ${res.status}\n`);
                }
            }, () => {
                webhookErrors++;
                pending.delete(caller.visitorId);
            }));
            if (i + 1 - lastReport >= Math.max(1, Math.floor(callers.length / 5))) {
                lastReport = i + 1;
                const ms = done.map((d) => d.ms);
                process.stdout.write(`${i + 1}/${callers.length} calls sent, ${done.length} done, p50 so far ${(0, stats_1.round)((0, stats_1.percentile)(ms, 50))} ms\n`);
            }
        }
        await Promise.all(sends);
        sending = false;
        await reader;
        // Let a join already triggered by the last calls finish before reading the org's counter.
        await (0, stats_1.sleep)(1000);
        const after = await org.apiRequests();
        const serverRequests = after.apiRequests - before.apiRequests - (org.queriesSent() - readerBefore);
        const byKind = {};
        for (const [k, v] of Object.entries(after.byKind))
            byKind[k] = v - (before.byKind[k] ?? 0);
        byKind.query = (byKind.query ?? 0) - (org.queriesSent() - readerBefore);
        const ms = done.map((d) => d.ms);
        const acks = callers.map((c) => c.ackMs).filter((v) => v !== null);
        const unexpected = done.filter((d) => d.status !== d.expected).length;
        const result = {
            bench: 'latency',
            calls: callers.length,
            completed: done.length,
            timedOut,
            webhookErrors,
            merged: done.filter((d) => d.status === 'Merged').length,
            standalone: done.filter((d) => d.status === 'Standalone').length,
            unexpectedStatus: unexpected,
            ratePerSec: flags.rate,
            pollMs: flags['poll-ms'],
            watchIntervalS: Number.isFinite(watchS) ? watchS : null,
            p50Ms: (0, stats_1.round)((0, stats_1.percentile)(ms, 50)),
            p95Ms: (0, stats_1.round)((0, stats_1.percentile)(ms, 95)),
            p99Ms: (0, stats_1.round)((0, stats_1.percentile)(ms, 99)),
            maxMs: (0, stats_1.round)(Math.max(...ms)),
            meanMs: (0, stats_1.round)((0, stats_1.mean)(ms)),
            ackP50Ms: (0, stats_1.round)((0, stats_1.percentile)(acks, 50)),
            ackP95Ms: (0, stats_1.round)((0, stats_1.percentile)(acks, 95)),
            // What serve itself spent in the org for these calls (Task upserts, lookups, joins), the
            // reader's own queries subtracted.
            serverApiRequests: serverRequests,
            serverApiPerThousand: (0, stats_1.round)((serverRequests / callers.length) * 1000),
            serverApiByKind: byKind,
        };
        process.stdout.write(`done: ${done.length}/${callers.length} calls (${result.merged} Merged, ${result.standalone} Standalone, ` +
            `${timedOut} timed out, ${webhookErrors} webhook errors)\n` +
            `webhook → touchpoint + Task status readable: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms\n` +
            `webhook acknowledged: p50 ${result.ackP50Ms} ms, p95 ${result.ackP95Ms} ms\n` +
            `serve's own API requests for these calls: ${serverRequests} (${result.serverApiPerThousand} per 1,000 calls) ${JSON.stringify(byKind)}\n`);
        if (unexpected > 0)
            process.stdout.write(`warning: ${unexpected} calls ended with a status other than expected\n`);
        (0, result_1.printBenchResult)(result);
    }
    finally {
        await serve.stop();
    }
}
const FINAL = new Set(['Merged', 'Standalone', 'Missing BizibleId']);
/** Marks every open call whose Task status and Touchpoint__c are both readable now. */
async function pollOnce(org, pending, done) {
    const ids = [...pending.keys()];
    for (let i = 0; i < ids.length; i += 150) {
        const chunk = ids.slice(i, i + 150);
        const tasks = await org.query(`SELECT Id, BizibleId__c, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE BizibleId__c IN (${chunk.map(org_reader_1.soqlString).join(',')})`);
        const joined = tasks.filter((t) => t.Call_Join_Status__c && FINAL.has(t.Call_Join_Status__c) && t.Call_Touchpoint__c);
        if (joined.length === 0)
            continue;
        const tps = await org.query(`SELECT Id FROM Touchpoint__c WHERE Id IN (${joined.map((t) => (0, org_reader_1.soqlString)(t.Call_Touchpoint__c)).join(',')})`);
        const readable = new Set(tps.map((t) => t.Id));
        const now = node_perf_hooks_1.performance.now();
        for (const t of joined) {
            const p = pending.get(t.BizibleId__c);
            if (!p || !readable.has(t.Call_Touchpoint__c))
                continue;
            pending.delete(t.BizibleId__c);
            done.push({ ms: now - p.sentAt, status: t.Call_Join_Status__c, expected: p.expect });
        }
    }
}
main().catch((err) => {
    process.stderr.write(`latency bench failed: ${err.stack ?? err}\n`);
    process.exit(1);
});
//# sourceMappingURL=latency.js.map