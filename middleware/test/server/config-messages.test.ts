import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runServe } from './serve-cli';
import { suiteTempDirs } from './helpers';

jest.setTimeout(60_000);

/**
 * A setting the user got wrong stops `serve` with exit code 2 and one message that names the
 * variable and the fix, as the real process prints it (issue 27, item 8).
 */
describe('serve refuses a malformed setting, naming the variable and the fix', () => {
  const dir = suiteTempDirs()('config-messages');

  test('SF_INSTANCE_URL without its scheme', async () => {
    const run = await runServe({
      CALL_TOUCHPOINTS_DATA_DIR: dir,
      SF_INSTANCE_URL: 'yourcompany.my.salesforce.com',
      SF_ACCESS_TOKEN: 'unused',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `SF_INSTANCE_URL must be the org's URL with its scheme, such as https://yourcompany.my.salesforce.com`,
    );
    expect(run.stderr).toContain('got "yourcompany.my.salesforce.com"');
    expect(run.stderr).not.toContain('Only absolute URLs');
  });

  test('SF_INSTANCE_URL pointing at a server that is not a Salesforce org', async () => {
    // A plain web server: every path is 404, as a company website or a mistyped host answers.
    const server = http.createServer((_req, res) => res.writeHead(404).end('Not Found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runServe({
        CALL_TOUCHPOINTS_DATA_DIR: dir,
        SF_INSTANCE_URL: url,
        SF_ACCESS_TOKEN: 'unused',
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('SF_INSTANCE_URL');
      expect(run.stderr).toContain(`${url} does not answer the Salesforce REST API`);
    } finally {
      server.close();
    }
  });

  test('LOG_LEVEL=verbose', async () => {
    const run = await runServe({ CALL_TOUCHPOINTS_DATA_DIR: dir, LOG_LEVEL: 'verbose' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "verbose". For more detail than info, set LOG_LEVEL=debug.',
    );
  });
});
