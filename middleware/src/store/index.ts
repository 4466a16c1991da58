import path from 'node:path';
import type { Logger } from '../log';
import { PostgresStore } from './postgres';
import { SQLITE_FILE, SqliteStore } from './sqlite';
import type { SessionizerOptions } from './sessionizer';
import type { Store } from './types';

export type { AppendResult, OutboxItem, PruneResult, Store } from './types';
export type { SessionizerOptions } from './sessionizer';

/**
 * Opens the store and brings its schema up to date: PostgreSQL when `databaseUrl` is set
 * (DATABASE_URL), otherwise SQLite at `<dataDir>/call-touchpoints.sqlite` (WAL mode).
 */
export async function createStore(opts: {
  databaseUrl?: string | null;
  dataDir: string;
  logger?: Logger;
  /** Background sessionization timing (sessionizer.ts); the defaults suit the server. */
  sessionizer?: Partial<SessionizerOptions>;
  /** SQLITE_MAX_SIZE_MB in bytes: the SQLite file's ceiling (null: none). */
  sqliteMaxBytes?: number | null;
}): Promise<Store> {
  const { logger, sessionizer } = opts;
  const store: Store = opts.databaseUrl
    ? new PostgresStore(opts.databaseUrl, { logger, sessionizer })
    : new SqliteStore(path.join(opts.dataDir, SQLITE_FILE), {
        logger,
        sessionizer,
        maxBytes: opts.sqliteMaxBytes,
      });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  opts.logger?.info({ store: store.description }, 'store ready');
  return store;
}
