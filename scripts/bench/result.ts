/**
 * The one convention every benchmark script follows so `npm run bench` can collect numbers
 * without scraping human output: the script's last stdout line is `BENCH_RESULT {json}`.
 * Everything else a script prints is progress for the human watching.
 */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints the machine-readable result line (call once, at the end). */
export function printBenchResult(result: Record<string, unknown>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Runs a bench script's main; a failure prints its stack and exits 1 (the orchestrator reports it). */
export function runBenchScript(name: string, main: () => Promise<void>): void {
  main().catch((err) => {
    process.stderr.write(`${name} bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}

/** The last `BENCH_RESULT` object in a script's stdout, or null when it printed none. */
export function parseBenchResult(stdout: string): Record<string, unknown> | null {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith(RESULT_PREFIX.trim())) continue;
    try {
      const value: unknown = JSON.parse(line.slice(RESULT_PREFIX.trim().length));
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // a malformed line is treated as missing; the orchestrator reports the script's output
    }
  }
  return null;
}
