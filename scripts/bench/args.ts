import { parseArgs } from 'node:util';

/**
 * Numeric `--name value` flags of a bench script, with defaults; a bad value names the flag.
 * (The scripts are run by the orchestrator, but each also runs on its own: `node dist/… --help`.)
 */
export function numericFlags<K extends string>(
  usage: string,
  defaults: Record<K, number>,
  argv: string[] = process.argv.slice(2),
): Record<K, number> {
  const options: Record<string, { type: 'string' }> = {};
  for (const k of Object.keys(defaults)) options[k] = { type: 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const out = { ...defaults };
  for (const k of Object.keys(defaults) as K[]) {
    const raw = parsed.values[k];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      process.stderr.write(`--${k} must be a non-negative number, got "${String(raw)}"\n${usage}\n`);
      process.exit(2);
    }
    out[k] = n;
  }
  return out;
}
