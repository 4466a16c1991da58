import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The built CLI (`npm run build` first): what a user runs, in its own process. */
const BIN = path.join(__dirname, '..', '..', 'bin', 'call-touchpoints.js');

/** Variables that would point the CLI at a real org or a shared store: never inherited by tests. */
const SCRUBBED = [
  'SF_INSTANCE_URL',
  'SF_ACCESS_TOKEN',
  'SF_LOGIN_URL',
  'SF_CLIENT_ID',
  'SF_CLIENT_SECRET',
  'SF_USERNAME',
  'SF_JWT_KEY_FILE',
  'DATABASE_URL',
  'PORT',
];

export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr, in arrival order). */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves once the output matches (rejects after timeoutMs or if the process ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code (a signal death is 128 + its number, like a shell reports it). */
  exited: Promise<number>;
  running(): boolean;
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): CliProcess {
  const base: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn' };
  for (const k of SCRUBBED) delete base[k];
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  let stderr = '';
  let done = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout!.on('data', (d: Buffer) => ((out += d), (stdout += d), notify()));
  child.stderr!.on('data', (d: Buffer) => ((out += d), (stderr += d), notify()));
  const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      notify();
      resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0));
    }),
  );
  return {
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running: () => !done,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) finish(resolve);
          else if (done) finish(() => reject(new Error(`exited before printing ${pattern}:\n${out}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${pattern}:\n${out}`))),
          timeoutMs,
        );
        const finish = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
  };
}
