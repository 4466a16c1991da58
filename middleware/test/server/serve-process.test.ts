import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnCli, type CliProcess } from '../cli-process';
import { suiteTempDirs } from './helpers';

jest.setTimeout(180_000);

/** `npm start` as a user runs it: the built CLI in its own process, embedding the local org. */
const serve = (dataDir: string): CliProcess =>
  spawnCli(['serve', '--port', '0'], { CALL_TOUCHPOINTS_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
const lockFile = (dataDir: string) => path.join(dataDir, 'local-org', 'local-org.lock');
const READY = /Press Ctrl-C to stop\./;

async function stopWith(cli: CliProcess, signal: NodeJS.Signals): Promise<number> {
  cli.child.kill(signal);
  return cli.exited;
}

describe('serve in its own process: start-up, a second start, interruptions', () => {
  const newDir = suiteTempDirs();
  const started: CliProcess[] = [];
  afterAll(() => started.filter((c) => c.running()).forEach((c) => c.child.kill('SIGKILL')));
  const run = (dir: string) => {
    const cli = serve(dir);
    started.push(cli);
    return cli;
  };

  it('a second start on the same data dir names CALL_TOUCHPOINTS_DATA_DIR; a kill -9 leaves no blocking lock', async () => {
    const dir = newDir('twice');
    const first = run(dir);
    await first.waitFor(READY, 60_000);
    const second = run(dir);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/is in use by process \d+/);
    expect(second.stderr()).toMatch(/CALL_TOUCHPOINTS_DATA_DIR=\/other\/dir npm start/);
    expect(second.stderr()).not.toMatch(/pass another --data directory/);

    // What the message suggests works: another data dir starts beside the first.
    const other = run(newDir('twice-other'));
    await other.waitFor(READY, 60_000);
    expect(await stopWith(other, 'SIGINT')).toBe(0);

    // The first one dies without cleaning up: its lock stays, but names a dead process.
    expect(await stopWith(first, 'SIGKILL')).toBe(137);
    expect(fs.existsSync(lockFile(dir))).toBe(true);
    const third = run(dir);
    await third.waitFor(READY, 60_000);
    expect(await stopWith(third, 'SIGTERM')).toBe(0);
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it('Ctrl-C while Node still loads the CLI says it stopped during start-up (exit 0), not a silent exit 130', async () => {
    const dir = newDir('sigint-loading');
    const cli = spawnCli(['serve', '--port', '0'], {
      CALL_TOUCHPOINTS_DATA_DIR: dir,
      LOG_LEVEL: 'error',
      NODE_OPTIONS: `--require ${path.join(__dirname, 'slow-cli-load.cjs')}`,
    });
    started.push(cli);
    await cli.waitFor(/loading the CLI/);
    expect(cli.stdout()).toBe('call-touchpoints serve: starting…\n');
    expect(await stopWith(cli, 'SIGINT')).toBe(0);
    expect(cli.stdout()).toMatch(
      /^call-touchpoints serve: starting…\n\nSIGINT: stopping start-up…\nstopped cleanly before start-up finished \(nothing left running\)\.\n$/,
    );
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it('a busy PORT is refused at once (exit 2, naming PORT and the fix), before the store or the local org start', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const dir = newDir('busy-port');
      const cli = spawnCli(['serve'], { CALL_TOUCHPOINTS_DATA_DIR: dir, PORT: String(port) });
      started.push(cli);
      expect(await cli.exited).toBe(2);
      expect(cli.stderr()).toContain(
        `port ${port} on 127.0.0.1 is already in use: stop the other process or choose another port (PORT or --port)`,
      );
      // Said before anything else started: no store file, no local org.
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      busy.close();
    }
  });

  it.each([0, 300, 800, 1500])(
    'Ctrl-C %i ms into start-up stops with a message, leaves no lock, and the next start works',
    async (delayMs) => {
      const dir = newDir(`sigint-${delayMs}`);
      const cli = run(dir);
      await cli.waitFor(/starting…/);
      await new Promise((r) => setTimeout(r, delayMs));
      const duringStartUp = !READY.test(cli.output());
      expect(await stopWith(cli, 'SIGINT')).toBe(0);
      if (duringStartUp)
        expect(cli.stdout()).toMatch(
          /SIGINT: stopping start-up…\nstopped cleanly before start-up finished \(nothing left running\)\.\n$/,
        );
      else expect(cli.stdout()).toMatch(/stopped cleanly\.\n$/);
      if (delayMs === 0) expect(duringStartUp).toBe(true);
      expect(cli.stderr()).toBe('');
      expect(fs.existsSync(lockFile(dir))).toBe(false);

      const next = run(dir);
      await next.waitFor(READY, 60_000);
      expect(await stopWith(next, 'SIGINT')).toBe(0);
    },
  );
});
