import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../../src/localorg';
import { spawnCli } from '../cli-process';

jest.setTimeout(90_000);

/** `call-touchpoints join` as a user runs it: the built CLI in its own process, against a local org. */
describe('join in its own process', () => {
  let org: LocalOrg;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    org = await startLocalOrg({ port: 0, dataDir: null, preload: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-join-proc-'));
    env = {
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: org.accessToken,
      CALL_TOUCHPOINTS_DATA_DIR: dir,
    };
  });
  afterAll(async () => {
    await org?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('join --watch keeps running run after run until SIGTERM, then stops with exit 0 and one line', async () => {
    const cli = spawnCli(['join', '--watch', '--interval', '1'], env);
    try {
      // Three summaries = the first run and two interval runs: it did not stop after the first.
      await cli.waitFor(/(\[\d{4}-[^\]]+\] tasks read[\s\S]*){3}/);
      expect(cli.running()).toBe(true);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(cli.stdout()).toMatch(/^SIGTERM: join --watch stopped after \d+ run\(s\)/m);
      expect(cli.stderr()).toBe('');
    } finally {
      if (cli.running()) cli.child.kill('SIGKILL');
    }
  });
});
