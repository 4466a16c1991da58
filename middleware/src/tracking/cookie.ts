import type { Request, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { getDomain } from 'tldts';

/** The visitor cookie (docs/tracking.md): `_biz_uid`, 32 lowercase hex chars, 1 year, readable by script. */
export const VISITOR_COOKIE = '_biz_uid';
/** A well-formed `_biz_uid` value; the one definition vendors, tracking and the demo site check ids with. */
export const VISITOR_ID = /^[0-9a-f]{32}$/;
const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The request's `_biz_uid` when it is a well-formed id, else null. */
export function visitorCookieOf(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  const v = parseCookies(header)[VISITOR_COOKIE];
  return v && /^[0-9a-fA-F]{32}$/.test(v) ? v.toLowerCase() : null;
}

/** True when the request carries a `_biz_uid` we cannot read (kept untouched, never replaced). */
function hasForeignVisitorCookie(req: Request): boolean {
  const header = req.get('cookie');
  return !!header && parseCookies(header)[VISITOR_COOKIE] !== undefined && visitorCookieOf(req) === null;
}

/**
 * Where the server may set the cookie: only when it is first-party for the page, i.e. the
 * middleware answers on the site's own registrable domain (track.example.com for
 * www.example.com). Returns the Domain attribute (`example.com`), '' for a host-only cookie
 * (same host, e.g. an IP address), or null when the middleware is third-party to the page.
 */
export function cookieDomainFor(req: Request): string | null {
  const serverHost = req.hostname.toLowerCase();
  const origin = req.get('origin');
  let siteHost = serverHost;
  if (origin && origin !== 'null') {
    try {
      siteHost = new URL(origin).hostname.toLowerCase();
    } catch {
      return null;
    }
  }
  const serverDomain = getDomain(serverHost);
  const siteDomain = getDomain(siteHost);
  if (serverDomain && serverDomain === siteDomain) return serverDomain;
  return serverHost === siteHost ? '' : null;
}

/**
 * Sets (or refreshes) `_biz_uid` from the server. A server-set cookie survives Safari's 7-day cap
 * on script-written cookies. An existing id always wins over `candidate`: the value is kept,
 * only its lifetime is renewed. Not HttpOnly: call-tracking vendors' scripts read it.
 */
export function setVisitorCookie(req: Request, res: Response, candidate: string | null): void {
  if (hasForeignVisitorCookie(req)) return;
  const value = visitorCookieOf(req) ?? candidate;
  if (!value || !VISITOR_ID.test(value)) return;
  const domain = cookieDomainFor(req);
  if (domain === null) return;
  res.append(
    'Set-Cookie',
    serialize(VISITOR_COOKIE, value, {
      maxAge: ONE_YEAR_S,
      path: '/',
      sameSite: 'lax',
      secure: req.secure,
      ...(domain ? { domain } : {}),
    }),
  );
}
