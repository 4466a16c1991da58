import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore, type SessionizerOptions, type Store } from '../../src/store';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';
import type { DeferredSessionizing } from '../../src/store/sessionizer';
import { runStoreSuite } from './suite';

/** Reopens the store's database: after close(), or after a simulated crash (no final flush). */
async function closeFor(store: Store, how: 'close' | 'crash'): Promise<void> {
  if (how === 'close') await store.close();
  else await (store as Store & DeferredSessionizing).closeWithoutSessionizing();
}

runStoreSuite('sqlite', () => {
  const dirs: string[] = [];
  const dirOf = new WeakMap<Store, string>();
  const openIn = async (dir: string, sessionizer?: Partial<SessionizerOptions>) => {
    const store = await createStore({ dataDir: dir, sessionizer });
    dirOf.set(store, dir);
    return store;
  };
  return {
    async open(sessionizer) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-store-'));
      dirs.push(dir);
      const store = await openIn(dir, sessionizer);
      expect(fs.existsSync(path.join(dir, 'call-touchpoints.sqlite'))).toBe(true);
      return store;
    },
    async reopen(store, how, sessionizer) {
      await closeFor(store, how);
      return openIn(dirOf.get(store)!, sessionizer);
    },
    async cleanup() {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

if (process.env.DATABASE_URL) {
  runStoreSuite('postgres', () => {
    const dbs: TempDatabase[] = [];
    const urlOf = new WeakMap<Store, string>();
    const openAt = async (url: string, sessionizer?: Partial<SessionizerOptions>) => {
      const store = await createStore({ databaseUrl: url, dataDir: os.tmpdir(), sessionizer });
      urlOf.set(store, url);
      return store;
    };
    return {
      async open(sessionizer) {
        const db = await createTempDatabase(process.env.DATABASE_URL!);
        dbs.push(db);
        return openAt(db.url, sessionizer);
      },
      async reopen(store, how, sessionizer) {
        await closeFor(store, how);
        return openAt(urlOf.get(store)!, sessionizer);
      },
      async cleanup() {
        for (const db of dbs) await db.drop();
      },
    };
  });
} else {
  describe.skip('store contract: postgres (skipped: DATABASE_URL is not set)', () => {
    console.log('PostgreSQL store suite skipped: set DATABASE_URL=postgres://… to run it');
    test('needs DATABASE_URL', () => undefined);
  });
}
