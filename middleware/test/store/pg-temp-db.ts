import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A throw-away PostgreSQL database per test run (`ct_test_<random>`), so parallel runs never
 * collide. Null when DATABASE_URL is unset: callers skip with a message.
 */
export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTempDatabase(
  adminUrl: string | undefined = process.env.DATABASE_URL,
): Promise<TempDatabase | null> {
  if (!adminUrl) return null;
  const name = `ct_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
