import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCli } from './cli-process';

/**
 * Issue 26: a flag given wrong is a user mistake like any other (cli/errors.ts) — whether an option's
 * parser refuses it before the command runs (serve, local-org) or the command's action does (join):
 * `COMMAND: message naming the flag and the fix` on stderr, no stack trace, the same exit code.
 * The built CLI in its own process, as a user runs it.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-flag-errors-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each([
  [['serve', '--port', '70000'], 'serve: --port must be a whole number from 0 to 65535 (got "70000")'],
  [
    ['serve', '--join-interval', '0'],
    'serve: --join-interval must be a number of seconds from 1 to 3600 (got "0")',
  ],
  [
    ['local-org', '--token', 'short'],
    'local-org: --token must be at least 8 printable characters without spaces.',
  ],
  [['join', '--once', '--watch'], 'join: choose one of --once (a single run) or --watch (keep running)'],
])('%j prints the command and the flag’s fix, exit 2', async (args, message) => {
  const cli = spawnCli(args, { CALL_TOUCHPOINTS_DATA_DIR: dir, LOG_LEVEL: 'error' });
  expect(await cli.exited).toBe(2);
  expect(cli.stderr().trim().split('\n').pop()).toBe(message);
  expect(cli.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  expect(cli.stdout()).not.toMatch(/Press Ctrl-C/); // nothing started
});
