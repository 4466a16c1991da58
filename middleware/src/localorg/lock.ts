/**
 * One local org per data dir: records are served from memory, so a second process on the same
 * SQLite file would silently overwrite the first one's writes. A pid file guards the directory.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock (replacing a stale one); returns a release function. */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'local-org.lock');
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, token, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === token) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').split(':')[0]);
      if (pid && alive(pid)) {
        throw new DataDirInUseError(
          `the local org data dir ${dir} is in use by process ${pid} (another \`npm start\`/\`serve\` or \`local-org\`). ` +
            'Stop that process, or give this one its own directory: CALL_TOUCHPOINTS_DATA_DIR=/other/dir npm start ' +
            '(serve), or local-org --data /other/dir.',
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirInUseError(`could not lock the local org data dir ${dir}`);
}
