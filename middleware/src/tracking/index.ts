import express from 'express';
import type { TrackingSettings } from './config';
import type { Logger } from '../log';
import type { EventStore, KeyValueState } from '../store/types';
import {
  collectErrors,
  collectGate,
  collectHandler,
  collectRateLimit,
  readBody,
  sendsOptOut,
} from './collect';
import { setVisitorCookie, visitorCookieOf } from './cookie';
import { collectCors } from './cors';
import { loadSnippet } from './snippet-file';
import { consentHandler, suppressionGate } from './opt-out';
import type { SuppressionList } from './suppression';

export { createAdminRouter } from './admin';

/**
 * Web tracking (docs/tracking.md): GET /t.js (the snippet) and POST /collect (+ its CORS preflight).
 * Mount at the root of the site-facing server; the snippet posts to `collect` next to its own URL.
 */
export function createTrackingRouter(deps: {
  store: EventStore & KeyValueState;
  config: TrackingSettings;
  logger: Logger;
  /** Erased and opted-out cookies (issue 23); absent: nothing is suppressed. */
  suppression?: SuppressionList;
}): express.Router {
  const router = express.Router();
  const snippet = loadSnippet();

  router.get('/t.js', (req, res) => {
    res.type('text/javascript; charset=utf-8');
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.vary('Accept-Encoding');
    // Refresh (never create) a first-party _biz_uid: the answer then depends on the cookie and
    // must not sit in a shared cache.
    const refresh = visitorCookieOf(req) !== null && !(deps.config.tracking.honorOptOut && sendsOptOut(req));
    if (refresh) {
      setVisitorCookie(req, res, null);
      res.set('Cache-Control', 'private, max-age=300');
      res.vary('Cookie');
    } else {
      res.set('Cache-Control', 'public, max-age=3600');
    }
    res.set('ETag', snippet.etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip');
      res.send(snippet.gzipped);
    } else {
      res.send(snippet.source);
    }
  });

  const cors = collectCors(deps.config.siteOrigins);
  router.options('/collect', cors);
  const limit = collectRateLimit(deps.config.tracking.collectRateLimitPerMinute);
  const suppression = deps.suppression;
  if (suppression) {
    router.options('/collect/consent', cors);
    router.post('/collect/consent', cors, limit, ...consentHandler(suppression));
  }
  router.post(
    '/collect',
    cors,
    limit,
    ...(suppression ? [suppressionGate(suppression, deps.logger)] : []),
    collectGate(deps.config),
    readBody,
    collectHandler(deps),
    collectErrors(deps.logger),
  );
  return router;
}
