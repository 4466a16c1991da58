import path from 'node:path';
import type { Logger } from '../log';
import { PostgresStore } from './postgres';
import { SQLITE_FILE, SqliteStore } from './sqlite';
import type { Store } from './types';

export type { AppendResult, OutboxItem, Store } from './types';

/**
 * Opens the store and brings its schema up to date: PostgreSQL when `databaseUrl` is set
 * (DATABASE_URL), otherwise SQLite at `<dataDir>/call-touchpoints.sqlite` (WAL mode).
 */
export async function createStore(opts: {
  databaseUrl?: string | null;
  dataDir: string;
  logger?: Logger;
}): Promise<Store> {
  const store: Store = opts.databaseUrl
    ? new PostgresStore(opts.databaseUrl)
    : new SqliteStore(path.join(opts.dataDir, SQLITE_FILE));
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  opts.logger?.info({ store: store.description }, 'store ready');
  return store;
}
