import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config';
import type { ChannelRules } from '../domain/channels';
import type { Logger } from '../log';
import { isOrgUnavailable } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import type { Store } from '../store/types';
import { createAdminRouter, createTrackingRouter } from '../tracking';
import { createWebhookRouter } from '../vendors/router';
import { CALL_OUTBOX_KIND, type CallIntake } from '../vendors/normalized-call';
import { APP_CSS } from '../web/assets';
import { createDemoRouter, type SimulateCallDeps } from '../web/demo-site';
import { appPage, html, signedIn } from '../web/html';
import { createReportRouter } from '../web/report-page';
import { createTasksRouter } from '../web/tasks-page';
import { createOpportunitiesRouter } from '../web/opportunities-page';
import { hostCheck, requireMetricsToken, requireSignIn, type Exposure } from './access';
import { createHealthRouter } from './health';
import { wantsHtml } from './negotiate';
import { parseQuery } from '../prototype-keys';
import { authFailureLimiter } from './auth-limit';
import { notifyingStore } from './notifying-store';
import { proxyWithoutForwardedFor } from './proxy-warning';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';
import { createSignInRouter } from './sign-in';
import { createErasureRouter } from './erasure-api';
import type { ErasureDeps } from '../erasure';
import type { SuppressionList } from '../tracking/suppression';

/**
 * Composition of the HTTP surface of `serve` (composition only: no rule lives here): tracking
 * (/t.js, /collect), admin API (/api/*), vendor webhooks (/webhooks/*), the demo site, the Task
 * preview and the report, /healthz and /metrics, and who may reach each (access.ts). Everything it mounts is built by its own module.
 */
/** Parked calls listed on the calls page, and counted for /metrics (beyond that: "at least"). */
const PARKED_SHOWN = 50;
const PARKED_COUNTED = 10_000;

export interface AppDeps {
  /** Effective configuration (in local mode it carries the per-process demo CallRail key). */
  config: Config;
  store: Store;
  logger: Logger;
  rules: ChannelRules;
  /** The org (the embedded local org or a real org); pages and health take their purpose views. */
  salesforce: SalesforcePort;
  /** Link to a record in the org's UI; null for the local org, which has none. */
  recordUrl?: (id: string) => string | null;
  /** The local-only "simulate a call" helper; null unless the org is the embedded local org. */
  simulateCall: Omit<SimulateCallDeps, 'store' | 'logger'> | null;
  /** Where webhooks hand their calls: the calls pipeline. */
  calls: CallIntake;
  /** Called after tracking stored events, with the visitors that got new ones (wired to the join). */
  onEventsAppended?: (visitorIds: string[]) => void;
  /** Who may reach what (access.ts): sign-in for the pages, the /metrics token, the Host names. */
  exposure: Exposure;
  /**
   * Erasure (issue 23, docs/privacy.md): the suppression list /collect and the webhooks consult, and
   * what the erasure admin API runs with. Absent: nothing is suppressed and /api/erasures is not served.
   */
  privacy?: { suppression: SuppressionList; erasure: ErasureDeps };
  /** How Tasks written by others are found (docs/salesforce.md), for /healthz: "cdc (…)" or "polling (…)". */
  taskDiscovery?: () => string;
}

/** Pages that read the org or list personal data; the demo's simulate helper posts webhooks. */
const SIGNED_IN_PAGES = ['/tasks', '/opportunities', '/reports', '/demo/api'];
/** Every surface that checks a token or a session. */
const AUTHENTICATED_SURFACES = ['/webhooks', '/api', '/login', '/logout', ...SIGNED_IN_PAGES, '/metrics'];

export function createApp(deps: AppDeps): express.Express {
  const { config, store, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // TRUST_PROXY (server/config.ts): only these clients may tell us the visitor's address and the scheme.
  app.set('trust proxy', config.trustProxy);
  // Null-prototype query objects without prototype keys (see prototype-keys.ts).
  app.set('query parser', parseQuery);
  app.use(hostCheck(deps.exposure.allowedHosts));
  app.use(requestLog(logger.child({ area: 'http' })));
  app.use(proxyWithoutForwardedFor(logger.child({ area: 'http' })));
  // One failed-authentication budget per address for every authenticated surface (wrong Bearer tokens
  // on the pages and /metrics count too).
  app.use(AUTHENTICATED_SURFACES, authFailureLimiter(config.authFailureLimit));

  app.use(
    createHealthRouter({
      store,
      salesforce: deps.salesforce,
      metricsGuard: requireMetricsToken(deps.exposure, config.metricsToken),
      parkedCalls: async () => (await store.parked(CALL_OUTBOX_KIND, PARKED_COUNTED)).length,
      taskDiscovery: deps.taskDiscovery,
    }),
  );
  // Tracking before the page headers: customers' sites load /t.js and post /collect cross-origin.
  const onAppended = deps.onEventsAppended;
  app.use(
    createTrackingRouter({
      store: onAppended ? notifyingStore(store, onAppended) : store,
      config,
      logger: logger.child({ area: 'tracking' }),
      suppression: deps.privacy?.suppression,
    }),
  );
  app.use(securityHeaders());
  app.get('/', (_req, res) => res.redirect(302, '/demo/'));
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/static/app.css', (_req, res) => void res.type('css').send(APP_CSS));
  app.use(createSignInRouter(config.adminToken));
  app.use(createAdminRouter({ store, config, rules: deps.rules }));
  if (deps.privacy) app.use(createErasureRouter({ erasure: deps.privacy.erasure, config, logger }));
  app.use(createWebhookRouter({ calls: deps.calls, config, logger, suppression: deps.privacy?.suppression }));
  app.use(SIGNED_IN_PAGES, requireSignIn(deps.exposure, config.adminToken));
  app.use(
    createDemoRouter({
      simulateCall: deps.simulateCall
        ? { ...deps.simulateCall, store, logger: logger.child({ area: 'demo' }) }
        : null,
    }),
  );
  app.use(
    createTasksRouter({
      salesforce: deps.salesforce,
      bizibleIdField: config.bizibleIdField,
      recordUrl: deps.recordUrl,
      parkedCalls: () => store.parked(CALL_OUTBOX_KIND, PARKED_SHOWN),
    }),
  );
  app.use(createOpportunitiesRouter({ salesforce: deps.salesforce }));
  app.use(createReportRouter({ salesforce: deps.salesforce }));

  app.use(notFound);
  // Last resort: log the error, answer without internals. Org outages are the common case here.
  app.use(lastResort(logger));
  return app;
}

function notFound(req: Request, res: Response): void {
  if (wantsHtml(req)) {
    res
      .status(404)
      .type('html')
      .send(
        appPage({
          signedIn: signedIn(res),
          title: 'Not found',
          body: html`<h1>Not found</h1>
            <p>Nothing is served at ${req.path}.</p>`,
        }),
      );
  } else {
    res.status(404).json({ error: 'not found', path: req.path });
  }
}

/** The error handler: logged, answered without internals; an org outage is a 503 that says so. */
function lastResort(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const e = err as { status?: number; statusCode?: number; message?: string; errorCode?: string };
    const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    if (status >= 500)
      logger.error({ path: req.path, err: e?.message, code: e?.errorCode }, 'request failed');
    if (res.headersSent) return;
    const orgDown = status >= 500 && isOrgUnavailable(err);
    const code = orgDown ? 503 : status;
    const message = orgDown
      ? 'The Salesforce org cannot be reached right now; try again in a moment (see /healthz).'
      : status >= 500
        ? 'Internal error; see the server log.'
        : 'Bad request.';
    if (wantsHtml(req)) {
      res
        .status(code)
        .type('html')
        .send(
          appPage({
            signedIn: signedIn(res),
            title: 'Error',
            body: html`<h1>Something went wrong</h1>
              <p class="error">${message}</p>`,
          }),
        );
    } else {
      res.status(code).json({ error: message });
    }
  };
}
