import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger } from '../../src/log';
import { startServer, type ServerHandle, type StartOptions } from '../../src/server/start';

/** A config for tests: temp data dir, no org (→ embedded local org), SQLite, no secrets from the shell. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    CALL_TOUCHPOINTS_DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_TOKEN: 'test-admin-token-0123456789abcdefghijk',
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
