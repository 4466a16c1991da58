import type { Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { authRateLimited } from '../metrics';

export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Caps failed authentication (limit: AUTH_FAILURE_LIMIT, default 20) per client address (docs/security.md):
 * only answers 401/403 count (express-rate-limit's skipSuccessfulRequests with our own notion of success), so
 * a vendor or admin with the right secret is never slowed; once an address has failed `limit` times within
 * the window, everything it sends there answers 429 until the window passes. One instance is shared by every
 * mount point (/webhooks, /api, and the sign-in form), so failures anywhere count together. The counter lives
 * in this process's memory: each replica counts on its own.
 */
export function authFailureLimiter(limit: number): RateLimitRequestHandler {
  const minutes = AUTH_FAILURE_WINDOW_MS / 60_000;
  return rateLimit({
    windowMs: AUTH_FAILURE_WINDOW_MS,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== 401 && res.statusCode !== 403,
    handler: (_req, res) => {
      authRateLimited.inc();
      res.status(429).json({
        error: `too many failed authentication attempts from this address: at most ${limit} per ${minutes} minutes; check the secret and retry later`,
      });
    },
  });
}
