import { buildProgram } from '../src/cli/main';

/**
 * Runs `call-touchpoints ARGS` in-process with ENV (undefined removes a variable); returns what it
 * printed and its exit code, and restores the environment and the output streams.
 */
export async function cli(args: string[], env: Record<string, string | undefined>) {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k];
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  let out = '';
  let err = '';
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'call-touchpoints', ...args]);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    for (const k of Object.keys(saved)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  const code = process.exitCode ?? 0;
  process.exitCode = 0;
  return { out, err, code };
}
