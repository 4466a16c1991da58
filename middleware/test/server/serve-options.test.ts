import fs from 'node:fs';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';
import { startTestServer, suiteTempDirs, tempDir } from './helpers';

describe('serve start-up options', () => {
  const newDir = suiteTempDirs();

  test('a port already in use fails with a message naming the port and the fix, leaving nothing running', async () => {
    const dir = newDir('port');
    const first = await startTestServer(dir);
    try {
      const other = newDir('port2');
      await expect(startTestServer(other, { port: first.port })).rejects.toThrow(
        `port ${first.port} on 127.0.0.1 is already in use: stop the other process or choose another port (PORT or --port)`,
      );
      // The failed start released its store: the data dir can be opened again at once.
      const again = await startTestServer(other);
      await again.close();
    } finally {
      await first.close();
    }
  }, 90_000);
});

const pgRun = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL)
  console.log('serve with PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

pgRun('serve with DATABASE_URL', () => {
  let db: TempDatabase | null = null;
  const dir = tempDir('pg');
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test('uses PostgreSQL and names host and database without the password', async () => {
    db = await createTempDatabase(process.env.DATABASE_URL!);
    const server = await startTestServer(dir, { env: { DATABASE_URL: db.url } });
    try {
      const text = server.summary.join('\n');
      expect(server.store.kind).toBe('postgres');
      expect(text).toMatch(/store: PostgreSQL .*127\.0\.0\.1.*ct_test_/);
      // No connection string (and so no password) in what is printed.
      expect(text).not.toContain('postgres://');
      const password = new URL(db.url).password;
      if (password) expect(text).not.toContain(`:${password}@`);
      const health = await (await fetch(`${server.url}/healthz`)).json();
      expect(health.store).toBe('ok (postgres)');
    } finally {
      await server.close();
    }
  }, 90_000);
});
