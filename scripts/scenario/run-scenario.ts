import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../middleware/src/config';
import { createLogger } from '../../middleware/src/log';
import { startServer } from '../../middleware/src/server/start';
import {
  checkExpectations,
  compareWithOrg,
  loadScenario,
  predict,
  readScenario,
  waitForJoin,
} from './scenario';

/**
 * `node dist/scripts/scenario/run-scenario.js [--target-org ALIAS] [--timeout SECONDS]`: starts
 * `serve` in this process against the org (an sf CLI alias, the SF_* environment, or the embedded
 * local org when neither is given) with a throw-away data dir and CallRail key, loads the shared
 * scenario, waits for the join and compares the org with simulate's prediction. Exit 1 on any
 * difference. Called by scripts/scratch-org-e2e.sh.
 */
function args(argv: string[]): { targetOrg?: string; timeoutMs: number } {
  const out: { targetOrg?: string; timeoutMs: number } = { timeoutMs: 180_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--target-org' && argv[i + 1]) out.targetOrg = argv[++i];
    else if (a === '--timeout' && argv[i + 1] && Number(argv[i + 1]) > 0)
      out.timeoutMs = Number(argv[++i]) * 1000;
    else
      throw new Error(
        `unknown or incomplete argument "${a}": use --target-org ALIAS and/or --timeout SECONDS`,
      );
  }
  return out;
}

async function main(): Promise<number> {
  const opts = args(process.argv.slice(2));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-scenario-'));
  const signingKey = crypto.randomBytes(24).toString('base64url');
  const config = loadConfig({
    ...process.env,
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
    PORT: '0',
    DATABASE_URL: '',
    CALLRAIL_SIGNING_KEY: signingKey,
  });
  const server = await startServer(config, {
    targetOrg: opts.targetOrg,
    port: 0,
    host: '127.0.0.1',
    joinIntervalMs: 2000,
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  try {
    process.stdout.write(server.summary.slice(0, 4).join('\n') + '\n');
    const scenario = readScenario();
    const loaded = await loadScenario(scenario, { baseUrl: server.url, callrailSigningKey: signingKey });
    process.stdout.write(
      `loaded ${loaded.events.length} events and ${loaded.callIds.size} calls (run ${loaded.runId})\n`,
    );
    const conn = server.org.conn;
    const tasks = await waitForJoin(conn, loaded, {
      timeoutMs: opts.timeoutMs,
      trigger: () => server.join.trigger(),
    });
    const problems = await checkExpectations(conn, scenario, loaded, tasks);
    const predicted = predict(loaded, tasks, config.bizibleIdField);
    const comparison = await compareWithOrg(conn, predicted, tasks);
    for (const t of tasks)
      process.stdout.write(`  ${String(t.Vendor_Call_Id__c)}: ${String(t.Call_Join_Status__c)}\n`);
    process.stdout.write(`compared ${comparison.compared} records with simulate's prediction\n`);
    for (const p of [...problems, ...comparison.differences]) process.stdout.write(`  DIFFERENCE ${p}\n`);
    if (problems.length || comparison.differences.length) {
      process.stdout.write('scenario: FAILED\n');
      return 1;
    }
    process.stdout.write('scenario: the org matches simulate\n');
    return 0;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`scenario: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
