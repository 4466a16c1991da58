import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';

/**
 * The stores a test runs against: SQLite always, PostgreSQL when DATABASE_URL is set (a throw-away
 * database per suite). `env()` is what serve needs to use it.
 */
export interface StoreCase {
  name: 'sqlite' | 'postgres';
  env(): Record<string, string>;
}

export function storeCases(): StoreCase[] {
  const cases: StoreCase[] = [{ name: 'sqlite', env: () => ({}) }];
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    console.log('PostgreSQL cases skipped: set DATABASE_URL=postgres://… to run them');
    return cases;
  }
  let db: TempDatabase | null = null;
  cases.push({
    name: 'postgres',
    env: () => {
      if (!db) throw new Error('the PostgreSQL case reads env() inside its tests only');
      return { DATABASE_URL: db.url };
    },
  });
  beforeAll(async () => {
    db = await createTempDatabase(admin, 'ct_door');
  });
  afterAll(async () => {
    await db?.drop();
  });
  return cases;
}
