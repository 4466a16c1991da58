import express, { type NextFunction, type Request, type Response } from 'express';
import { parseJson } from '../prototype-keys';
import { rateLimit } from 'express-rate-limit';
import { isbot } from 'isbot';
import type { TrackingSettings } from './config';
import type { Logger } from '../log';
import {
  botsDropped,
  collectRateLimited,
  eventsCollected,
  eventsDropped,
  eventsRejected,
  trackingOptOutDropped,
} from '../metrics';
import type { EventStore, KeyValueState } from '../store/types';
import { markAutomated } from '../store/automated';
import { setVisitorCookie, visitorCookieOf } from './cookie';
import { VisitorDailyCap } from './daily-cap';
import { NewVisitorLimit } from './new-visitor-limit';
import { isRequestFault } from '../store/write-fault';
import { ipKeyGenerator } from 'express-rate-limit';
import { MAX_BODY_BYTES, validateBatch } from './validate';
import { withoutSuppressed } from './opt-out';
import type { SuppressionList } from './suppression';

/** sendBeacon with a string body sends text/plain; fetch from the snippet does too (no preflight). */
const ACCEPTED_TYPES = ['application/json', 'application/*+json', 'text/plain'];

/** `Sec-GPC: 1` (Global Privacy Control) or `DNT: 1`: the browser asks not to be tracked. */
export function sendsOptOut(req: Request): boolean {
  return req.get('sec-gpc') === '1' || req.get('dnt') === '1';
}

/** Per-IP limit on /collect. The IP is used as an in-memory key only; it is never stored. */
export function collectRateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      collectRateLimited.inc();
      res.status(429).json({ error: `too many requests: at most ${perMinute} per minute per client` });
    },
  });
}

/** Reads the body as bytes (limit 64 KB, gzip/deflate allowed); parsing is ours, for precise 4xx. */
export const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

export function collectHandler(deps: {
  store: EventStore & KeyValueState;
  config: TrackingSettings;
  logger: Logger;
  suppression?: SuppressionList;
}) {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const cap = new VisitorDailyCap(deps.config.tracking.visitorDailyEventCap);
  const newVisitors = new NewVisitorLimit(deps.config.tracking.newVisitorsPerMinute);
  return async (req: Request, res: Response): Promise<void> => {
    const receivedAt = Date.now();
    if (res.locals.automated) {
      await dropAutomated(req, deps.store, receivedAt, utf8);
      res.status(204).end();
      return;
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      eventsRejected.inc({ reason: 'empty_body' });
      res.status(400).json({ error: 'empty body: send {"events": [...]} as JSON' });
      return;
    }
    let body: unknown;
    try {
      body = parseJson(utf8.decode(req.body));
    } catch (err) {
      eventsRejected.inc({ reason: 'invalid_json' });
      res
        .status(400)
        .json({ error: `body is not valid UTF-8 JSON: ${(err as Error).message.slice(0, 200)}` });
      return;
    }
    // Events of erased or opted-out cookies (issue 23) are dropped here; the rest go on.
    const batch = withoutSuppressed(validateBatch(body, receivedAt), deps.suppression);
    if (!batch.ok) {
      eventsRejected.inc({ reason: 'invalid_batch' });
      res.status(400).json({ error: batch.error });
      return;
    }
    // Visitor ids past this address's new-visitor limit are refused (429, named), the rest go on.
    const { refused } = newVisitors.admit(ipKeyGenerator(req.ip ?? ''), batch.events, receivedAt);
    const admitted = refused.size ? batch.events.filter((e) => !refused.has(e)) : batch.events;
    // Past its visitor's daily cap an event is dropped and counted, and the answer stays 204.
    const { kept, dropped } = cap.admit(admitted, receivedAt);
    if (dropped > 0) eventsDropped.inc({ reason: 'visitor_daily_cap' }, dropped);
    if (kept.length > 0) {
      await deps.store.appendEvents(kept);
      // One increment per type, not per event: a labelled inc is a hash lookup each time.
      const perType = new Map<string, number>();
      for (const e of kept) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
      for (const [type, n] of perType) eventsCollected.inc({ type }, n);
    }
    if (admitted.length > 0) setVisitorCookie(req, res, admitted[0].visitorId);
    if (refused.size > 0) {
      eventsRejected.inc({ reason: 'new_visitor_limit' }, refused.size);
      const limit = deps.config.tracking.newVisitorsPerMinute;
      res.status(429).json({
        accepted: admitted.length,
        rejected: [
          ...batch.rejected,
          ...batch.events.flatMap((e, i) =>
            refused.has(e)
              ? [
                  {
                    index: batch.indexes[i],
                    field: 'visitorId',
                    reason: `visitorId: more than ${limit} visitor ids from this address this minute; retry in a minute`,
                  },
                ]
              : [],
          ),
        ],
      });
      return;
    }
    if (batch.rejected.length > 0) {
      eventsRejected.inc({ reason: 'invalid_event' }, batch.rejected.length);
      res.status(400).json({ accepted: admitted.length, rejected: batch.rejected });
      return;
    }
    res.status(204).end();
  };
}

/**
 * Events of an automated browser are dropped (204, nothing stored), but its visitor ids — from the
 * events and the `_biz_uid` cookie — are remembered, so a call from that id says why it has no
 * web session (domain/detail.ts) instead of blaming the vendor's cookie capture.
 */
async function dropAutomated(
  req: Request,
  store: KeyValueState,
  at: number,
  utf8: TextDecoder,
): Promise<void> {
  botsDropped.inc();
  const ids = new Set<string>();
  const cookie = visitorCookieOf(req);
  if (cookie) ids.add(cookie);
  try {
    const batch = validateBatch(JSON.parse(utf8.decode(req.body as Buffer)), at);
    if (batch.ok) for (const e of batch.events) ids.add(e.visitorId);
  } catch {
    /* not JSON: the cookie is all we know */
  }
  if (ids.size) await markAutomated(store, ids, at);
}

/**
 * Gate before the body is read: opt-out browsers are answered 204 and dropped; automated browsers
 * (isbot on the user agent; TRACKING_BOT_FILTER=off lets them through for testing) go on to the
 * handler, which only notes their visitor ids.
 */
export function collectGate(config: TrackingSettings) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (config.tracking.botFilter && isbot(req.get('user-agent') ?? '')) {
      res.locals.automated = true;
      next();
      return;
    }
    if (config.tracking.honorOptOut && sendsOptOut(req)) {
      trackingOptOutDropped.inc();
      res.status(204).end();
      return;
    }
    if (!req.is(ACCEPTED_TYPES)) {
      const type = req.get('content-type');
      eventsRejected.inc({ reason: 'content_type' });
      res.status(415).json({
        error: `Content-Type ${type ? `"${type}"` : '(none)'} is not accepted: send application/json or text/plain`,
      });
      return;
    }
    next();
  };
}

/** Body-reader and handler errors of /collect as 4xx with a reason; anything else is a 503. */
export function collectErrors(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (res.locals.automated) {
      res.status(204).end(); // an automated browser learns nothing about why
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.too.large') {
      eventsRejected.inc({ reason: 'too_large' });
      res
        .status(413)
        .json({ error: `body is larger than ${MAX_BODY_BYTES} bytes: send fewer events per request` });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      eventsRejected.inc({ reason: 'bad_request' });
      res.status(e.status).json({ error: e.message ?? 'bad request' });
      return;
    }
    if (isRequestFault(err)) {
      // A value the store refused slipped past the door: this request's error, not the store's.
      eventsRejected.inc({ reason: 'store_refused_value' });
      logger.warn({ err: (err as Error).message }, 'POST /collect: the store refused a value');
      res.status(400).json({ error: 'an event holds a value that cannot be stored; nothing was stored' });
      return;
    }
    logger.error({ err }, 'POST /collect failed');
    res.status(503).json({ error: 'events could not be stored right now; the client may retry' });
  };
}
