import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStore } from '../../src/store';
import { SQLITE_FILE } from '../../src/store/sqlite';
import { suiteTempDirs } from './helpers';
import { runServe } from './serve-cli';

/**
 * The real CLI (`npm run build` first) refuses to start on a data dir it cannot
 * use, naming the file, the cause and the fix, instead of a raw SQLite message, and finds a damaged
 * file at start (PRAGMA quick_check) rather than serving with it.
 */
jest.setTimeout(90_000);

const newDir = suiteTempDirs();

async function validStore(): Promise<{ dir: string; file: string }> {
  const dir = newDir('storeopen');
  const store = await createStore({ dataDir: dir });
  await store.close();
  const file = path.join(dir, SQLITE_FILE);
  // Enough pages that overwriting 20 of them hits tables, not free space; back to one plain file.
  const db = new Database(file);
  db.exec('CREATE TABLE filler (x BLOB)');
  const insert = db.prepare('INSERT INTO filler VALUES (?)');
  for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(3000, i));
  db.pragma('journal_mode = DELETE');
  db.close();
  return { dir, file };
}

test('a damaged SQLite file (20 pages overwritten) stops start-up naming the file and what to do', async () => {
  const { dir, file } = await validStore();
  const fd = fs.openSync(file, 'r+');
  const pageSize = 4096;
  for (let page = 1; page <= 20; page++)
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  fs.closeSync(fd);
  const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`${file} is damaged (`);
  expect(run.stderr).toMatch(/move the file aside .*or restore it from a backup/);
});

test('a file that is not a database stops start-up naming the file and what to do', async () => {
  const dir = newDir('notadb');
  const file = path.join(dir, SQLITE_FILE);
  fs.writeFileSync(file, 'this is a spreadsheet, not a database\n'.repeat(200));
  const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`${file} is damaged (file is not a database)`);
  expect(run.stderr).toContain('move the file aside');
});

test('a data dir path that is a file stops start-up naming the directory and the variable', async () => {
  const parent = newDir('notdir');
  const blocker = path.join(parent, 'data');
  fs.writeFileSync(blocker, 'not a directory');
  const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: blocker });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`cannot create the data directory ${blocker} (a file is in the way`);
  expect(run.stderr).toContain('set CALL_TOUCHPOINTS_DATA_DIR to a writable directory');
});

/**
 * Read-only data dir. Tests run as root, which ignores permission bits, so as root the directory is
 * bind-mounted read-only onto itself (EROFS, as on a read-only volume); otherwise it is chmod 0555.
 */
test('a read-only data dir stops start-up saying it is read-only and what to do', async () => {
  const dir = newDir('readonly');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    execFileSync('mount', ['--bind', dir, dir]);
    execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
  } else {
    fs.chmodSync(dir, 0o555);
  }
  try {
    const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot open ${path.join(dir, SQLITE_FILE)}: `);
    expect(run.stderr).toMatch(asRoot ? /the file system is read-only/ : /permission denied/);
    expect(run.stderr).toContain('make the directory writable');
  } finally {
    if (asRoot) execFileSync('umount', [dir]);
    else fs.chmodSync(dir, 0o755);
  }
});
