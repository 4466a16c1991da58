import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { abortable } from './locks';

/**
 * A named lock across the processes sharing one SQLite file (serve, and a CLI command such as
 * `erase` or `join --once` run next to it): a lease row in the `state` table, `lock:<name>` →
 * {owner, until}, taken in an IMMEDIATE transaction (SQLite serializes writers:
 * https://www.sqlite.org/lang_transaction.html), renewed while held and deleted when released. A
 * process that died holding it (kill -9) leaves a row whose owner — same host, pid gone — is taken
 * over at once; one on another host (a shared volume) expires after LEASE_MS.
 */

/** A lease not renewed for this long is free. */
export const LEASE_MS = 30_000;
/** How often a waiter asks again, and a holder renews (a third of the lease). */
const RETRY_MS = 100;
const RENEW_MS = LEASE_MS / 3;

interface Lease {
  owner: string;
  until: number;
}

const HOST = os.hostname();

/** Whether the process `pid` is alive (signal 0 tests for existence; EPERM: it exists, not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lease's holder is gone: expired, or a dead process on this host. */
function free(lease: Lease, now: number): boolean {
  if (lease.until <= now) return true;
  const [host, pid] = lease.owner.split(':');
  return host === HOST && Number(pid) !== process.pid && !alive(Number(pid));
}

export class SqliteLease {
  private readonly owner = `${HOST}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease (true) unless another live owner holds it. */
  tryAcquire(name: string): boolean {
    const key = `lock:${name}`;
    return this.db
      .transaction(() => {
        const raw = this.db.prepare('SELECT value FROM state WHERE key = ?').pluck().get(key) as
          string | undefined;
        const held = raw ? (JSON.parse(raw) as Lease) : null;
        if (held && held.owner !== this.owner && !free(held, this.now())) return false;
        this.write(key);
        return true;
      })
      .immediate();
  }

  /** Runs `work` holding the lease, waiting for it first (rejects if `signal` fires meanwhile). */
  async run<T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    while (!this.tryAcquire(name)) await abortable(new Promise((r) => setTimeout(r, RETRY_MS)), signal);
    const renew = setInterval(() => this.renew(name), RENEW_MS);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      this.release(name);
    }
  }

  private write(key: string): void {
    const lease: Lease = { owner: this.owner, until: this.now() + LEASE_MS };
    this.db
      .prepare(
        'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(lease));
  }

  private renew(name: string): void {
    try {
      this.tryAcquire(name);
    } catch {
      /* the store is closing: the lease expires by itself */
    }
  }

  private release(name: string): void {
    try {
      this.db
        .prepare(`DELETE FROM state WHERE key = ? AND json_extract(value, '$.owner') = ?`)
        .run(`lock:${name}`, this.owner);
    } catch {
      /* the store was closed meanwhile: the lease expires by itself */
    }
  }
}
