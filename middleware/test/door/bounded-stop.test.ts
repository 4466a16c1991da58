import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { suiteTempDirs } from '../server/helpers';

/**
 * Issue 24, "a bounded stop", with the built CLI (`npm run build` first) in its own process: a
 * stop completes although nobody reads its logs any more (pipes full); a second SIGTERM exits at
 * once; a step that hangs past SHUTDOWN_DEADLINE_S ends the process with code 1 naming the step.
 */
jest.setTimeout(120_000);

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'call-touchpoints.js');
const newDir = suiteTempDirs();

interface Serve {
  child: ChildProcess;
  out: () => string;
  url: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

async function startServe(dir: string, env: Record<string, string>): Promise<Serve> {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...base, CALL_TOUCHPOINTS_DATA_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', () => undefined);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const end = Date.now() + 90_000;
  while (!/Press Ctrl-C to stop\./.test(out)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /listening on (http:\/\/\S+)/.exec(out)![1];
  return { child, out: () => out, url: () => url, exited };
}

/** Waits for the exit, at most `ms`; a process still running then is killed and reported as hung. */
async function exitWithin(s: Serve, ms: number): Promise<{ code: number | null; ms: number } | 'hung'> {
  const from = Date.now();
  const r = await Promise.race([s.exited, new Promise<null>((res) => setTimeout(() => res(null), ms))]);
  if (r === null) {
    s.child.kill('SIGKILL');
    return 'hung';
  }
  return { code: r.code, ms: r.at - from };
}

describe('a bounded stop', () => {
  it('stops cleanly although its stdout and stderr are no longer read (full pipes)', async () => {
    const s = await startServe(newDir('stop-unread'), { LOG_LEVEL: 'debug', SHUTDOWN_DEADLINE_S: '20' });
    // The reader goes away: nothing drains the pipes from now on.
    s.child.stdout!.pause();
    s.child.stderr!.removeAllListeners('data');
    s.child.stderr!.pause();
    // Enough requests (each logged) to fill a 64 KB pipe many times over.
    for (let i = 0; i < 400; i++)
      await fetch(`${s.url().replace('localhost', '127.0.0.1')}/healthz?${'x'.repeat(200)}`).catch(
        () => undefined,
      );
    s.child.kill('SIGTERM');
    const r = await exitWithin(s, 25_000);
    expect(r).not.toBe('hung');
    expect(r).toEqual({ code: 0, ms: expect.any(Number) });
  });

  it('a second SIGTERM exits at once with code 1; a step past SHUTDOWN_DEADLINE_S exits 1 naming it', async () => {
    const s = await startServe(newDir('stop-hung'), { LOG_LEVEL: 'warn', SHUTDOWN_DEADLINE_S: '2' });
    const base = new URL(s.url().replace('localhost', '127.0.0.1'));
    // A request whose body never comes: the http step waits for it (up to 5 s), past the 2 s deadline.
    const socket = net.connect(Number(base.port), base.hostname);
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    const r = await exitWithin(s, 10_000);
    socket.destroy();
    expect(r).toEqual({ code: 1, ms: expect.any(Number) });
    expect(s.out()).toMatch(/stop deadline of 2 s passed while stopping: http; exiting with code 1/);

    const again = await startServe(newDir('stop-twice'), { LOG_LEVEL: 'warn', SHUTDOWN_DEADLINE_S: '30' });
    const b = new URL(again.url().replace('localhost', '127.0.0.1'));
    const held = net.connect(Number(b.port), b.hostname);
    await new Promise((r) => held.once('connect', r));
    held.write('POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((r) => setTimeout(r, 200));
    again.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    again.child.kill('SIGTERM');
    const twice = await exitWithin(again, 4_000);
    held.destroy();
    expect(twice).toEqual({ code: 1, ms: expect.any(Number) });
    expect(again.out()).toMatch(/SIGTERM again: exiting now \(while stopping: http\)/);
  });
});
