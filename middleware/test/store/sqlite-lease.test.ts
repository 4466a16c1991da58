import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOIN_LOCK } from '../../src/join';
import { createStore, type Store } from '../../src/store';

/**
 * Issue 23 item 4: on SQLite the join's lock is shared by every process on the file (store/sqlite-lease.ts),
 * so `erase` or `join --once` from the command line takes turns with a running serve. Two stores on one
 * file stand for the two processes (each has its own connection and its own in-process queue).
 */
describe('the SQLite store lock across connections to one file', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-lease-'));
    a = await createStore({ dataDir: dir });
    b = await createStore({ dataDir: dir });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a second holder waits until the first releases the lock', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const first = a.withLock(JOIN_LOCK, async () => {
      order.push('a starts');
      started();
      await gate;
      order.push('a ends');
    });
    await new Promise<void>((r) => (started = r));
    const second = b.withLock(JOIN_LOCK, async () => void order.push('b runs'));
    // b asks every 100 ms meanwhile; without a shared lock it would run now.
    await new Promise((r) => setTimeout(r, 400));
    order.push('released');
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a starts', 'released', 'a ends', 'b runs']);
    // Another lock name is not held by the join's.
    await b.withLock('other', async () => undefined);
  });

  it('a lock left by a process that died (kill -9) is taken over at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    await a.setState(
      `lock:${JOIN_LOCK}`,
      JSON.stringify({ owner: `${os.hostname()}:${pid}:dead`, until: Date.now() + 3600_000 }),
    );
    const ran = await b.withLock(JOIN_LOCK, async () => 'ran', AbortSignal.timeout(10_000));
    expect(ran).toBe('ran');
    // Released: the row is gone.
    expect(await b.getState(`lock:${JOIN_LOCK}`)).toBeNull();
  });

  it('a live holder on this host is waited for; a stop while waiting rejects', async () => {
    await a.setState(
      `lock:${JOIN_LOCK}`,
      JSON.stringify({ owner: `${os.hostname()}:${process.ppid}:alive`, until: Date.now() + 3600_000 }),
    );
    const stop = new AbortController();
    const waiting = b.withLock(JOIN_LOCK, async () => 'ran', stop.signal);
    setTimeout(() => stop.abort(), 300);
    await expect(waiting).rejects.toThrow(/stopped while waiting for a lock/);
  });
});
