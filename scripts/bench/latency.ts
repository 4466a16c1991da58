import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { numericFlags } from './args';
import { pollJoined } from './joined';
import { BENCH_ORG_CLIENT, connectLocalOrg, localOrgUrlFrom } from './org-reader';
import { printBenchResult, runBenchScript } from './result';
import { startServe } from './serve-process';
import { mean, percentile, round, sleep } from './stats';
import { adClickPageView, callRailDelivery, newVisitorId, postCollect } from './traffic';

/**
 * Call-to-touchpoint latency (docs/performance.md, bench 3): from a vendor webhook's arrival to the moment
 * the touchpoint and the Task's join status are readable in the org, over N calls, with `serve` in its
 * default mode (embedded local org, SQLite, watch join with trigger-on-write).
 *
 * Calls arrive open-loop at a fixed rate (like real callers, who do not wait for each other).
 * Most callers browsed first (a paid-search visit posted to /collect → Merged); a share never did
 * (→ Standalone). Both end with a Touchpoint__c and a Task status, so both count.
 */
const USAGE = `usage: node dist/scripts/bench/latency.js [--calls 200] [--rate 4] [--standalone-share 0.1]
       [--poll-ms 20] [--timeout-s 30] [--window-ms 1000] [--create-lead 0|1]
  --calls             calls to time
  --rate              calls per second arriving (open loop)
  --standalone-share  share of callers with no recorded web session
  --poll-ms           how often the org is read to see whether a call is done
  --timeout-s         a call not done after this long counts as timed out
  --window-ms         serve's CALL_BATCH_WINDOW_MS (calls collected into one batch write)
  --create-lead       1: UNKNOWN_CALLER=create-lead and every caller a number no Lead or Contact has
                      (each call creates a Lead: the worst case of issue 22's create-lead)`;

/** Seconds between the callers' visits and the first call; calls last 3 s to LEAD_S - 3 s. */
const LEAD_S = 15;

interface Pending {
  visitorId: string;
  sentAt: number;
  ackMs: number | null;
  expect: 'Merged' | 'Standalone';
}

interface Done {
  ms: number;
  status: string;
  expected: string;
}

async function main(): Promise<void> {
  const flags = numericFlags(USAGE, {
    calls: 200,
    rate: 4,
    'standalone-share': 0.1,
    'poll-ms': 20,
    'timeout-s': 30,
    'window-ms': 1000,
    'create-lead': 0,
  });
  const createLead = flags['create-lead'] === 1;
  const signingKey = crypto.randomBytes(24).toString('base64url');
  process.stdout.write('starting serve (default mode: embedded local org, SQLite)…\n');
  const serve = await startServe({
    env: {
      CALLRAIL_SIGNING_KEY: signingKey,
      COLLECT_RATE_LIMIT: '1000000',
      COLLECT_NEW_VISITORS_PER_MINUTE: '0',
      CALL_BATCH_WINDOW_MS: String(flags['window-ms']),
      ...(createLead ? { UNKNOWN_CALLER: 'create-lead' } : {}),
      ...BENCH_ORG_CLIENT,
    },
  });
  try {
    const orgUrl = localOrgUrlFrom(serve.output());
    if (!orgUrl)
      throw new Error(`cannot find the embedded local org's URL in serve's banner:\n${serve.output()}`);
    const org = await connectLocalOrg(orgUrl);
    const watchS = Number(/every (\d+(?:\.\d+)?) s/.exec(serve.output())?.[1] ?? NaN);
    process.stdout.write(`serve on ${serve.baseUrl}, local org ${orgUrl}, watch interval ${watchS} s\n`);

    // Callers and their web visits (posted before any call, as in life).
    const callers: Pending[] = [];
    for (let i = 0; i < flags.calls; i++) {
      const share = flags['standalone-share'];
      const standalone = share > 0 && i % Math.max(1, Math.round(1 / share)) === 0;
      callers.push({
        visitorId: newVisitorId(),
        sentAt: 0,
        ackMs: null,
        expect: standalone ? 'Standalone' : 'Merged',
      });
    }
    const visits = callers.filter((c) => c.expect === 'Merged').map((c) => adClickPageView(c.visitorId));
    for (let i = 0; i < visits.length; i += 100) {
      const status = await postCollect(serve.baseUrl, visits.slice(i, i + 100));
      if (status !== 204) throw new Error(`/collect answered ${status} while posting the callers' visits`);
    }
    process.stdout.write(
      `${visits.length} callers browsed first; ${callers.length - visits.length} never did; calls start in ${LEAD_S} s\n`,
    );
    // The vendor posts when the call ends, with its start time: a call must not start before
    // the visit that led to it (sessions are stamped with server time, R4), so wait a little.
    await sleep(LEAD_S * 1000);

    const pending = new Map<string, Pending>();
    const done: Done[] = [];
    let timedOut = 0;
    let webhookErrors = 0;
    let sending = true;

    // The reader: one SOQL query per tick for all open calls, one more for their touchpoints.
    const reader = (async () => {
      while (sending || pending.size > 0) {
        await sleep(flags['poll-ms']);
        if (pending.size === 0) continue;
        await pollJoined(org, pending, done);
        const now = performance.now();
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
    const started = performance.now();
    const intervalMs = 1000 / Math.max(flags.rate, 0.001);
    const sends: Promise<void>[] = [];
    let lastReport = 0;
    for (let i = 0; i < callers.length; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const caller = callers[i];
      const duration = 3 + (i % (LEAD_S - 5));
      const delivery = callRailDelivery(signingKey, {
        id: `CAL${crypto.randomBytes(8).toString('hex')}`,
        visitorId: caller.visitorId,
        startedAt: new Date(Date.now() - duration * 1000),
        durationSeconds: duration,
        // create-lead: a number of its own per caller (+1 555 2xx xxxx: no Lead or Contact has it).
        ...(createLead ? { callerNumber: `+1555${String(2_000_000 + i).padStart(7, '0')}` } : {}),
      });
      caller.sentAt = performance.now();
      pending.set(caller.visitorId, caller);
      sends.push(
        fetch(`${serve.baseUrl}/webhooks/callrail`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        }).then(
          async (res) => {
            await res.arrayBuffer();
            caller.ackMs = performance.now() - caller.sentAt;
            if (res.status >= 300) {
              webhookErrors++;
              pending.delete(caller.visitorId);
              process.stdout.write(`webhook answered ${res.status}\n`);
            }
          },
          () => {
            webhookErrors++;
            pending.delete(caller.visitorId);
          },
        ),
      );
      if (i + 1 - lastReport >= Math.max(1, Math.floor(callers.length / 5))) {
        lastReport = i + 1;
        const ms = done.map((d) => d.ms);
        process.stdout.write(
          `${i + 1}/${callers.length} calls sent, ${done.length} done, p50 so far ${round(percentile(ms, 50))} ms\n`,
        );
      }
    }
    await Promise.all(sends);
    sending = false;
    await reader;
    // Let a join already triggered by the last calls finish before reading the org's counter.
    await sleep(1000);
    const after = await org.apiRequests();
    const serverRequests = after.apiRequests - before.apiRequests - (org.queriesSent() - readerBefore);
    const byKind: Record<string, number> = {};
    for (const [k, v] of Object.entries(after.byKind)) byKind[k] = v - (before.byKind[k] ?? 0);
    byKind.query = (byKind.query ?? 0) - (org.queriesSent() - readerBefore);

    const ms = done.map((d) => d.ms);
    const acks = callers.map((c) => c.ackMs).filter((v): v is number => v !== null);
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
      batchWindowMs: flags['window-ms'],
      unknownCaller: createLead ? 'create-lead' : 'leave',
      // Read after the request counts above, so it costs serve nothing.
      ...(createLead
        ? { leadsCreated: (await org.query("SELECT Id FROM Lead WHERE Phone LIKE '+15552%'")).length }
        : {}),
      watchIntervalS: Number.isFinite(watchS) ? watchS : null,
      p50Ms: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
      p99Ms: round(percentile(ms, 99)),
      maxMs: round(Math.max(...ms)),
      meanMs: round(mean(ms)),
      ackP50Ms: round(percentile(acks, 50)),
      ackP95Ms: round(percentile(acks, 95)),
      // What serve itself spent in the org for these calls (Task upserts, lookups, joins), the
      // reader's own queries subtracted.
      serverApiRequests: serverRequests,
      serverApiPerThousand: round((serverRequests / callers.length) * 1000),
      serverApiByKind: byKind,
    };
    process.stdout.write(
      `done: ${done.length}/${callers.length} calls (${result.merged} Merged, ${result.standalone} Standalone, ` +
        `${timedOut} timed out, ${webhookErrors} webhook errors)\n` +
        `webhook → touchpoint + Task status readable: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms\n` +
        `webhook acknowledged: p50 ${result.ackP50Ms} ms, p95 ${result.ackP95Ms} ms\n` +
        `serve's own API requests for these calls: ${serverRequests} (${result.serverApiPerThousand} per 1,000 calls) ${JSON.stringify(byKind)}\n`,
    );
    if (unexpected > 0)
      process.stdout.write(`warning: ${unexpected} calls ended with a status other than expected\n`);
    printBenchResult(result);
  } finally {
    await serve.stop();
  }
}

runBenchScript('latency', main);
