import { performance } from 'node:perf_hooks';
import { numericFlags } from './args';
import { pollJoined, type JoinedCall, type TimedCall } from './joined';
import { BENCH_ORG_CLIENT, connectLocalOrg, localOrgUrlFrom } from './org-reader';
import { printBenchResult, runBenchScript } from './result';
import { startServe } from './serve-process';
import { percentile, round, sleep } from './stats';
import { adClickPageView, newVisitorId, postCollect } from './traffic';

/**
 * Tasks written by the vendor's own connector (docs/performance.md, bench 6): `serve` in default mode (embedded local
 * org, Task selected for Change Data Capture by its deploy), another client creates N call Tasks
 * carrying tracked visitors' BizibleIds at a fixed rate; we time create → Merged touchpoint
 * readable. Then serve idles for --idle-s seconds and we count the org API requests it makes,
 * extrapolated linearly to 24 h (requests × 86,400 / idle seconds): with CDC, nothing polls and the
 * Pub/Sub stream's keepalives are not REST API requests.
 */
const USAGE = `usage: node dist/scripts/bench/cdc.js [--tasks 200] [--rate 4] [--idle-s 120] [--poll-ms 20] [--timeout-s 30]`;
const LEAD_S = 15;

async function main(): Promise<void> {
  const flags = numericFlags(USAGE, { tasks: 200, rate: 4, 'idle-s': 120, 'poll-ms': 20, 'timeout-s': 30 });
  const serve = await startServe({
    env: { COLLECT_RATE_LIMIT: '1000000', COLLECT_NEW_VISITORS_PER_MINUTE: '0', ...BENCH_ORG_CLIENT },
  });
  try {
    const orgUrl = localOrgUrlFrom(serve.output());
    if (!orgUrl) throw new Error(`cannot find the embedded local org in serve's banner:\n${serve.output()}`);
    const health = (await (await fetch(`${serve.baseUrl}/healthz`)).json()) as { taskDiscovery?: string };
    process.stdout.write(`serve on ${serve.baseUrl}; task discovery: ${health.taskDiscovery}\n`);
    if (!health.taskDiscovery?.startsWith('cdc')) throw new Error('serve is not using Change Data Capture');
    const org = await connectLocalOrg(orgUrl);

    const visitors = Array.from({ length: flags.tasks }, () => newVisitorId());
    for (let i = 0; i < visitors.length; i += 100) {
      const status = await postCollect(
        serve.baseUrl,
        visitors.slice(i, i + 100).map((v) => adClickPageView(v)),
      );
      if (status !== 204) throw new Error(`/collect answered ${status}`);
    }
    await sleep(LEAD_S * 1000); // calls start after the visits (sessions carry server time)

    const pending = new Map<string, TimedCall>();
    const done: JoinedCall[] = [];
    let timedOut = 0;
    let sending = true;
    const reader = (async () => {
      while (sending || pending.size > 0) {
        await sleep(flags['poll-ms']);
        if (pending.size === 0) continue;
        await pollJoined(org, pending, done);
        const now = performance.now();
        for (const [id, p] of pending)
          if (now - p.sentAt > flags['timeout-s'] * 1000) {
            pending.delete(id);
            timedOut++;
          }
      }
    })();
    const before = await org.apiRequests();
    const readerBefore = org.queriesSent();
    const started = performance.now();
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < visitors.length; i++) {
      const wait = started + (i * 1000) / flags.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const duration = 3 + (i % 10);
      const call: TimedCall = { sentAt: performance.now(), expect: 'Merged' };
      pending.set(visitors[i], call);
      creates.push(
        org.insert('Task', {
          Subject: 'Call (vendor connector)',
          Type: 'Call',
          TaskSubtype: 'Call',
          BizibleId__c: visitors[i],
          Call_Started_At__c: new Date(Date.now() - duration * 1000).toISOString(),
          CallDurationInSeconds: duration,
        }),
      );
    }
    await Promise.all(creates);
    sending = false;
    await reader;
    await sleep(1000);
    const after = await org.apiRequests();
    const vendorCreates = visitors.length;
    const serverBurst =
      after.apiRequests - before.apiRequests - (org.queriesSent() - readerBefore) - vendorCreates;

    process.stdout.write(`idle for ${flags['idle-s']} s…\n`);
    const idleBefore = await org.apiRequests();
    await sleep(flags['idle-s'] * 1000);
    const idleAfter = await org.apiRequests();
    const idleRequests = idleAfter.apiRequests - idleBefore.apiRequests;
    const ms = done.map((d) => d.ms);
    const result = {
      bench: 'cdc',
      tasks: visitors.length,
      completed: done.length,
      merged: done.filter((d) => d.status === 'Merged').length,
      timedOut,
      ratePerSec: flags.rate,
      p50Ms: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
      maxMs: round(Math.max(...ms)),
      serverApiRequests: serverBurst,
      serverApiPerThousand: round((serverBurst / visitors.length) * 1000),
      idleSeconds: flags['idle-s'],
      idleRequests,
      idleRequestsPer24h: round((idleRequests * 86_400) / flags['idle-s']),
    };
    process.stdout.write(
      `vendor-written Tasks: ${done.length}/${visitors.length} joined (${result.merged} Merged, ${timedOut} timed out)\n` +
        `create → Merged touchpoint readable: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms\n` +
        `serve's own API requests for them: ${serverBurst} (${result.serverApiPerThousand} per 1,000 Tasks)\n` +
        `idle: ${idleRequests} org API requests in ${flags['idle-s']} s → ${result.idleRequestsPer24h} per 24 h (× 86,400 / ${flags['idle-s']})\n`,
    );
    printBenchResult(result);
  } finally {
    await serve.stop();
  }
}

runBenchScript('cdc', main);
