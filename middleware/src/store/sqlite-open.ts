import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../user-error';

/**
 * Opening the SQLite file at start-up, with failures a person can act on: a raw
 * "unable to open database file" or "database disk image is malformed" names neither the file nor
 * what to do. `PRAGMA quick_check` runs at open so a damaged file stops start-up instead of surfacing
 * later as failing webhooks; it reads every page once, without the index cross-checks of
 * integrity_check (https://www.sqlite.org/pragma.html#pragma_quick_check): about 0.13 s for a 125 MB
 * file with 500,000 rows on the development machine.
 */
export class StoreOpenError extends UserError {}

const HELD =
  'It holds the calls not yet written to Salesforce (the outbox), the tracked page views and sessions, and the join state';

export function openSqliteFile(file: string): Database.Database {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw directoryError(dir, err);
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw Object.assign(new Error(`quick_check found: ${problems.join('; ')}`), { code: 'SQLITE_CORRUPT' });
    }
    return db;
  } catch (err) {
    db?.close();
    throw openError(file, err);
  }
}

function directoryError(dir: string, err: unknown): StoreOpenError {
  const code = (err as NodeJS.ErrnoException).code;
  const cause =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? 'a file is in the way: the path or one of its parents is not a directory'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (err as Error).message;
  return new StoreOpenError(
    `cannot create the data directory ${dir} (${cause}): set CALL_TOUCHPOINTS_DATA_DIR to a writable directory, or DATABASE_URL to use PostgreSQL`,
  );
}

/** Why the directory cannot take a new file, found by trying (root ignores permission bits, not EROFS). */
function unwritableReason(dir: string): string | null {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'the file system is read-only';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOSPC') return 'the disk is full';
    return (err as Error).message;
  }
}

function openError(file: string, err: unknown): StoreOpenError {
  const code = String((err as { code?: unknown }).code ?? '');
  const raw = (err as Error).message;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreOpenError(
      `${file} is damaged (${raw}). ${HELD}. Stop serve, move the file aside together with its -wal and -shm ` +
        `files (e.g. mv ${file} ${file}.damaged) and start again with an empty store, or restore it from a backup. ` +
        'Vendors retry calls that were not acknowledged; calls acknowledged but not yet in Salesforce are lost with the file.',
    );
  }
  const dir = path.dirname(file);
  const unwritable = unwritableReason(dir);
  if (unwritable) {
    return new StoreOpenError(
      `cannot open ${file}: ${unwritable} in ${dir} (${raw}). SQLite needs to write the file and its -wal and -shm ` +
        'files there: make the directory writable for the user running serve, or set CALL_TOUCHPOINTS_DATA_DIR to a writable directory.',
    );
  }
  return new StoreOpenError(
    `cannot open ${file} (${raw}): check that it is a regular SQLite file the user running serve can read and write, ` +
      'or set CALL_TOUCHPOINTS_DATA_DIR to another directory.',
  );
}
