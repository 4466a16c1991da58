import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { readProcMemory } from './proc';
import { parseBenchResult } from './result';

/** How one benchmark script's run went, as the orchestrator records it. */
export interface ChildRun {
  status: 'ok' | 'failed' | 'missing' | 'timeout' | 'no-result';
  exitCode: number | null;
  durationS: number;
  /** Peak RSS of the script's own process (VmHWM polled from /proc), MB. */
  peakRssMb: number | null;
  result: Record<string, unknown> | null;
  stdout: string;
  /** Last lines of stderr, kept for the report when something went wrong. */
  stderrTail: string;
}

/**
 * Runs `node script args` as its own process so its memory is its own, echoes its output with a
 * `[name]` prefix as progress, and collects the `BENCH_RESULT` line it prints last.
 */
export async function runChild(
  name: string,
  script: string,
  args: string[],
  opts: { timeoutS: number; env?: NodeJS.ProcessEnv; echo?: (line: string) => void },
): Promise<ChildRun> {
  const started = Date.now();
  const echo = opts.echo ?? ((line: string) => process.stdout.write(`  [${name}] ${line}\n`));
  if (!fs.existsSync(script)) {
    return {
      status: 'missing',
      exitCode: null,
      durationS: 0,
      peakRssMb: null,
      result: null,
      stdout: '',
      stderrTail: `${script} does not exist (not written yet, or not built: run npm run build)`,
    };
  }
  const child = spawn(process.execPath, [script, ...args], {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peak: number | null = null;
  const sample = (): void => {
    const mem = child.pid ? readProcMemory(child.pid) : null;
    if (mem) peak = Math.max(peak ?? 0, mem.peakRssMb);
  };
  const poll = setInterval(sample, 200);
  const lineEcho = (prefix: string) => {
    let partial = '';
    return (d: Buffer): void => {
      partial += d.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines)
        if (l.trim() && !l.startsWith('BENCH_RESULT')) echo(prefix + l.replace(/\r/g, ''));
    };
  };
  const echoOut = lineEcho('');
  const echoErr = lineEcho('');
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    echoOut(d);
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    echoErr(d);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  }, opts.timeoutS * 1000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  clearInterval(poll);
  const result = parseBenchResult(stdout);
  const status: ChildRun['status'] = timedOut
    ? 'timeout'
    : exitCode !== 0
      ? 'failed'
      : result === null
        ? 'no-result'
        : 'ok';
  return {
    status,
    exitCode,
    durationS: Math.round((Date.now() - started) / 100) / 10,
    peakRssMb: peak === null ? null : Math.round(peak),
    result,
    stdout,
    stderrTail: stderr.split('\n').slice(-20).join('\n'),
  };
}
