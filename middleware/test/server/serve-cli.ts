import { spawn } from 'node:child_process';
import { projectFile } from '../../src/project-root';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `call-touchpoints serve` (bin/, compiled dist/: run `npm run build` first) with only
 * the given environment on top of a clean one (no SF_*, no DATABASE_URL), for start-up failures:
 * resolves when it exits, or kills it after `timeoutMs` (then code is null: it did not refuse).
 */
export function runServe(env: Record<string, string>, timeoutMs = 30_000): Promise<CliRun> {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [projectFile('bin', 'call-touchpoints.js'), 'serve'], {
      env: { ...base, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
