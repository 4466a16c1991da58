import fs from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { tempDir } from './helpers';

/** Runs `call-touchpoints serve ARGS` in-process; serve only returns here when start-up fails. */
async function serveFails(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    await buildProgram()
      .exitOverride()
      .configureOutput({ writeErr: (s) => void (err += s) })
      .parseAsync(['node', 'call-touchpoints', 'serve', '--port', '0', ...args]);
    throw new Error('serve started although it should not have');
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { code: e.exitCode, err };
  } finally {
    process.stderr.write = write;
    process.env = saved;
  }
}

describe('--channels / CHANNEL_RULES_FILE on the command line', () => {
  const dir = tempDir('serve-cli');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(
    bad,
    'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website\n,Nameless,,,,*x=*,\n',
  );
  const env = { CALL_TOUCHPOINTS_DATA_DIR: dir, LOG_LEVEL: 'silent' };

  test('a bad sheet given with --channels stops start-up with exit code 2, naming flag, row and column', async () => {
    const { code, err } = await serveFails(['--channels', bad], env);
    expect(code).toBe(2);
    expect(err).toContain(`call-touchpoints serve: --channels ${bad}: Channel sheet row 2, column "Channel"`);
  });

  test('a bad sheet in CHANNEL_RULES_FILE names the variable', async () => {
    const { code, err } = await serveFails([], { ...env, CHANNEL_RULES_FILE: bad });
    expect(code).toBe(2);
    expect(err).toContain(`call-touchpoints serve: CHANNEL_RULES_FILE ${bad}: Channel sheet row 2`);
  });

  test('join reads CHANNEL_RULES_FILE too, and checks it before connecting to the org', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env, {
      CHANNEL_RULES_FILE: bad,
      SF_INSTANCE_URL: 'http://127.0.0.1:9',
      SF_ACCESS_TOKEN: 'unused',
    });
    let err = '';
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      await buildProgram().exitOverride().parseAsync(['node', 'call-touchpoints', 'join', '--once']);
    } finally {
      process.stderr.write = write;
      process.env = saved;
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(err).toContain(`join: CHANNEL_RULES_FILE ${bad}: Channel sheet row 2, column "Channel"`);
  });
});
