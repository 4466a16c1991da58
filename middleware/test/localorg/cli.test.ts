import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/local-org';

/** The program with just this command (the real binary registers every command the same way). */
function buildProgram(): Command {
  const program = new Command().name('call-touchpoints');
  register(program);
  return program;
}

describe('call-touchpoints local-org', () => {
  test('prints instance_url and access_token first, serves the API, stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-cli-'));
    const out: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: any) => (out.push(String(chunk)), true));
    try {
      const running = buildProgram().parseAsync([
        'node',
        'call-touchpoints',
        'local-org',
        '--port',
        '0',
        '--data',
        dir,
        '--token',
        'cli-test-token',
      ]);
      while (!out.join('').includes('Press Ctrl+C')) await new Promise((r) => setTimeout(r, 20));
      const lines = out.join('').split('\n');
      expect(lines[0]).toMatch(/^instance_url=http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[1]).toBe('access_token=cli-test-token');
      expect(out.join('')).toContain(`Data lives in ${dir}`);
      expect(out.join('')).toContain('not a place for production data');
      const url = lines[0].slice('instance_url='.length);
      const res = await fetch(`${url}/services/data/v62.0/limits`, {
        headers: { Authorization: 'Bearer cli-test-token' },
      });
      expect(res.status).toBe(200);
      process.emit('SIGTERM');
      await running;
      expect(out.join('')).toContain('Local org stopped.');
      expect(fs.existsSync(path.join(dir, 'local-org.sqlite'))).toBe(true);
    } finally {
      write.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--pubsub-port chooses the Pub/Sub API port (line 3), so every port of a test run can be chosen', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const out: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: any) => (out.push(String(chunk)), true));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-cli-pubsub-'));
    try {
      const running = buildProgram().parseAsync([
        'node',
        'call-touchpoints',
        'local-org',
        '--data',
        dir,
        '--pubsub-port',
        String(free),
      ]);
      while (!out.join('').includes('Press Ctrl+C')) await new Promise((r) => setTimeout(r, 20));
      expect(out.join('').split('\n')[2]).toBe(`pubsub_endpoint=localhost:${free}`);
      process.emit('SIGTERM');
      await running;
    } finally {
      write.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad --pubsub-port, or one equal to --port, names the flag and the fix', async () => {
    for (const [args, message] of [
      [['--pubsub-port', '70000'], '--pubsub-port must be a whole number from 0 to 65535'],
      [['--port', '4321', '--pubsub-port', '4321'], '--pubsub-port must differ from --port (both are 4321)'],
    ] as const) {
      await expect(
        buildProgram().parseAsync(['node', 'call-touchpoints', 'local-org', ...args]),
      ).rejects.toThrow(message);
    }
  });

  test('a bad --port names the flag and the fix', async () => {
    await expect(
      buildProgram().parseAsync(['node', 'call-touchpoints', 'local-org', '--port', 'abc']),
    ).rejects.toThrow('--port must be a whole number from 0 to 65535');
  });

  test('a --jwt-cert that is not a PEM certificate names the flag, the file and what it should be', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-cli-'));
    const file = path.join(dir, 'server.key.txt');
    fs.writeFileSync(file, 'not a certificate');
    try {
      await expect(
        buildProgram().parseAsync(['node', 'call-touchpoints', 'local-org', '--jwt-cert', file]),
      ).rejects.toThrow(`--jwt-cert: ${file} is not a PEM certificate or public key`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
