import { Router, type RequestHandler } from 'express';
import { callsParkedNow, outboxDepth, registry, sessionsStored, storeSizeBytes } from '../metrics';
import type { StoreProbe } from '../store/types';
import { describeBudget } from '../salesforce/budget';
import type { SalesforcePort } from '../salesforce/port';

/**
 * GET /healthz (store ping + a cheap org request, its answer cached for 15 s because every org
 * request counts against the org's daily API limit, and the daily request budget) and GET /metrics
 * (Prometheus text).
 */
export interface HealthDeps {
  store: StoreProbe;
  salesforce: SalesforcePort;
  /** Per-check budget; a check slower than this counts as failed. */
  timeoutMs?: number;
  /** The org check's answer is reused this long: probes every few seconds must not eat API calls. */
  orgCacheMs?: number;
  /** The store write probe's answer is reused this long: a /healthz flood writes once per period. */
  storeProbeCacheMs?: number;
  /** The store-size gauge is measured at most this often. */
  storeSizeCacheMs?: number;
  now?: () => number;
  /** Who may read /metrics (access.ts requireMetricsToken); absent = anyone. */
  metricsGuard?: RequestHandler;
  /** Calls parked in the outbox now (calls/parking.ts), for the `call_touchpoints_calls_parked` gauge. */
  parkedCalls?: () => Promise<number>;
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
    // Duck-typed: errors from native code (better-sqlite3) can come from another realm.
    const message = (err as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : String(err);
  }
}

/** `work`'s promise, shared by every caller for `ms` after it started. */
function cached<T>(ms: number, now: () => number, work: () => Promise<T>): () => Promise<T> {
  let last: { at: number; result: Promise<T> } | null = null;
  return () => {
    if (!last || now() - last.at >= ms) {
      const result = work();
      result.catch(() => undefined);
      last = { at: now(), result };
    }
    return last.result;
  };
}

export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  const ms = deps.timeoutMs ?? 3000;
  const cacheMs = deps.orgCacheMs ?? 15_000;
  const now = deps.now ?? Date.now;
  // /limits is the cheapest authenticated call; it proves the session is valid, too. One attempt:
  // retries would outlive the timeout (and a shutdown).
  const org = deps.salesforce.for('health', { maxAttempts: 1 });
  const checkOrg = cached(cacheMs, now, () => check('org', ms, () => org.limits()));

  // The store check writes a probe row and reads it back (Store.probeWrite): a full disk or a
  // damaged file fails it, where a read-only ping would still pass.
  const probe = cached(deps.storeProbeCacheMs ?? 3000, now, () =>
    check('store', ms, () => deps.store.probeWrite()),
  );
  const size = cached(deps.storeSizeCacheMs ?? 60_000, now, async () => {
    storeSizeBytes.set(await deps.store.sizeBytes());
  });

  router.get('/healthz', async (_req, res) => {
    const [storeError, orgError] = await Promise.all([probe(), checkOrg()]);
    const budget = deps.salesforce.budget();
    const failed = [storeError ? 'store' : null, orgError ? 'org' : null].filter(
      (x): x is string => x !== null,
    );
    const body = {
      status: failed.length ? 'unavailable' : 'ok',
      ...(failed.length ? { failed } : {}),
      store: storeError ? `failing (${storeError})` : `ok (${deps.store.kind})`,
      org: orgError ? `unreachable: ${orgError}` : 'ok',
      ...(deps.taskDiscovery ? { taskDiscovery: deps.taskDiscovery() } : {}),
      // Informational: a spent budget defers work that can wait, it does not make us unhealthy.
      budget: { ...budget, summary: describeBudget(budget) },
    };
    res
      .status(failed.length ? 503 : 200)
      .set('cache-control', 'no-store')
      .json(body);
  });

  router.get('/metrics', deps.metricsGuard ?? ((_req, _res, next) => next()), async (_req, res, next) => {
    try {
      // Gauges read from the store at scrape time; a failing read (a damaged or full store) leaves
      // that gauge at its previous value and the rest is still reported. Sessions are the stored
      // rows (one COUNT, no sessionizing): pending events show up after the next background pass.
      const [sessions, depth, , parked] = await Promise.allSettled([
        deps.store.storedSessions(),
        deps.store.outboxDepth(),
        size(),
        deps.parkedCalls?.() ?? Promise.resolve(0),
      ]);
      if (sessions.status === 'fulfilled') sessionsStored.set(sessions.value);
      if (depth.status === 'fulfilled') outboxDepth.set(depth.value);
      if (parked.status === 'fulfilled') callsParkedNow.set(parked.value);
      res.set('content-type', registry.contentType).send(await registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
