import express, { type Request, type Response } from 'express';
import { auditEntry, erase, parseSubject, resumeErasures, type ErasureDeps } from '../erasure';
import type { Logger } from '../log';
import { isOrgUnavailable } from '../salesforce/error-class';
import type { SecretSettings } from '../secrets';
import { requireAdminToken } from '../tracking/admin';
import { UserError } from '../user-error';
import { refuseCrossSite } from './cross-site';

/**
 * The erasure admin API (issue 23, docs/privacy.md), `Authorization: Bearer <ADMIN_TOKEN>`:
 * - POST /api/erasures `{"phone": "(415) 555-1234"}` (or `email`, `cookie`; `dryRun`, `deleteTasks`,
 *   `keepPerson`, `operator` for the audit log) erases and answers the audit entry (a dry run: the counts);
 * - GET /api/erasures: the audit log, newest first; GET /api/erasures/:id one entry.
 * A POST a browser sent from another site is refused (403), like the other state-changing routes.
 */
const OPERATOR = /^[\p{L}\p{N} ._@-]{1,80}$/u;
const LOG_LIMIT = 1000;

type Body = {
  email?: unknown;
  phone?: unknown;
  cookie?: unknown;
  dryRun?: unknown;
  deleteTasks?: unknown;
  keepPerson?: unknown;
  operator?: unknown;
};

function readRequest(body: Body) {
  const text = (name: 'email' | 'phone' | 'cookie') => {
    const v = body[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new UserError(`${name} must be a string`, 2);
    return v;
  };
  for (const flag of ['dryRun', 'deleteTasks', 'keepPerson'] as const)
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
      throw new UserError(`${flag} must be true or false`, 2);
  if (body.operator !== undefined && (typeof body.operator !== 'string' || !OPERATOR.test(body.operator)))
    throw new UserError('operator: a name of 1 to 80 letters, digits, spaces or . _ @ -', 2);
  return {
    subject: parseSubject({ email: text('email'), phone: text('phone'), cookie: text('cookie') }),
    requestedBy: `api:${(body.operator as string | undefined) ?? 'ADMIN_TOKEN'}`,
    dryRun: body.dryRun === true,
    deleteTasks: body.deleteTasks === true,
    keepPerson: body.keepPerson === true,
  };
}

export function createErasureRouter(deps: {
  erasure: ErasureDeps;
  config: Pick<SecretSettings, 'adminToken'>;
  logger: Logger;
}): express.Router {
  const router = express.Router();
  const admin = requireAdminToken(deps.config);

  router.post(
    '/api/erasures',
    refuseCrossSite,
    admin,
    express.json({ limit: '4kb' }),
    async (req: Request, res: Response) => {
      let request: ReturnType<typeof readRequest>;
      try {
        request = readRequest((req.body ?? {}) as Body);
      } catch (err) {
        res.status(400).json({ error: (err as Error).message.replace(/--(email|phone|cookie)/g, '$1') });
        return;
      }
      try {
        const out = await erase(deps.erasure, request);
        res.set('cache-control', 'no-store').json('dryRun' in out ? out : auditEntry(out));
      } catch (err) {
        deps.logger.error(
          { err: (err as Error).message },
          'erasure stopped; it resumes on the next start or erase --resume',
        );
        const unfinished = (await deps.erasure.store.erasures({ limit: 1, unfinished: true }))[0];
        res.status(isOrgUnavailable(err) ? 503 : 500).json({
          error: `the erasure stopped: ${(err as Error).message}`,
          erasure: unfinished ? auditEntry(unfinished) : null,
          resume: 'it is kept and resumes when serve starts again, or with `call-touchpoints erase --resume`',
        });
      }
    },
  );

  router.get('/api/erasures', admin, async (_req, res) => {
    const entries = (await deps.erasure.store.erasures({ limit: LOG_LIMIT })).map(auditEntry);
    res.set('cache-control', 'no-store').json({ erasures: entries });
  });

  router.get('/api/erasures/:id', admin, async (req, res) => {
    const r = await deps.erasure.store.erasure(String(req.params.id));
    if (!r) {
      res.status(404).json({ error: 'no erasure request has that id: see GET /api/erasures' });
      return;
    }
    res.set('cache-control', 'no-store').json(auditEntry(r));
  });
  return router;
}

/** serve at start: requests a crash stopped are finished in the background (logged). */
export function resumeInBackground(deps: ErasureDeps, logger: Logger): void {
  resumeErasures(deps)
    .then((done) => {
      if (done.length) logger.info({ erasures: done.map((r) => r.id) }, 'stopped erasure requests finished');
    })
    .catch((err) =>
      logger.error(
        { err: (err as Error).message },
        'an erasure request is still unfinished: run `call-touchpoints erase --resume` (docs/privacy.md)',
      ),
    );
}
