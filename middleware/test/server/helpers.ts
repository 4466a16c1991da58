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
    ADMIN_TOKEN: 'test-admin-token',
    ...env,
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ct-${prefix}-`));
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
