import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
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
      // This test is about the watch's run loop, which polls only without Change Data Capture.
      TASK_DISCOVERY: 'polling',
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

describe('join with the org unreachable', () => {
  it('retries, then prints one line naming the org URL, the cause and what to do', async () => {
    // A port nothing listens on: connections are refused.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-join-down-'));
    try {
      const url = `http://127.0.0.1:${port}`;
      const cli = spawnCli(['join', '--once'], {
        SF_INSTANCE_URL: url,
        SF_ACCESS_TOKEN: 'token',
        CALL_TOUCHPOINTS_DATA_DIR: dir,
        LOG_LEVEL: 'warn',
      });
      expect(await cli.exited).toBe(1);
      const lines = cli.stderr().trim().split('\n');
      const last = lines[lines.length - 1];
      expect(last).toBe(
        `join: cannot reach the org at ${url} (connect ECONNREFUSED 127.0.0.1:${port}; 6 attempt(s)). ` +
          'Check that the org is up and that SF_INSTANCE_URL (or --target-org) points to it, then run again.',
      );
      // The retries are visible in the warn log: 5 waits before the 6th attempt.
      expect(lines.filter((l) => /retrying/.test(l))).toHaveLength(5);
      expect(cli.output()).not.toMatch(/query\?q=|SELECT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
