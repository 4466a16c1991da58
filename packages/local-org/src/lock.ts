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

/**
 * When process `pid` started (epoch ms), from /proc on Linux; null elsewhere. A pid in an old lock
 * may belong to another process by now (pids are reused, and a container restart starts counting
 * again), so a process younger than the lock cannot be its owner. proc(5): field 22 of
 * /proc/<pid>/stat is the start time in clock ticks after boot (`btime` in /proc/stat); Linux
 * reports those ticks at USER_HZ = 100 to user space.
 */
function startedAt(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && boot ? boot * 1000 + ticks * 10 : null;
  } catch {
    return null;
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
      const [pidText, writtenText] = fs.readFileSync(file, 'utf8').split(':');
      const pid = Number(pidText);
      const written = Number(writtenText);
      const started = pid ? startedAt(pid) : null;
      // Younger than the lock (1 s of slack for tick rounding): a reused pid, not the owner.
      const reused = started !== null && Number.isFinite(written) && started > written + 1000;
      if (pid && alive(pid) && !reused) {
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
