"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isOrgUnavailable = isOrgUnavailable;
exports.backoffDelay = backoffDelay;
exports.startCallOutboxWorker = startCallOutboxWorker;
const gateway_1 = require("../salesforce/gateway");
const tasks_1 = require("../salesforce/tasks");
const normalized_call_1 = require("./normalized-call");
/**
 * Errors that say the org itself is unreachable or failing (not this record): the rest of the batch
 * is rescheduled without trying, since jsforce already spent its own retries on this one.
 */
function isOrgUnavailable(err) {
    const code = (0, gateway_1.errorCode)(err);
    return (/^(ECONN|ENOTFOUND|ENET|EHOST|ETIMEDOUT|EPIPE|UND_ERR)/.test(code) ||
        /^ERROR_HTTP_5\d\d$/.test(code) ||
        ['SERVER_UNAVAILABLE', 'REQUEST_LIMIT_EXCEEDED', 'INVALID_SESSION_ID'].includes(code) ||
        err?.name === 'FetchError');
}
/** Delay before attempt n+1: base·2^n capped at max, "equal jitter" (half fixed, half random). */
function backoffDelay(attempts, baseMs, maxMs, random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
function startCallOutboxWorker(opts) {
    const log = opts.logger.child({ area: 'call-outbox' });
    const now = opts.now ?? Date.now;
    const random = opts.random ?? Math.random;
    const batchSize = opts.batchSize ?? 25;
    const baseMs = opts.backoff?.baseMs ?? 2_000;
    const maxMs = opts.backoff?.maxMs ?? 10 * 60_000;
    const bizibleIdField = opts.bizibleIdField ?? 'BizibleId__c';
    let running = null;
    let again = false;
    let stopped = false;
    async function handle(item, conn) {
        let parsed;
        try {
            parsed = normalized_call_1.normalizedCallSchema.safeParse(JSON.parse(item.payload));
        }
        catch {
            parsed = null;
        }
        if (!parsed?.success) {
            // Written by an incompatible version or corrupted: it can never succeed, so it must not block.
            log.error({ key: item.key, outboxId: item.id }, 'outbox item is not a valid call: dropped');
            await opts.store.complete(item.id);
            return;
        }
        const call = parsed.data;
        const result = await (0, tasks_1.upsertCallTask)(conn, call, {
            bizibleIdField,
            ownerId: opts.ownerId ?? null,
            logger: log,
        });
        await opts.store.complete(item.id);
        log.info({
            vendorCallId: call.vendorCallId,
            taskId: result.taskId,
            created: result.created,
            whoId: result.whoId,
        }, result.created ? 'call Task created' : 'call Task updated');
        try {
            await opts.onTaskWritten?.(result.taskId);
        }
        catch (err) {
            log.warn({ taskId: result.taskId, err: err.message }, 'onTaskWritten failed (the join poll will catch up)');
        }
    }
    async function reschedule(item, err) {
        const message = err instanceof Error ? err.message : String(err);
        const delay = backoffDelay(item.attempts, baseMs, maxMs, random);
        log.warn({ key: item.key, attempts: item.attempts + 1, retryInMs: delay, err: message }, 'call Task write failed: will retry');
        await opts.store.retryLater(item.id, message.slice(0, 1000), now() + delay);
    }
    async function processDue() {
        const items = await opts.store.due(normalized_call_1.CALL_OUTBOX_KIND, now(), batchSize);
        if (items.length === 0)
            return;
        let conn;
        try {
            conn = await opts.getConnection();
        }
        catch (err) {
            for (const item of items)
                await reschedule(item, err);
            return;
        }
        for (let i = 0; i < items.length; i++) {
            if (stopped)
                return;
            try {
                await handle(items[i], conn);
            }
            catch (err) {
                if (isOrgUnavailable(err)) {
                    for (const item of items.slice(i))
                        await reschedule(item, err);
                    return;
                }
                await reschedule(items[i], err);
            }
        }
        // A full batch means there may be more due right away.
        if (items.length === batchSize)
            again = true;
    }
    async function loop() {
        do {
            again = false;
            try {
                await processDue();
            }
            catch (err) {
                log.error({ err: err.message }, 'call outbox pass failed');
            }
        } while (again && !stopped);
    }
    function kick() {
        if (stopped)
            return;
        if (running) {
            again = true;
            return;
        }
        running = loop().finally(() => {
            running = null;
        });
    }
    const timer = setInterval(kick, opts.pollMs ?? 5_000);
    timer.unref();
    kick();
    return {
        kick,
        async drain() {
            for (;;) {
                if (running) {
                    await running;
                    continue;
                }
                if (stopped)
                    return;
                const due = await opts.store.due(normalized_call_1.CALL_OUTBOX_KIND, now(), 1);
                if (due.length === 0)
                    return;
                kick();
            }
        },
        async stop() {
            stopped = true;
            clearInterval(timer);
            if (running)
                await running;
        },
    };
}
//# sourceMappingURL=outbox-worker.js.map