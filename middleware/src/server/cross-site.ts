import type { NextFunction, Request, Response } from 'express';

/**
 * State-changing routes of the pages (/login, /logout) refuse requests another site made a browser
 * send (docs/security.md, "Cross-site requests"): the browser says where a request comes from in
 * `Sec-Fetch-Site` (Fetch Metadata) and `Origin`; either one naming another site is refused with
 * 403. A request with neither (curl, an old browser) is not a cross-site browser request. OWASP
 * "Cross-Site Request Forgery Prevention Cheat Sheet": verifying origin with standard headers and
 * Fetch Metadata headers (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
 */
export function isCrossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.get('origin');
  if (!origin) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host.toLowerCase() !== String(req.headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}

export function refuseCrossSite(req: Request, res: Response, next: NextFunction): void {
  if (!isCrossSite(req)) return next();
  res.locals.noCredential = true; // not a guess at the token: never counts as failed authentication
  res
    .status(403)
    .set('cache-control', 'no-store')
    .type('text/plain')
    .send('Refused: this request was sent by another site. Use the form on this server’s own page.');
}
