import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The sign-in session of the pages: `<expires ms>.<HMAC-SHA256>` in an HttpOnly cookie. The key is
 * derived from ADMIN_TOKEN, so no server-side session store is needed (replicas share it) and
 * changing ADMIN_TOKEN signs everyone out. Pure: no I/O, the clock is a parameter.
 */
export const SESSION_COOKIE = 'ct_session';
export const SESSION_MS = 8 * 60 * 60 * 1000;

function signature(adminToken: string, expiresAt: number): Buffer {
  const key = createHmac('sha256', adminToken).update('call-touchpoints page session v1').digest();
  return createHmac('sha256', key).update(String(expiresAt)).digest();
}

export function issueSession(adminToken: string, now: number): string {
  const expiresAt = now + SESSION_MS;
  return `${expiresAt}.${signature(adminToken, expiresAt).toString('base64url')}`;
}

/** True for a cookie this server signed with the current ADMIN_TOKEN that has not expired. */
export function validSession(adminToken: string, value: string | undefined, now: number): boolean {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m) return false;
  const expiresAt = Number(m[1]);
  if (expiresAt <= now || expiresAt > now + SESSION_MS) return false;
  return timingSafeEqual(Buffer.from(m[2], 'base64url'), signature(adminToken, expiresAt));
}
