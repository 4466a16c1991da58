import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TrackedEvent } from '../middleware/src/domain/types';
import { PostgresStore } from '../middleware/src/store/postgres';
import { createTempDatabase } from '../middleware/src/store/pg-temp-db';
import { SqliteStore } from '../middleware/src/store/sqlite';

/**
 * Sessionizing cost (issue 28; not a test): appends in-order batches of 10 events for `visitors`
 * visitors round-robin into a store without its timer, runs a background pass every 50 batches, and
 * prints the CPU time the passes took per event. Every visitor stays in one open session, so the
 * sessions grow to events / visitors events: the case where re-reading the open session cost most.
 *
 *   node dist/scripts/bench-sessionize.js [events=50000] [visitors=500] [postgres]
 */
const USAGE = 'usage: node dist/scripts/bench-sessionize.js [events=50000] [visitors=500] [postgres]';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  const events = Number(argv[0] ?? 50_000);
  const visitors = Number(argv[1] ?? 500);
  if (!Number.isInteger(events) || !Number.isInteger(visitors) || events < 10 || visitors < 1)
    throw new Error(`events (≥ 10) and visitors (≥ 1) must be whole numbers\n${USAGE}`);
  const pg = argv[2] === 'postgres';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-sessionize-'));
  if (pg && !process.env.DATABASE_URL) throw new Error('postgres needs DATABASE_URL');
  const db = pg ? await createTempDatabase(process.env.DATABASE_URL!, 'ct_bench') : null;
  const noTimer = { sessionizer: { intervalMs: 0 } };
  const store = db
    ? new PostgresStore(db.url, noTimer)
    : new SqliteStore(path.join(dir, 's.sqlite'), noTimer);
  try {
    await store.migrate();
    const ids = Array.from({ length: visitors }, () => crypto.randomBytes(16).toString('hex'));
    const seen = new Array<number>(visitors).fill(0);
    const t0 = Date.now() - 3_600_000;
    let passUs = 0;
    const pass = async () => {
      const c = process.cpuUsage();
      await store.sessionizePass();
      const d = process.cpuUsage(c);
      passUs += d.user + d.system;
    };
    for (let b = 0, at = 0; b * 10 < events; b++) {
      const i = b % visitors;
      const batch: TrackedEvent[] = Array.from({ length: 10 }, () => {
        const first = seen[i]++ === 0;
        return {
          eventId: crypto.randomBytes(12).toString('hex'),
          visitorId: ids[i],
          type: 'page_view',
          url: first
            ? 'https://www.example.com/?utm_source=google&gclid=x'
            : `https://www.example.com/p${seen[i]}`,
          referrer: first ? 'https://www.google.com/' : 'https://www.example.com/',
          receivedAt: t0 + at++,
          clientTime: null,
          email: null,
        };
      });
      await store.appendEvents(batch);
      if (b % 50 === 49) await pass();
    }
    await pass();
    const result = {
      store: store.kind,
      events,
      visitors,
      sessions: await store.storedSessions(),
      passCpuMs: Math.round(passUs / 1000),
      passUsPerEvent: Number((passUs / events).toFixed(1)),
      load: os.loadavg()[0],
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`bench-sessionize: ${(err as Error).message}\n`);
  process.exit(1);
});
