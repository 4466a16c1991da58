import { loadConfig } from '../config';
import { createLogger } from '../log';
import { createStore, type Store } from '../store';

/** The store serve uses (DATABASE_URL, else the data dir's SQLite file), for commands that work on it. */
export async function openConfiguredStore(): Promise<Store> {
  const config = loadConfig();
  return createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger: createLogger({ level: 'warn' }),
  });
}
