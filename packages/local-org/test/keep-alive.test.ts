import http from 'node:http';
import { startOrg, V } from './helpers';
import type { LocalOrg } from '../src';

/**
 * A pooled (keep-alive) connection outlives a client that is busy for a while. jsforce's own
 * bulk2.test.ts reads 25,005 query results in one synchronous loop for ~9 s, then creates a Bulk API 2.0
 * job with an invalid session on a connection from its pool; with Node's 5 s server default the org had
 * closed that connection meanwhile and the POST failed with "write EPIPE" / "socket hang up" instead of
 * the 401 INVALID_SESSION_ID jsforce refreshes the session on.
 */
describe('keep-alive connections', () => {
  let org: LocalOrg;
  let agent: http.Agent;
  beforeAll(async () => {
    ({ org } = await startOrg());
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(async () => {
    agent.destroy();
    await org.close();
  });

  const post = (path: string, token: string, body: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; reused: boolean }>(
      (resolve, reject) => {
        const req = http.request(
          `${org.instanceUrl}${path}`,
          {
            method: 'POST',
            agent,
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, reused: req.reusedSocket }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );

  it('answers a Bulk API 2.0 job create from an invalid session with 401 on a connection it keeps open for a minute, and the retry reuses it', async () => {
    const job = JSON.stringify({ object: 'Account', operation: 'insert' });
    const refused = await post(`${V}/jobs/ingest`, 'invalid_token', job);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)[0].errorCode).toBe('INVALID_SESSION_ID');
    expect(refused.headers.connection).toBe('keep-alive');
    const timeout = Number(/timeout=(\d+)/.exec(String(refused.headers['keep-alive']))?.[1]);
    expect(timeout).toBeGreaterThanOrEqual(60);

    const created = await post(`${V}/jobs/ingest`, org.accessToken, job);
    expect(created.status).toBe(200);
    expect(created.reused).toBe(true);
    expect(JSON.parse(created.text).state).toBe('Open');
  });
});
