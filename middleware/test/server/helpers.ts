import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { silentLogger } from '../../src/log';
import { startServer, type ServerHandle, type StartOptions } from '../../src/server/start';

/** ADMIN_TOKEN of testConfig (32+ characters: weaker tokens are refused at start-up). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijk';

/** A config for tests: temp data dir, no org (→ embedded local org), SQLite, no secrets from the shell. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...env,
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ct-${prefix}-`));
}

/** Temp dirs removed after the enclosing describe's tests: `const newDir = suiteTempDirs(); newDir('port')`. */
export function suiteTempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };
}

export async function startTestServer(
  dataDir: string,
  opts: StartOptions & { env?: Record<string, string> } = {},
): Promise<ServerHandle> {
  return startServer(testConfig(dataDir, opts.env), {
    port: 0,
    host: '127.0.0.1',
    logger: silentLogger,
    joinIntervalMs: 1000,
    ...opts,
  });
}

/**
 * `serve` for the enclosing describe: started on a temp data dir before its tests, closed (and the dir
 * removed) after them. Read `ctx.server` and `ctx.dir` inside tests and hooks.
 */
export function serveDuringSuite(
  prefix: string,
  opts: Parameters<typeof startTestServer>[1] = {},
): { readonly server: ServerHandle; readonly dir: string } {
  const ctx = {} as { server: ServerHandle; dir: string };
  beforeAll(async () => {
    ctx.dir = tempDir(prefix);
    ctx.server = await startTestServer(ctx.dir, opts);
  }, 60_000);
  afterAll(async () => {
    await ctx.server?.close();
    if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true });
  }, 30_000);
  return ctx;
}

/**
 * `serve` against a separately started local org (SF_INSTANCE_URL + SF_ACCESS_TOKEN), so it runs as
 * with a real org ("remote mode"). The join polls hourly: the org's request counter then moves only
 * for what a test does.
 */
export async function startRemoteServe(
  dir: string,
  env: Record<string, string> = {},
  opts: StartOptions = {},
): Promise<{ org: LocalOrg; server: ServerHandle; close(): Promise<void> }> {
  const org = await startLocalOrg({ port: 0, dataDir: path.join(dir, 'org'), preload: true });
  const server = await startTestServer(path.join(dir, 'serve'), {
    env: { SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken, ...env },
    joinIntervalMs: 3_600_000,
    ...opts,
  });
  return {
    org,
    server,
    close: async () => {
      await server.close();
      await org.close();
    },
  };
}

/** Waits until the org's request counter has not moved for `quietMs` (start-up work done). */
export async function orgSettled(org: LocalOrg, quietMs = 500): Promise<void> {
  for (let last = -1; last !== org.apiRequests();) {
    last = org.apiRequests();
    await new Promise((r) => setTimeout(r, quietMs));
  }
}
