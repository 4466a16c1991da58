import { Router } from 'express';
import type { Connection } from 'jsforce';
import { outboxDepth, registry, sessionsStored } from '../metrics';
import type { Store } from '../store/types';
import { API_VERSION } from '../salesforce/connection';
import { NO_JSFORCE_RETRY } from '../salesforce/gateway';

/**
 * GET /healthz (store ping + a cheap org request, its answer cached for 15 s because every org
 * request counts against the org's daily API limit) and GET /metrics (Prometheus text).
 */
export interface HealthDeps {
  store: Store;
  getConnection: () => Promise<Connection>;
  /** Per-check budget; a check slower than this counts as failed. */
  timeoutMs?: number;
  /** The org check's answer is reused this long: probes every few seconds must not eat API calls. */
  orgCacheMs?: number;
  now?: () => number;
  /** Reported as `taskDiscovery`: "cdc (…)" or "polling (reason and what to do)". */
  taskDiscovery?: () => string;
}

function withTimeout<T>(what: string, ms: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    work().then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

async function check(what: string, ms: number, work: () => Promise<unknown>): Promise<string | null> {
  try {
    await withTimeout(what, ms, work);
    return null;
  } catch (err) {
    // Error messages of the store and jsforce carry no secrets (no URLs with credentials, no tokens).
    return err instanceof Error ? err.message : String(err);
  }
}

export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  const ms = deps.timeoutMs ?? 3000;
  const cacheMs = deps.orgCacheMs ?? 15_000;
  const now = deps.now ?? Date.now;
  let orgCheck: { at: number; result: Promise<string | null> } | null = null;
  const checkOrg = (): Promise<string | null> => {
    if (!orgCheck || now() - orgCheck.at >= cacheMs) {
      // /limits is the cheapest authenticated call; it proves the session is valid, too.
      orgCheck = {
        at: now(),
        // One attempt: jsforce's own retries would outlive the timeout (and a shutdown) by ~15 s.
        result: check('org', ms, async () =>
          (await deps.getConnection()).request(
            { method: 'GET', url: `/services/data/v${API_VERSION}/limits` },
            NO_JSFORCE_RETRY,
          ),
        ),
      };
    }
    return orgCheck.result;
  };

  router.get('/healthz', async (_req, res) => {
    const [storeError, orgError] = await Promise.all([
      check('store', ms, () => deps.store.ping()),
      // /limits is the cheapest authenticated call; it proves the session is valid, too.
      check('org', ms, async () =>
        (await deps.getConnection()).request(
          { method: 'GET', url: `/services/data/v${API_VERSION}/limits` },
          NO_JSFORCE_RETRY,
        ),
      ),
    ]);
    const failed = [storeError ? 'store' : null, orgError ? 'org' : null].filter(
      (x): x is string => x !== null,
    );
    const body = {
      status: failed.length ? 'unavailable' : 'ok',
      ...(failed.length ? { failed } : {}),
      store: storeError ? `unreachable: ${storeError}` : `ok (${deps.store.kind})`,
      org: orgError ? `unreachable: ${orgError}` : 'ok',
      ...(deps.taskDiscovery ? { taskDiscovery: deps.taskDiscovery() } : {}),
    };
    res
      .status(failed.length ? 503 : 200)
      .set('cache-control', 'no-store')
      .json(body);
  });

  router.get('/metrics', async (_req, res, next) => {
    try {
      // Gauges read from the store at scrape time; a store failure leaves the previous values.
      const [sessions, depth] = await Promise.all([deps.store.countSessions(), deps.store.outboxDepth()]);
      sessionsStored.set(sessions);
      outboxDepth.set(depth);
      res.set('content-type', registry.contentType).send(await registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
