import { performance } from 'node:perf_hooks';
import { createStore } from '../../middleware/src/store';
import { numericFlags } from './args';
import { readProcMemory } from './proc';
import { printBenchResult, runBenchScript } from './result';
import { startServe, type ServeProcess } from './serve-process';
import { percentile, round, sleep } from './stats';
import { adClickPageView, innerPageView, postCollect, type CollectEvent } from './traffic';

/**
 * Memory of `serve` (docs/performance.md, bench 5): the real `node bin/call-touchpoints.js serve` as a child
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
  --settle-s     idle seconds before each RSS reading (Change Data Capture keeps the join idle)`;

/** RSS now and the median over a short window: one reading can land on a GC peak. */
async function sampleRss(
  pid: number,
  seconds: number,
): Promise<{
  medianMb: number;
  peakMb: number;
  anonMb: number | null;
  fileMb: number | null;
  shmemMb: number | null;
}> {
  const samples: number[] = [];
  let peak = 0;
  let parts = {
    anonMb: null as number | null,
    fileMb: null as number | null,
    shmemMb: null as number | null,
  };
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const m = readProcMemory(pid);
    if (!m) throw new Error('serve exited while being measured');
    samples.push(m.rssMb);
    peak = m.peakRssMb;
    parts = { anonMb: m.anonMb, fileMb: m.fileMb, shmemMb: m.shmemMb };
    await sleep(250);
  }
  const r = (v: number | null) => (v === null ? null : round(v));
  return {
    medianMb: percentile(samples, 50),
    peakMb: peak,
    anonMb: r(parts.anonMb),
    fileMb: r(parts.fileMb),
    shmemMb: r(parts.shmemMb),
  };
}

/** V8 heap and off-heap memory as serve's own /metrics reports them (prom-client defaults). */
async function heapFromMetrics(
  baseUrl: string,
): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number } | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const read = (name: string): number => {
      const m = new RegExp(`^\\w*${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text);
      return m ? round(Number(m[1]) / 1024 ** 2) : NaN;
    };
    return {
      heapUsedMb: read('nodejs_heap_size_used_bytes'),
      heapTotalMb: read('nodejs_heap_size_total_bytes'),
      externalMb: read('nodejs_external_memory_bytes'),
    };
  } catch {
    return null;
  }
}

/** Events in visitor order: 10 per visitor, the 6th from another campaign (R4: new session). */
function* eventBatches(total: number, batch: number, perVisitor: number): Generator<CollectEvent[]> {
  let visitor = 0;
  let out: CollectEvent[] = [];
  let made = 0;
  while (made < total) {
    const id = (visitor++).toString(16).padStart(32, '0');
    for (let k = 0; k < perVisitor && made < total; k++, made++) {
      out.push(
        k === 0
          ? adClickPageView(id)
          : k === Math.min(5, perVisitor - 1) && perVisitor > 1
            ? adClickPageView(id, 'retargeting')
            : innerPageView(id, k),
      );
      if (out.length === batch) {
        yield out;
        out = [];
      }
    }
  }
  if (out.length) yield out;
}

async function fill(
  serve: ServeProcess,
  flags: Record<'events' | 'batch' | 'connections' | 'per-visitor', number>,
) {
  const batches = eventBatches(
    flags.events,
    Math.min(200, Math.max(1, flags.batch)),
    Math.max(1, flags['per-visitor']),
  );
  let sent = 0;
  let failures = 0;
  let nextReport = flags.events / 10;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = batches.next();
      if (next.done) return;
      // A dropped connection (status 0, a busy machine) is retried like a refusal; a batch stored
      // before its answer was lost is then stored twice (the count says so).
      const post = () => postCollect(serve.baseUrl, next.value).catch(() => 0);
      let status = await post();
      for (let attempt = 1; status !== 204 && attempt < 5; attempt++) {
        await sleep(200 * attempt);
        status = await post();
      }
      if (status !== 204) {
        failures++;
        if (failures > 10) throw new Error(`/collect keeps answering ${status}; stopping the fill`);
        continue;
      }
      sent += next.value.length;
      if (sent >= nextReport) {
        nextReport += flags.events / 10;
        const rss = readProcMemory(serve.pid);
        const s = (performance.now() - started) / 1000;
        process.stdout.write(
          `${sent.toLocaleString('en-US')} events stored (${Math.round(sent / s).toLocaleString('en-US')}/s), serve RSS ${round(rss?.rssMb ?? NaN)} MB\n`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, flags.connections) }, worker));
  return { sent, failures, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const flags = numericFlags(USAGE, {
    events: 100_000,
    batch: 100,
    connections: 4,
    'per-visitor': 10,
    'settle-s': 6,
  });
  process.stdout.write('starting serve (default mode: embedded local org, SQLite)…\n');
  const readyStarted = performance.now();
  const serve = await startServe({
    env: { COLLECT_RATE_LIMIT: '100000000', COLLECT_NEW_VISITORS_PER_MINUTE: '0' },
    readyTimeoutMs: 180_000, // start-up takes ~1 min on a machine busy with other work
  });
  try {
    const startupMs = performance.now() - readyStarted;
    await sleep(flags['settle-s'] * 1000);
    const idle = await sampleRss(serve.pid, 3);
    const idleHeap = await heapFromMetrics(serve.baseUrl);
    process.stdout.write(
      `serve ready in ${round(startupMs / 1000, 2)} s; idle RSS ${round(idle.medianMb)} MB\n`,
    );

    const filled = await fill(serve, flags);
    const justAfter = readProcMemory(serve.pid);
    await sleep(flags['settle-s'] * 1000);
    const after = await sampleRss(serve.pid, 3);
    const afterHeap = await heapFromMetrics(serve.baseUrl);

    const store = await createStore({ dataDir: serve.dataDir });
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
      fillSeconds: round(filled.seconds),
      fillEventsPerSec: Math.round(filled.sent / filled.seconds),
      startupMs: Math.round(startupMs),
      idleRssMb: round(idle.medianMb),
      rssJustAfterFillMb: round(justAfter?.rssMb ?? NaN),
      filledRssMb: round(after.medianMb),
      peakRssMb: round(after.peakMb),
      idleRssParts: { anonMb: idle.anonMb, fileMb: idle.fileMb, shmemMb: idle.shmemMb },
      filledRssParts: { anonMb: after.anonMb, fileMb: after.fileMb, shmemMb: after.shmemMb },
      idleHeap,
      filledHeap: afterHeap,
    };
    process.stdout.write(
      `stored ${events.toLocaleString('en-US')} events in ${sessions.toLocaleString('en-US')} sessions via /collect ` +
        `in ${result.fillSeconds} s (${result.fillEventsPerSec.toLocaleString('en-US')} events/s)\n` +
        `serve RSS: idle ${result.idleRssMb} MB, right after the fill ${result.rssJustAfterFillMb} MB, ` +
        `settled ${result.filledRssMb} MB, peak ${result.peakRssMb} MB\n` +
        `RSS anonymous / file-backed / shared: idle ${idle.anonMb} / ${idle.fileMb} / ${idle.shmemMb} MB, ` +
        `after ${after.anonMb} / ${after.fileMb} / ${after.shmemMb} MB\n` +
        `V8 heap used / total, external: idle ${idleHeap?.heapUsedMb} / ${idleHeap?.heapTotalMb}, ${idleHeap?.externalMb} MB; ` +
        `after ${afterHeap?.heapUsedMb} / ${afterHeap?.heapTotalMb}, ${afterHeap?.externalMb} MB\n`,
    );
    printBenchResult(result);
  } finally {
    await serve.stop();
  }
}

runBenchScript('memory', main);
