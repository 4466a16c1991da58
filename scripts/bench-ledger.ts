/**
 * Measurement (not a test): the join ledger's tables with 10,000 Tasks — one commit of all of them
 * (first write, then a rewrite of the same entries, as a re-plan of every visitor does) and batched
 * reads of all Tasks and all visitors — on SQLite and, with DATABASE_URL, PostgreSQL (a throw-away
 * database). Prints wall-clock milliseconds; run it twice, the first run warms the disk cache.
 *
 *   npm run bench:ledger [-- --tasks 10000]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ledger
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JoinLedger, type TaskLedger, type VisitorLedger } from '../middleware/src/join';
import { createStore, type Store } from '../middleware/src/store';
import { createTempDatabase } from '../middleware/src/store/pg-temp-db';

const arg = process.argv.indexOf('--tasks');
const TASKS = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
/** Two calls per visitor, each with its touchpoint, and one web session per call. */
const VISITORS = Math.ceil(TASKS / 2);

function ledgerData() {
  const tasks = new Map<string, TaskLedger>();
  const visitors = new Map<string, VisitorLedger>();
  for (let i = 0; i < TASKS; i++) {
    const id = `00T${String(i).padStart(15, '0')}`;
    const v = `v${String(i % VISITORS).padStart(31, '0')}`;
    tasks.set(id, { v, in: `in-${i}-0123456789abcdef`, out: `out-${i}-0123456789abcd` });
    const led = visitors.get(v) ?? { tasks: [], records: {} };
    led.tasks.push(id);
    led.records[`tp:${id}`] = { h: `h-tp-${i}-0123456789ab`, id: `a01${String(i).padStart(15, '0')}` };
    led.records[`ws:${v}-${i}`] = { h: `h-ws-${i}-0123456789ab`, id: `a02${String(i).padStart(15, '0')}` };
    visitors.set(v, led);
  }
  return { tasks, visitors };
}

async function time(label: string, work: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await work();
  process.stdout.write(`  ${label.padEnd(44)} ${(performance.now() - t).toFixed(1).padStart(8)} ms\n`);
}

async function measure(name: string, store: Store): Promise<void> {
  const { tasks, visitors } = ledgerData();
  const ledger = new JoinLedger(store);
  process.stdout.write(`${name}: ${TASKS} Tasks, ${VISITORS} visitors, ${TASKS * 2} records\n`);
  await time('commit (first write, with watermark)', () =>
    ledger.commit({ tasks, visitors, watermark: new Date().toISOString() }),
  );
  await time('commit again (every entry rewritten)', () =>
    ledger.commit({ tasks, visitors, watermark: new Date().toISOString() }),
  );
  let n = 0;
  await time(`tasks(${TASKS} ids)`, async () => (n = (await ledger.tasks([...tasks.keys()])).size));
  if (n !== TASKS) throw new Error(`read ${n} Tasks back`);
  await time(
    `visitors(${VISITORS} ids)`,
    async () => (n = (await ledger.visitors([...visitors.keys()])).size),
  );
  if (n !== VISITORS) throw new Error(`read ${n} visitors back`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-bench-ledger-'));
  try {
    const sqlite = await createStore({ dataDir: dir, sessionizer: { intervalMs: 0 } });
    try {
      await measure('SQLite', sqlite);
    } finally {
      await sqlite.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!process.env.DATABASE_URL) {
    process.stdout.write('PostgreSQL: skipped (DATABASE_URL is not set)\n');
    return;
  }
  const db = await createTempDatabase(process.env.DATABASE_URL, 'ct_bench');
  try {
    const pg = await createStore({
      databaseUrl: db.url,
      dataDir: os.tmpdir(),
      sessionizer: { intervalMs: 0 },
    });
    try {
      await measure('PostgreSQL', pg);
    } finally {
      await pg.close();
    }
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
