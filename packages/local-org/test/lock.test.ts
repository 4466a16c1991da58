import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirInUseError, lockDataDir } from '../src/lock';

describe('local org data dir lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const lockFile = () => path.join(dir, 'local-org.lock');

  it('a second lock while the first is held names the holder and what to do instead', () => {
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
      expect(() => lockDataDir(dir)).toThrow(
        new RegExp(`in use by process ${process.pid} .*CALL_TOUCHPOINTS_DATA_DIR=/other/dir npm start`),
      );
    } finally {
      release();
    }
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('a lock whose pid is now a different, younger process (pid reused after a restart) is stale', () => {
    // Written in 2001 by "this pid": this process started long after, so it cannot be the owner.
    fs.writeFileSync(lockFile(), `${process.pid}:1000000000000:0.5`);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(lockFile(), 'utf8')).not.toMatch(/:1000000000000:/);
    release();
  });
});
