import path from 'node:path';
import { envSchema, matching, text, wholeNumber } from '../env-setting';

/** Where events are stored and how much is kept (docs/operations.md). */
export interface StoreSettings {
  /** CALL_TOUCHPOINTS_DATA_DIR: the SQLite file and local-org data, resolved (default ./.data). */
  dataDir: string;
  /** DATABASE_URL: postgres://… selects the PostgreSQL store (null: SQLite in dataDir). */
  databaseUrl: string | null;
  /** Storage bounds. */
  storage: {
    /** EVENT_RETENTION_DAYS: events (and sessions of visitors without Salesforce records) older than this are deleted (0: keep all). */
    eventRetentionDays: number;
    /** SQLITE_MAX_SIZE_MB, in bytes: the SQLite file's ceiling (null: none). */
    sqliteMaxBytes: number | null;
  };
}

/** EVENT_RETENTION_DAYS default: the `_biz_uid` cookie's one-year lifetime (docs/operations.md). */
export const DEFAULT_EVENT_RETENTION_DAYS = 365;

export const storeSettings = envSchema(
  {
    CALL_TOUCHPOINTS_DATA_DIR: text('./.data'),
    DATABASE_URL: matching(
      /^postgres(ql)?:\/\//,
      null,
      (name) => `${name} must start with postgres:// or postgresql:// (unset it to use SQLite)`,
    ),
    EVENT_RETENTION_DAYS: wholeNumber('days; 0 keeps everything', 0, DEFAULT_EVENT_RETENTION_DAYS),
    SQLITE_MAX_SIZE_MB: wholeNumber('megabytes', 1, null),
  },
  (s): StoreSettings => ({
    dataDir: path.resolve(s.CALL_TOUCHPOINTS_DATA_DIR),
    databaseUrl: s.DATABASE_URL,
    storage: {
      eventRetentionDays: s.EVENT_RETENTION_DAYS,
      sqliteMaxBytes: s.SQLITE_MAX_SIZE_MB === null ? null : s.SQLITE_MAX_SIZE_MB * 1024 * 1024,
    },
  }),
);
