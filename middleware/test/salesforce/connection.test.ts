import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { startLocalOrg, type LocalOrg, ADMIN_USERNAME } from '@call-touchpoints/local-org';
import { connect, describeOrg, hasOrgConfig, SF_ENV_HELP } from '../../src/salesforce/connection';
import { Gateway } from '../../src/salesforce/gateway';

jest.setTimeout(60_000);

describe('connection and session expiry (local org, real HTTP)', () => {
  let org: LocalOrg;
  let dir: string;
  // The connected app's key pair: the org holds the public half (its uploaded certificate).
  const appKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    org = await startLocalOrg({
      port: 0,
      dataDir: null,
      clientId: 'ct-client',
      clientSecret: 'ct-secret',
      jwtCertificate: appKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-conn-'));
  });
  afterAll(async () => {
    await org?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the variables to set when no org is configured', async () => {
    const config = loadConfig({});
    expect(hasOrgConfig(config)).toBe(false);
    await expect(connect(config)).rejects.toThrow(SF_ENV_HELP);
    expect(SF_ENV_HELP).toMatch(/SF_INSTANCE_URL \+ SF_ACCESS_TOKEN/);
    expect(SF_ENV_HELP).toMatch(/call-touchpoints local-org/);
  });

  it('an incomplete setting names what is set and what is needed, never silently ignored', async () => {
    const config = loadConfig({ SF_INSTANCE_URL: org.instanceUrl });
    expect(hasOrgConfig(config)).toBe(true);
    await expect(connect(config)).rejects.toThrow(
      /Incomplete Salesforce settings \(SF_INSTANCE_URL set\).*SF_ACCESS_TOKEN/s,
    );
  });

  it('client credentials: an expired session is refreshed once and the request retried', async () => {
    const config = loadConfig({
      SF_LOGIN_URL: org.loginUrl,
      SF_CLIENT_ID: 'ct-client',
      SF_CLIENT_SECRET: 'ct-secret',
    });
    const conn = await connect(config);
    expect(conn.auth).toBe('client-credentials');
    expect(conn.describe()).toBe(`local org ${org.instanceUrl}`);
    let refreshes = 0;
    conn.conn.on('refresh', () => refreshes++);
    const gateway = new Gateway(conn);
    await expect(gateway.query('SELECT Id FROM User')).resolves.toHaveLength(1);

    org.setFaults({ expireSessionOnce: true });
    const before = org.apiRequests();
    await expect(gateway.query('SELECT Id FROM User')).resolves.toHaveLength(1);
    expect(refreshes).toBe(1);
    expect(org.apiRequests() - before).toBe(2); // the rejected request and its retry
  });

  it('a wrong client secret fails with a message naming what to check, not the secret', async () => {
    const config = loadConfig({
      SF_LOGIN_URL: org.loginUrl,
      SF_CLIENT_ID: 'ct-client',
      SF_CLIENT_SECRET: 'wrong-secret-value',
    });
    const err = await connect(config).catch((e: Error) => e);
    expect(String(err)).toMatch(/client credentials.*failed.*SF_CLIENT_ID/s);
    expect(String(err)).not.toContain('wrong-secret-value');
  });

  it('JWT bearer: signs an RS256 assertion for SF_USERNAME and logs in', async () => {
    const keyFile = path.join(dir, 'server.key');
    fs.writeFileSync(keyFile, appKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const config = loadConfig({
      SF_LOGIN_URL: org.loginUrl,
      SF_CLIENT_ID: 'ct-client',
      SF_USERNAME: ADMIN_USERNAME,
      SF_JWT_KEY_FILE: keyFile,
    });
    const conn = await connect(config);
    expect(conn.auth).toBe('jwt');
    await expect(new Gateway(conn).query('SELECT Id FROM User')).resolves.toHaveLength(1);
  });

  it('a bare access token that expires gives a clear error at once, no loop', async () => {
    const config = loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken });
    const gateway = new Gateway(await connect(config));
    await gateway.query('SELECT Id FROM User');
    org.setFaults({ expireSessionOnce: true });
    const before = org.apiRequests();
    const err = await gateway.query('SELECT Id FROM User').catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'INVALID_SESSION_ID' });
    expect(String((err as Error).message)).toMatch(/supply a fresh SF_ACCESS_TOKEN/);
    expect(org.apiRequests() - before).toBe(1);
  });

  it('--target-org with an alias the sf CLI does not know says how to log in (real sf CLI)', async () => {
    // An empty HOME: the sf CLI has no stored orgs at all.
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const err = await connect(loadConfig({}), { targetOrg: 'nosuch' }).catch((e: Error) => e);
      expect(String(err)).toMatch(
        /no usable org "nosuch".*No authorization information found for nosuch.*sf org login web --alias nosuch/s,
      );
    } finally {
      process.env.HOME = saved;
    }
  });

  it('describes remote orgs by instance URL', () => {
    expect(describeOrg('https://acme.my.salesforce.com', 'jwt')).toBe(
      'Salesforce org https://acme.my.salesforce.com (jwt)',
    );
  });
});
