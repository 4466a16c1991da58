import { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { startOrg } from './helpers';

// SOAP login() / logout() of the Partner API (/services/Soap/u), as jsforce's conn.login() and Pub/Sub clients
// that log in with a username and password use them.
let org: LocalOrg;

beforeAll(async () => {
  ({ org } = await startOrg());
});
afterAll(() => org.close());

const soap = (version: string, body: string, sessionId?: string) =>
  fetch(`${org.instanceUrl}/services/Soap/u/${version}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
    body:
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header>' +
      (sessionId
        ? `<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${sessionId}</sessionId></SessionHeader>`
        : '') +
      `</se:Header><se:Body>${body}</se:Body></se:Envelope>`,
  });

describe('Partner SOAP login()', () => {
  test('jsforce logs the admin user in with username and password and the session works for REST', async () => {
    const conn = new Connection({ loginUrl: org.instanceUrl, version: '62.0' });
    const info = await conn.login('ADMIN@local-org.invalid', 'any-password');
    expect(info.organizationId).toMatch(/^00D\w{15}$/);
    expect(info.id).toMatch(/^005\w{15}$/);
    expect(conn.instanceUrl).toBe(org.instanceUrl);
    const q = await conn.query('SELECT Username FROM User');
    expect(q.records.map((r: any) => r.Username)).toContain('admin@local-org.invalid');
  });

  test('the LoginResult carries the server URLs, the session and userInfo as the Partner API documents', async () => {
    const res = await soap(
      '62.0',
      '<login xmlns="urn:partner.soap.sforce.com"><username>admin@local-org.invalid</username><password>x</password></login>',
    );
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toMatch(
      /<loginResponse><result><metadataServerUrl>http:\/\/127\.0\.0\.1:\d+\/services\/Soap\/m\/62\.0\/00D\w{12}<\/metadataServerUrl>/,
    );
    expect(xml).toContain('<passwordExpired>false</passwordExpired>');
    expect(xml).toMatch(/<serverUrl>[^<]+\/services\/Soap\/u\/62\.0\/00D\w{12}<\/serverUrl>/);
    expect(xml).toMatch(/<sessionId>00D\w{12}![\w]+<\/sessionId>/);
    expect(xml).toContain('<userName>admin@local-org.invalid</userName>');
    expect(xml).toMatch(/<organizationId>00D\w{15}<\/organizationId>/);
  });

  test('a wrong username or an empty password is INVALID_LOGIN, and login is not an API request', async () => {
    const before = org.apiRequests();
    for (const [user, password] of [
      ['nobody@local-org.invalid', 'x'],
      ['admin@local-org.invalid', ''],
    ]) {
      const res = await soap(
        '62.0',
        `<login xmlns="urn:partner.soap.sforce.com"><username>${user}</username><password>${password}</password></login>`,
      );
      expect(res.status).toBe(500);
      const xml = await res.text();
      expect(xml).toContain('<faultcode>sf:INVALID_LOGIN</faultcode>');
      expect(xml).toContain('INVALID_LOGIN: Invalid username, password, security token; or user locked out.');
    }
    const conn = new Connection({ loginUrl: org.instanceUrl, version: '62.0' });
    await expect(conn.login('nobody@local-org.invalid', 'x')).rejects.toThrow(/INVALID_LOGIN/);
    expect(org.apiRequests()).toBe(before);
  });

  test('logout() ends the session: REST then answers INVALID_SESSION_ID', async () => {
    const conn = new Connection({ loginUrl: org.instanceUrl, version: '62.0' });
    await conn.login('admin@local-org.invalid', 'x');
    const token = conn.accessToken!;
    const out = await soap('62.0', '<logout xmlns="urn:partner.soap.sforce.com"/>', token);
    expect(out.status).toBe(200);
    expect(await out.text()).toContain('<logoutResponse></logoutResponse>');
    const res = await fetch(`${org.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    const again = await soap('62.0', '<logout xmlns="urn:partner.soap.sforce.com"/>', token);
    expect(await again.text()).toContain('sf:INVALID_SESSION_ID');
  });

  test('another Partner call is a fault naming what the local org implements', async () => {
    const res = await soap(
      '62.0',
      '<query xmlns="urn:partner.soap.sforce.com"><queryString>SELECT Id FROM Account</queryString></query>',
      org.accessToken,
    );
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('does not implement query');
  });
});
