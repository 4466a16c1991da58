import crypto from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import jwt from 'jsonwebtoken';
import { ADMIN_USERNAME } from '../src/data';
import { V, call, startOrg } from './helpers';

const CLIENT = { clientId: 'local-client', clientSecret: 'local-secret' };
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const appKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const CERT = appKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function assertion(claims: Record<string, unknown>, key: crypto.KeyObject = appKey.privateKey): string {
  return jwt.sign(claims, key, { algorithm: 'RS256' });
}

function noneJwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

async function token(loginUrl: string, form: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, json: await res.json() };
}

describe('OAuth and sessions', () => {
  test('client credentials: a token for the right client, invalid_client for a wrong secret', async () => {
    const { org } = await startOrg(CLIENT);
    try {
      const oauth2 = new OAuth2({ loginUrl: org.loginUrl, ...CLIENT });
      const token: any = await oauth2.requestToken({ grant_type: 'client_credentials' });
      expect(token).toMatchObject({
        token_type: 'Bearer',
        instance_url: org.instanceUrl,
        id: expect.stringContaining('/id/00D'),
      });
      expect(typeof token.issued_at).toBe('string');
      expect(typeof token.signature).toBe('string');
      const conn = new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token });
      expect((await conn.query('SELECT Id FROM User')).totalSize).toBe(1);
      const identity = await fetch(token.id, { headers: { Authorization: `Bearer ${token.access_token}` } });
      expect(await identity.json()).toMatchObject({
        username: ADMIN_USERNAME,
        organization_id: expect.stringMatching(/^00D/),
      });
      // HTTP Basic client authentication works as well.
      const basic = await fetch(`${org.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(basic.status).toBe(200);

      const wrong = new OAuth2({ loginUrl: org.loginUrl, clientId: CLIENT.clientId, clientSecret: 'nope' });
      await expect(wrong.requestToken({ grant_type: 'client_credentials' })).rejects.toMatchObject({
        name: 'invalid_client',
      });
      // Token requests are not API requests.
      expect(org.apiRequests()).toBe(1);
    } finally {
      await org.close();
    }
  });

  test('JWT bearer: only an RS256 assertion signed with the configured certificate, for this org, unexpired', async () => {
    const { org } = await startOrg({ ...CLIENT, jwtCertificate: CERT });
    try {
      const exp = Math.floor(Date.now() / 1000) + 180;
      const good = { iss: CLIENT.clientId, sub: ADMIN_USERNAME, aud: org.loginUrl, exp };
      const ok = await token(org.loginUrl, { grant_type: JWT_GRANT, assertion: assertion(good) });
      expect(ok.status).toBe(200);
      expect(ok.json.access_token).toMatch(/^00D\w{12}!/);
      expect(ok.json.refresh_token).toBeUndefined();

      const refused = async (jwtText: string) =>
        (await token(org.loginUrl, { grant_type: JWT_GRANT, assertion: jwtText })).json;
      expect(await refused(noneJwt(good))).toEqual({
        error: 'invalid_grant',
        error_description: 'invalid assertion',
      });
      expect(await refused(assertion(good, otherKey.privateKey))).toEqual({
        error: 'invalid_grant',
        error_description: 'invalid assertion',
      });
      expect(await refused(assertion({ ...good, exp: Math.floor(Date.now() / 1000) - 60 }))).toEqual({
        error: 'invalid_grant',
        error_description: 'expired authorization code',
      });
      expect(await refused(assertion({ ...good, aud: 'https://evil.example' }))).toEqual({
        error: 'invalid_grant',
        error_description: 'audience is invalid',
      });
      expect(await refused(assertion({ ...good, iss: 'other-client' }))).toMatchObject({
        error: 'invalid_client_id',
      });
      expect(await refused(assertion({ ...good, sub: 'nobody@example.com' }))).toMatchObject({
        error: 'invalid_grant',
      });
      // HS256 with the certificate text as the secret (the classic key-confusion attack) is refused too.
      expect(await refused(jwt.sign(good, CERT, { algorithm: 'HS256' }))).toMatchObject({
        error: 'invalid_grant',
      });
      // The refused attempts issued nothing that reads data.
      expect((await call(org, 'GET', '/_local/requests', undefined, 'guess')).status).toBe(401);
    } finally {
      await org.close();
    }
  });

  test('without a configured connected app, no grant issues a token (any client id and secret are refused)', async () => {
    const { org } = await startOrg();
    try {
      const exp = Math.floor(Date.now() / 1000) + 180;
      const forms: Record<string, string>[] = [
        { grant_type: 'client_credentials', client_id: 'anything', client_secret: 'anything' },
        {
          grant_type: 'password',
          client_id: 'x',
          client_secret: 'y',
          username: ADMIN_USERNAME,
          password: 'p',
        },
        {
          grant_type: JWT_GRANT,
          assertion: noneJwt({ iss: 'x', sub: ADMIN_USERNAME, aud: org.loginUrl, exp }),
        },
      ];
      for (const form of forms) {
        const r = await token(org.loginUrl, form);
        expect(r.status).toBe(400);
        expect(r.json.access_token).toBeUndefined();
        expect(r.json.error).toMatch(/^invalid_client/);
      }
    } finally {
      await org.close();
    }
  });

  test('password grant: a token for the configured client, and no refresh token (Salesforce issues none)', async () => {
    const { org } = await startOrg(CLIENT);
    try {
      const ok = await token(org.loginUrl, {
        grant_type: 'password',
        ...{ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
        username: ADMIN_USERNAME,
        password: 'pw',
      });
      expect(ok.status).toBe(200);
      expect(ok.json.access_token).toBeTruthy();
      expect(ok.json).not.toHaveProperty('refresh_token');
      const wrong = await token(org.loginUrl, {
        grant_type: 'password',
        client_id: CLIENT.clientId,
        client_secret: 'nope',
        username: ADMIN_USERNAME,
        password: 'pw',
      });
      expect(wrong.json).toEqual({
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
    } finally {
      await org.close();
    }
  });

  test('an expired session makes jsforce refresh once and retry; the old token stays invalid', async () => {
    const { org } = await startOrg(CLIENT);
    try {
      let refreshes = 0;
      const oauth2 = new OAuth2({ loginUrl: org.loginUrl, ...CLIENT });
      const first: any = await oauth2.requestToken({ grant_type: 'client_credentials' });
      const conn = new Connection({
        instanceUrl: first.instance_url,
        accessToken: first.access_token,
        refreshFn: (_c, cb) => {
          refreshes++;
          oauth2
            .requestToken({ grant_type: 'client_credentials' })
            .then((t: any) => cb(null, t.access_token), cb);
        },
      });
      org.setFaults({ expireSessionOnce: true });
      const r = await conn.query('SELECT Id FROM User');
      expect(r.totalSize).toBe(1);
      expect(refreshes).toBe(1);
      expect(conn.accessToken).not.toBe(first.access_token);
      const stale = await call(org, 'GET', `${V}/limits`, undefined, first.access_token);
      expect(stale.status).toBe(401);
      expect(stale.json).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);

      // The username-password refresh path of conn.login() works too, including SOAP (Metadata API).
      const pw = new Connection({ oauth2: { loginUrl: org.loginUrl, ...CLIENT } });
      await pw.login(ADMIN_USERNAME, 'any-password');
      org.setFaults({ expireSessionOnce: true });
      const md: any = await pw.metadata.read('PermissionSet', 'Nope');
      expect(md.fullName).toBeUndefined();
    } finally {
      await org.close();
    }
  });
});

describe('API usage accounting', () => {
  test('every REST and SOAP request counts; Sforce-Limit-Info and /limits report it; /_local/requests resets', async () => {
    const { org, conn } = await startOrg();
    try {
      const r1 = await call(org, 'GET', `${V}/sobjects/Task/describe`);
      expect(r1.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
      await conn.query('SELECT Id FROM Task');
      await conn.metadata.read('CustomField', 'Activity.BizibleId__c');
      const limits = await call(org, 'GET', `${V}/limits`);
      expect(limits.json.DailyApiRequests).toEqual({ Max: 15000, Remaining: 15000 - 4 });
      expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=4/15000');
      const local = await call(org, 'GET', '/_local/requests');
      expect(local.json).toMatchObject({
        apiRequests: 4,
        byKind: { describe: 1, query: 1, metadata: 1, limits: 1 },
      });
      expect(org.apiRequests()).toBe(4);
      await call(org, 'POST', '/_local/requests/reset');
      expect(org.apiRequests()).toBe(0);
      expect((await call(org, 'GET', '/_local/requests', undefined, 'wrong')).status).toBe(401);
    } finally {
      await org.close();
    }
  });
});

describe('fault injection', () => {
  test('503s at a seeded rate are reproducible and answer SERVER_UNAVAILABLE', async () => {
    const { org } = await startOrg();
    try {
      const run = async () => {
        const put = await call(org, 'PUT', '/_local/faults', { errorRate503: 0.3, seed: 42 });
        expect(put.json).toMatchObject({ errorRate503: 0.3, seed: 42 });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++)
          statuses.push((await call(org, 'POST', `${V}/sobjects/Account`, { Name: `A${i}` })).status);
        return statuses;
      };
      const a = await run();
      const b = await run();
      expect(a).toEqual(b);
      const failures = a.filter((s) => s === 503).length;
      expect(failures).toBe(14); // what seed 42 at rate 0.3 gives, on every run
      const one = await call(org, 'POST', `${V}/sobjects/Account`, { Name: 'x' });
      if (one.status === 503) expect(one.json[0].errorCode).toBe('SERVER_UNAVAILABLE');
      await call(org, 'DELETE', '/_local/faults');
      expect((await call(org, 'POST', `${V}/sobjects/Account`, { Name: 'ok' })).status).toBe(201);
      expect((await call(org, 'PUT', '/_local/faults', { errorRate503: 2 })).status).toBe(400);
    } finally {
      await org.close();
    }
  });

  test('REQUEST_LIMIT_EXCEEDED answers 403 until cleared', async () => {
    const { org, conn } = await startOrg();
    try {
      org.setFaults({ requestLimitExceeded: true });
      const r = await call(org, 'GET', `${V}/limits`);
      expect(r.status).toBe(403);
      expect(r.json).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      await expect(conn.sobject('Account').create({ Name: 'x' })).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      });
      org.clearFaults();
      await conn.sobject('Account').create({ Name: 'x' });
    } finally {
      await org.close();
    }
  });

  test('UNABLE_TO_LOCK_ROW fails individual collection items, which are not saved', async () => {
    const { org, conn } = await startOrg();
    try {
      org.setFaults({ lockRowRate: 0.5, seed: 7 });
      const res: any[] = await conn
        .sobject('Account')
        .create(Array.from({ length: 50 }, (_, i) => ({ Name: `Acct ${i}` })));
      const locked = res.filter((r) => !r.success);
      expect(locked.length).toBe(26); // what seed 7 at rate 0.5 gives, on every run
      expect(locked[0].errors[0].statusCode).toBe('UNABLE_TO_LOCK_ROW');
      org.clearFaults();
      expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(50 - locked.length);
    } finally {
      await org.close();
    }
  });
});
