import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { SecretSettings } from '../secrets';
import { classify, parseInstant, toWebSessionRecord, type ChannelRules } from '../domain';
import type { EventStore } from '../store/types';
import { VISITOR_ID } from './cookie';

/** Constant-time comparison of a presented secret with the configured one. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request carries `Authorization: Bearer <secret>`. */
export function hasBearer(req: Request, secret: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  return !!m && sameSecret(m[1].trim(), secret);
}

/** Bearer ADMIN_TOKEN. Unset token: every request is refused, with the reason. */
export function requireAdminToken(config: Pick<SecretSettings, 'adminToken'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('WWW-Authenticate', 'Bearer realm="call-touchpoints"');
    if (!config.adminToken) {
      res
        .status(401)
        .json({ error: 'the admin API is disabled: set ADMIN_TOKEN on the server to enable /api/*' });
      return;
    }
    if (!hasBearer(req, config.adminToken)) {
      res
        .status(401)
        .json({ error: 'missing or wrong bearer token: send Authorization: Bearer <ADMIN_TOKEN>' });
      return;
    }
    next();
  };
}

function instantParam(req: Request, name: 'from' | 'to'): number | undefined | string {
  const v = req.query[name];
  if (v === undefined) return undefined;
  const ms = parseInstant(v);
  return ms === null
    ? `query parameter "${name}" must be an ISO instant with offset, e.g. 2026-03-10T12:00:00Z`
    : ms;
}

/**
 * GET /api/visitors/:id/sessions[?from=ISO&to=ISO]: the visitor's web sessions as
 * Web_Session__c records (force-app's field names), channel classified by the sheet (R12).
 */
export function createAdminRouter(deps: {
  store: Pick<EventStore, 'sessionsForVisitor'>;
  config: Pick<SecretSettings, 'adminToken'>;
  rules: ChannelRules;
}): express.Router {
  const router = express.Router();
  router.get('/api/visitors/:id/sessions', requireAdminToken(deps.config), async (req, res) => {
    const id = String(req.params.id);
    if (!VISITOR_ID.test(id)) {
      res.status(400).json({ error: 'visitor id must be a _biz_uid value: 32 lowercase hex characters' });
      return;
    }
    const from = instantParam(req, 'from');
    const to = instantParam(req, 'to');
    for (const v of [from, to]) {
      if (typeof v === 'string') {
        res.status(400).json({ error: v });
        return;
      }
    }
    const sessions = await deps.store.sessionsForVisitor(
      id,
      from as number | undefined,
      to as number | undefined,
    );
    res.json({
      visitorId: id,
      sessions: sessions.map((s) => toWebSessionRecord(s, classify(s, deps.rules))),
    });
  });
  return router;
}
