import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src/store';
import { createTempDatabase, type TempDatabase } from './pg-temp-db';
import { runStoreSuite } from './suite';

runStoreSuite('sqlite', () => {
  let dir: string | null = null;
  return {
    async open() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-store-'));
      const store = await createStore({ dataDir: dir });
      expect(fs.existsSync(path.join(dir, 'call-touchpoints.sqlite'))).toBe(true);
      return store;
    },
    async reopen(store) {
      await store.close();
      return createStore({ dataDir: dir! });
    },
    async cleanup() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

if (process.env.DATABASE_URL) {
  runStoreSuite('postgres', () => {
    let db: TempDatabase | null = null;
    return {
      async open() {
        db = await createTempDatabase();
        return createStore({ databaseUrl: db!.url, dataDir: os.tmpdir() });
      },
      async cleanup() {
        await db?.drop();
      },
    };
  });
} else {
  describe.skip('store contract: postgres (skipped: DATABASE_URL is not set)', () => {
    // eslint-disable-next-line no-console
    console.log('PostgreSQL store suite skipped: set DATABASE_URL=postgres://… to run it');
    test('needs DATABASE_URL', () => undefined);
  });
}
