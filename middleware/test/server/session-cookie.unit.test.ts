import { localPath } from '../../src/server/access';
import { issueSession, SESSION_MS, validSession } from '../../src/server/session-cookie';

describe('the page session cookie and the sign-in redirect target', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  test('a session is valid for 8 hours, only with the ADMIN_TOKEN that signed it, and not when altered', () => {
    const value = issueSession('token-one', now);
    expect(validSession('token-one', value, now + SESSION_MS - 1)).toBe(true);
    expect(validSession('token-one', value, now + SESSION_MS)).toBe(false);
    expect(validSession('token-two', value, now)).toBe(false);
    const [expires, mac] = value.split('.');
    // A later expiry with the old signature is refused, and so is an expiry beyond 8 hours.
    expect(validSession('token-one', `${Number(expires) + 1000}.${mac}`, now)).toBe(false);
    expect(validSession('token-one', issueSession('token-one', now + 3_600_000), now)).toBe(false);
    expect(validSession('token-one', undefined, now)).toBe(false);
    expect(validSession('token-one', 'garbage', now)).toBe(false);
  });

  test('after sign-in only a local path is followed (no open redirect)', () => {
    expect(localPath('/tasks/00T000000000001?refresh=1')).toBe('/tasks/00T000000000001?refresh=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:x', '', 42])
      expect(localPath(bad)).toBe('/tasks');
  });
});
