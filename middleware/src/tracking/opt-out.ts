import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log';
import { trackingOptOutDropped } from '../metrics';
import { VISITOR_ID, visitorCookieOf } from './cookie';
import type { SuppressionList } from './suppression';
import type { BatchResult } from './validate';

/**
 * /collect and the suppression list (issue 23, docs/privacy.md):
 * - a request whose `_biz_uid` is suppressed (erased, GPC, consent withdrawn) is answered 204 and
 *   nothing is stored, before its body is read;
 * - `Sec-GPC: 1` with a `_biz_uid` marks that cookie, as California's GPC rule asks for the browser
 *   and every profile linked to it (11 CCR §7025): its calls are no longer joined either;
 * - POST /collect/consent `{"consent":"withdrawn"}` (the snippet's `withdrawConsent()`) marks the
 *   cookie the same way (the snippet stops sending).
 * Events whose own `visitorId` is suppressed are dropped in the /collect handler (collect.ts).
 */
export function suppressionGate(suppression: SuppressionList, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const cookie = visitorCookieOf(req);
    if (!cookie) return next();
    if (suppression.has('cookie', cookie)) {
      trackingOptOutDropped.inc();
      res.status(204).end();
      return;
    }
    if (req.get('sec-gpc') === '1') {
      suppression
        .mark([{ kind: 'cookie', value: cookie, reason: 'gpc' }])
        .catch((err) => logger.warn({ err: (err as Error).message }, 'could not mark a GPC cookie'));
    }
    next();
  };
}

/** POST /collect/consent: consent withdrawn → the cookie (header or body `visitorId`) is suppressed. */
export function consentHandler(suppression: SuppressionList) {
  return [
    express.json({ type: () => true, limit: '4kb' }),
    async (req: Request, res: Response): Promise<void> => {
      const body = (req.body ?? {}) as { consent?: unknown; visitorId?: unknown };
      if (body.consent !== 'withdrawn') {
        res.status(400).json({ error: 'consent: send {"consent":"withdrawn"} to withdraw consent' });
        return;
      }
      const fromBody = typeof body.visitorId === 'string' ? body.visitorId.toLowerCase() : null;
      if (fromBody !== null && !VISITOR_ID.test(fromBody)) {
        res.status(400).json({ error: 'visitorId must be a _biz_uid value: 32 lowercase hex characters' });
        return;
      }
      const id = visitorCookieOf(req) ?? fromBody;
      if (id) await suppression.mark([{ kind: 'cookie', value: id, reason: 'consent' }]);
      res.status(204).end();
    },
  ];
}

/** A validated batch without the events of suppressed visitor ids (dropped silently, counted). */
export function withoutSuppressed(batch: BatchResult, suppression: SuppressionList | undefined): BatchResult {
  if (!batch.ok || !suppression) return batch;
  const keep = batch.events.map((e) => !suppression.has('cookie', e.visitorId));
  if (keep.every(Boolean)) return batch;
  trackingOptOutDropped.inc(keep.filter((k) => !k).length);
  return {
    ...batch,
    events: batch.events.filter((_, i) => keep[i]),
    indexes: batch.indexes.filter((_, i) => keep[i]),
  };
}
