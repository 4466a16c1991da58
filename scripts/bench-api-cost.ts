/**
 * Benchmark (not a test): Salesforce API requests the join spends per 1,000 calls, measured by the
 * local org's request counter, beside the naive one-request-per-record count.
 *
 *   npm run build && node dist/scripts/bench-api-cost.js [--calls 10000] [--cycles 5] [--cycle-size 100] [--quick]
 *
 * 1. backfill: N call Tasks (a mix of merged, standalone, missing-BizibleId and repeat calls) are
 *    created in a local org and their sessions loaded into a SQLite store; one `join --once`.
 * 2. re-run: the same join again (R11: writes nothing).
 * 3. watch cycles: K rounds of M new calls, one incremental join each.
 * Target: ≤ 20 requests per 1,000 calls (≤ 200 for the 10,000-call backfill).
 */
import { eventIdFor, type TrackedEvent } from '../middleware/src/domain';
import { runJoinOnce, type JoinSummary } from '../middleware/src/join';
import { createRecords, runBenchScript, wholeNumberFlag, withJoinBench } from './bench/join-bench';

const MIN = 60_000;
const SOURCES: { url: string; referrer: string | null }[] = [
  {
    url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0K',
    referrer: 'https://www.google.com/',
  },
  { url: 'https://www.example.com/pricing', referrer: 'https://www.google.com/' },
  {
    url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=march',
    referrer: null,
  },
  { url: 'https://www.example.com/blog/calls', referrer: 'https://www.linkedin.com/' },
  { url: 'https://www.example.com/', referrer: null },
];

export interface GeneratedCalls {
  events: TrackedEvent[];
  tasks: Record<string, unknown>[];
}

/**
 * Deterministic calls #from..#from+count-1. Per call (by index): 60% merged with a fresh session,
 * 15% standalone after an earlier session, 10% from a visitor never seen, 10% without BizibleId,
 * 5% a second call of the previous call's visitor (joins its touchpoint).
 */
export function generateCalls(
  from: number,
  count: number,
  base = Date.UTC(2026, 2, 1, 8, 0, 0),
): GeneratedCalls {
  const events: TrackedEvent[] = [];
  const tasks: Record<string, unknown>[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const visitor = (i: number) => i.toString(16).padStart(32, '0');
  const event = (
    visitorId: string,
    at: number,
    s: { url: string; referrer: string | null },
    type: TrackedEvent['type'] = 'page_view',
  ) => {
    const e = {
      type,
      visitorId,
      url: s.url,
      referrer: s.referrer,
      receivedAt: at,
      clientTime: null,
      email: null,
    };
    events.push({ ...e, eventId: eventIdFor(e) });
  };
  for (let i = from; i < from + count; i++) {
    const at = base + i * 37_000;
    const kind = i % 20;
    const src = SOURCES[i % SOURCES.length];
    const v = visitor(i + 1);
    const call = (bizibleId: string | null, start: number) =>
      tasks.push({
        Subject: `Call ${i}`,
        Type: i % 7 === 0 ? null : 'Call',
        TaskSubtype: 'Call',
        CallType: 'Inbound',
        CallDurationInSeconds: 60 + (i % 300),
        Call_Started_At__c: iso(start),
        ...(bizibleId ? { BizibleId__c: bizibleId } : {}),
      });
    if (kind < 12) {
      event(v, at, src);
      event(v, at + 3 * MIN, { url: 'https://www.example.com/contact', referrer: null });
      call(v, at + 10 * MIN);
    } else if (kind < 15) {
      event(v, at, src);
      call(v, at + 3 * 60 * MIN);
    } else if (kind < 17) {
      call(v, at);
    } else if (kind < 19) {
      call(null, at);
    } else {
      // Same visitor as call i-7 (a merged one), again inside its session window.
      const prev = i - 7;
      call(visitor(prev + 1), base + prev * 37_000 + 20 * MIN);
    }
  }
  return { events, tasks };
}

const records = (s: JoinSummary) =>
  s.written.webSessions + s.written.touchpoints + s.written.tasks + s.written.deleted;
const per1000 = (requests: number, calls: number) => Math.round((requests / calls) * 1000 * 10) / 10;

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const calls = wholeNumberFlag(argv, '--calls', quick ? 2000 : 10_000);
  const cycles = wholeNumberFlag(argv, '--cycles', quick ? 3 : 5);
  const cycleSize = wholeNumberFlag(argv, '--cycle-size', 100);
  await withJoinBench('ct-bench-api-', async ({ org, store, conn, gateway }) => {
    const deps = { gateway, store };

    process.stdout.write(`setting up ${calls} calls in a local org (${org.instanceUrl})…\n`);
    const bulk = generateCalls(0, calls);
    await store.appendEvents(bulk.events);
    await createRecords(conn, 'Task', bulk.tasks);

    org.resetApiRequests();
    const t0 = Date.now();
    const backfill = await runJoinOnce(deps);
    const backfillRequests = org.apiRequests();
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(
      `backfill: ${calls} calls → ${backfillRequests} API requests (${per1000(backfillRequests, calls)} per 1,000 calls; ` +
        `naive one-per-record: ${records(backfill)}) in ${seconds.toFixed(1)} s\n` +
        `  merged ${backfill.merged}, standalone ${backfill.standalone}, missing BizibleId ${backfill.missingId}; written ` +
        `${backfill.written.webSessions} sessions, ${backfill.written.touchpoints} touchpoints, ${backfill.written.tasks} tasks; ` +
        `failed ${backfill.failed.length}\n`,
    );

    org.resetApiRequests();
    const rerun = await runJoinOnce(deps);
    const rerunRequests = org.apiRequests();
    process.stdout.write(
      `re-run: ${rerunRequests} API requests, ${records(rerun)} records written (reads back its own ${calls} Task updates once)\n`,
    );

    let watchRequests = 0;
    let watchRecords = 0;
    for (let c = 0; c < cycles; c++) {
      const batch = generateCalls(calls + c * cycleSize, cycleSize);
      await store.appendEvents(batch.events);
      await createRecords(conn, 'Task', batch.tasks);
      org.resetApiRequests();
      const s = await runJoinOnce(deps);
      const n = org.apiRequests();
      watchRequests += n;
      watchRecords += records(s);
      process.stdout.write(
        `watch cycle ${c + 1}: ${cycleSize} new calls → ${n} API requests (tasks read ${s.tasksRead}, records written ${records(s)})\n`,
      );
    }
    const watchCalls = cycles * cycleSize;
    process.stdout.write(
      `watch: ${watchCalls} calls in ${cycles} cycles → ${watchRequests} API requests (${per1000(watchRequests, watchCalls)} per 1,000 calls; naive ${watchRecords})\n`,
    );
    process.stdout.write(
      `BENCH_RESULT ${JSON.stringify({
        backfill: {
          calls,
          requests: backfillRequests,
          perThousand: per1000(backfillRequests, calls),
          naive: records(backfill),
          naivePerThousand: per1000(records(backfill), calls),
          seconds,
        },
        rerun: { requests: rerunRequests, written: records(rerun) },
        watch: {
          calls: watchCalls,
          cycles,
          requests: watchRequests,
          perThousand: per1000(watchRequests, watchCalls),
          naive: watchRecords,
          naivePerThousand: per1000(watchRecords, watchCalls),
        },
      })}\n`,
    );
  });
}

if (require.main === module) runBenchScript('bench-api-cost', main);
