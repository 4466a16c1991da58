import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { loadConfig } from '../../middleware/src/config';
import { connect, type OrgConnection } from '../../middleware/src/salesforce/connection';
import { Gateway } from '../../middleware/src/salesforce/gateway';
import { createStore, type Store } from '../../middleware/src/store';

/**
 * What the join benches (bench-api-cost, bench-opportunities) share: a local org whose request counter
 * is the measure, a SQLite store in a throw-away dir, the jsforce connection and gateway the join
 * uses; records created 200 a request; whole-number flags; the script entry.
 */
export interface JoinBench {
  org: LocalOrg;
  store: Store;
  conn: OrgConnection;
  gateway: Gateway;
}

/** Runs `bench` against a fresh local org and store, and removes both afterwards (also on failure). */
export async function withJoinBench<T>(tmpPrefix: string, bench: (b: JoinBench) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const org = await startLocalOrg({ port: 0, dataDir: null, preload: true });
  const store = await createStore({ dataDir: dir });
  try {
    const conn = await connect(
      loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken }),
    );
    return await bench({ org, store, conn, gateway: new Gateway(conn) });
  } finally {
    await store.close();
    await org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates the records 200 a request (the sObject Collections limit), all or none; their ids in order. */
export async function createRecords(
  conn: OrgConnection,
  sobject: string,
  recs: Record<string, unknown>[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < recs.length; i += 200) {
    const res = (await conn.conn
      .sobject(sobject)
      .create(recs.slice(i, i + 200) as never[], { allOrNone: true })) as unknown as {
      id: string;
      success: boolean;
    }[];
    if (res.some((r) => !r.success)) throw new Error(`creating ${sobject} failed`);
    ids.push(...res.map((r) => r.id));
  }
  return ids;
}

/** `--flag N` (a whole number ≥ 1), or `dflt` when the flag is absent; a bad value names the flag. */
export function wholeNumberFlag(argv: string[], flag: string, dflt: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return dflt;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} must be a whole number >= 1, got "${argv[i + 1]}"`);
  return n;
}

/** The script's entry: runs `main` with the command line; a failure is one line on stderr and exit 1. */
export function runBenchScript(name: string, main: (argv: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
