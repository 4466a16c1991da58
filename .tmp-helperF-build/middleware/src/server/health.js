"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createHealthRouter = createHealthRouter;
const express_1 = require("express");
const metrics_1 = require("../metrics");
const connection_1 = require("../salesforce/connection");
function withTimeout(what, ms, work) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
        work().then((v) => {
            clearTimeout(timer);
            resolve(v);
        }, (err) => {
            clearTimeout(timer);
            reject(err);
        });
    });
}
async function check(what, ms, work) {
    try {
        await withTimeout(what, ms, work);
        return null;
    }
    catch (err) {
        // Error messages of the store and jsforce carry no secrets (no URLs with credentials, no tokens).
        return err instanceof Error ? err.message : String(err);
    }
}
function createHealthRouter(deps) {
    const router = (0, express_1.Router)();
    const ms = deps.timeoutMs ?? 3000;
    router.get('/healthz', async (_req, res) => {
        const [storeError, orgError] = await Promise.all([
            check('store', ms, () => deps.store.ping()),
            // /limits is the cheapest authenticated call; it proves the session is valid, too.
            check('org', ms, async () => (await deps.getConnection()).request(`/services/data/v${connection_1.API_VERSION}/limits`)),
        ]);
        const failed = [storeError ? 'store' : null, orgError ? 'org' : null].filter((x) => x !== null);
        const body = {
            status: failed.length ? 'unavailable' : 'ok',
            ...(failed.length ? { failed } : {}),
            store: storeError ? `unreachable: ${storeError}` : `ok (${deps.store.kind})`,
            org: orgError ? `unreachable: ${orgError}` : 'ok',
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
            metrics_1.sessionsStored.set(sessions);
            metrics_1.outboxDepth.set(depth);
            res.set('content-type', metrics_1.registry.contentType).send(await metrics_1.registry.metrics());
        }
        catch (err) {
            next(err);
        }
    });
    return router;
}
//# sourceMappingURL=health.js.map