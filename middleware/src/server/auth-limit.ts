import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, MemoryStore, type Options } from 'express-rate-limit';
import { authRateLimited } from '../metrics';

export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;

export type AuthFailureLimiter = ((req: Request, res: Response, next: NextFunction) => void) & {
  /** Stops the store's expiry timer (tests; the timer is unref'd anyway). */
  shutdown(): void;
};

/**
 * Caps failed authentication (limit: AUTH_FAILURE_LIMIT, default 20) per client address (docs/security.md):
 * a request counts when it has failed — its answer was 401 or 403 — never while it is in flight, so any
 * number of concurrent, correctly signed webhooks or signed-in page loads never count (issue 24: counting
 * up front and giving back on success refused the 21st of 60 concurrent signed deliveries). Once an
 * address has failed `limit` times within the window, everything it sends to a guarded path answers 429
 * until the window passes. A refusal of a request that presented no credential at all (a page opened
 * without signing in, a cross-site form: `res.locals.noCredential`) is not a guess and does not count, so
 * another site cannot lock a visitor's address out by making its browser load our pages. One instance is shared by every mount point (/webhooks, /api, sign-in, the
 * pages and /metrics), so failures anywhere count together. Counters are express-rate-limit's
 * MemoryStore, in this process's memory: each replica counts on its own.
 */
export function authFailureLimiter(limit: number): AuthFailureLimiter {
  const minutes = AUTH_FAILURE_WINDOW_MS / 60_000;
  const store = new MemoryStore();
  store.init({ windowMs: AUTH_FAILURE_WINDOW_MS } as Options);
  const keyOf = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const key = keyOf(req);
    void store.get(key).then(
      (info) => {
        if (info && info.totalHits >= limit) {
          authRateLimited.inc();
          const retryS = info.resetTime
            ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000))
            : 60;
          res
            .status(429)
            .set('Retry-After', String(retryS))
            .json({
              error: `too many failed authentication attempts from this address: at most ${limit} per ${minutes} minutes; check the secret and retry later`,
            });
          return;
        }
        res.on('finish', () => {
          if ((res.statusCode === 401 || res.statusCode === 403) && !res.locals.noCredential)
            void store.increment(key);
        });
        next();
      },
      (err: unknown) => next(err),
    );
  };
  return Object.assign(middleware, { shutdown: () => store.shutdown() });
}
