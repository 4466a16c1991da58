"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ADAPTERS = exports.CALL_OUTBOX_KIND = exports.WEBHOOK_BODY_LIMIT = void 0;
exports.createWebhookRouter = createWebhookRouter;
exports.decodeFields = decodeFields;
const express_1 = __importDefault(require("express"));
const metrics_1 = require("../metrics");
const callrail_1 = require("./callrail");
const calltrackingmetrics_1 = require("./calltrackingmetrics");
const dialogtech_1 = require("./dialogtech");
const generic_1 = require("./generic");
const invoca_1 = require("./invoca");
const normalized_call_1 = require("./normalized-call");
Object.defineProperty(exports, "CALL_OUTBOX_KIND", { enumerable: true, get: function () { return normalized_call_1.CALL_OUTBOX_KIND; } });
const options_1 = require("./options");
exports.WEBHOOK_BODY_LIMIT = '256kb';
exports.ADAPTERS = {
    calltrackingmetrics: calltrackingmetrics_1.calltrackingmetrics,
    callrail: callrail_1.callrail,
    invoca: invoca_1.invoca,
    dialogtech: dialogtech_1.dialogtech,
    generic: generic_1.generic,
};
/** Vendors whose requests may be plain URLs with query parameters (DialogTech Post-Call Action, templates). */
const QUERY_VENDORS = new Set(['dialogtech', 'generic']);
/**
 * POST /webhooks/<vendor>: authenticate on the raw bytes, normalize, store in the durable outbox, then
 * answer 202. Salesforce is never called here: a vendor retries on non-2xx, so the answer depends only on
 * whether the call is safely stored.
 */
function createWebhookRouter(deps) {
    const { store, config, logger } = deps;
    const now = deps.now ?? Date.now;
    const options = deps.options ?? (0, options_1.loadVendorOptions)();
    const log = logger.child({ area: 'webhooks' });
    if (deps.allowUnsigned) {
        const open = Object.values(exports.ADAPTERS).filter((a) => !a.secret(config));
        if (open.length > 0) {
            log.warn({ vendors: open.map((a) => a.vendor) }, 'WEBHOOK AUTHENTICATION DISABLED for vendors without a secret (allowUnsigned): local demo only, never in production');
        }
    }
    const router = express_1.default.Router();
    const raw = express_1.default.raw({ type: () => true, limit: exports.WEBHOOK_BODY_LIMIT });
    const handle = async (req, res) => {
        const adapter = exports.ADAPTERS[req.params.vendor];
        if (!adapter) {
            metrics_1.webhooksRejected.inc({ vendor: 'unknown', reason: 'unknown_vendor' });
            res.status(404).json({ error: 'unknown vendor', knownVendors: Object.keys(exports.ADAPTERS) });
            return;
        }
        const vendor = adapter.vendor;
        if (req.method === 'GET' && !QUERY_VENDORS.has(vendor)) {
            res
                .set('Allow', 'POST')
                .status(405)
                .json({ error: `${vendor} webhooks are POST requests` });
            return;
        }
        const reject = (status, reason, body) => {
            metrics_1.webhooksRejected.inc({ vendor, reason });
            log.warn({ vendor, reason, status }, 'webhook rejected');
            res.status(status).json(body);
        };
        const delivery = {
            rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
            headers: lowerCaseHeaders(req),
            query: flatQuery(req.query),
            nowMs: now(),
        };
        const secret = adapter.secret(config);
        if (secret) {
            const auth = adapter.authenticate(delivery, secret, options);
            if (!auth.ok) {
                reject(401, auth.reason, { error: 'unauthorized', reason: auth.message });
                return;
            }
        }
        else if (!deps.allowUnsigned) {
            reject(401, 'secret_unset', {
                error: 'unauthorized',
                reason: `${vendor} webhooks are disabled: set ${adapter.secretEnv} to this vendor's webhook secret`,
            });
            return;
        }
        let call;
        try {
            const fields = decodeFields(delivery, req.get('content-type') ?? '', QUERY_VENDORS.has(vendor));
            const result = adapter.parse(fields, options);
            if (result.kind === 'ignored') {
                log.info({ vendor, reason: result.reason }, 'webhook delivery ignored');
                res.status(200).json({ status: 'ignored', reason: result.reason });
                return;
            }
            call = result.call;
            for (const note of result.notes)
                log.warn({ vendor, vendorCallId: call.vendorCallId }, note);
        }
        catch (err) {
            if (err instanceof normalized_call_1.PayloadError) {
                reject(400, 'payload', { error: 'invalid payload', field: err.field, message: err.message });
                return;
            }
            throw err;
        }
        try {
            await store.enqueue(normalized_call_1.CALL_OUTBOX_KIND, call.vendorCallId, JSON.stringify(call), delivery.nowMs);
        }
        catch (err) {
            // Not stored → not acknowledged: the vendor's retry is what keeps the call.
            metrics_1.webhooksRejected.inc({ vendor, reason: 'store_unavailable' });
            log.error({ vendor, vendorCallId: call.vendorCallId, err: err.message }, 'outbox write failed');
            res.status(503).json({ error: 'temporarily unable to store the call; please retry' });
            return;
        }
        metrics_1.callsReceived.inc({ vendor });
        log.info({ vendor, vendorCallId: call.vendorCallId, hasVisitorId: call.visitorId !== null }, 'call accepted into outbox');
        res.status(202).json({ status: 'accepted', vendorCallId: call.vendorCallId });
        deps.onEnqueued?.(call);
    };
    router.post('/webhooks/:vendor', raw, handle);
    router.get('/webhooks/:vendor', handle);
    router.all('/webhooks/:vendor', (req, res) => {
        if (!exports.ADAPTERS[req.params.vendor]) {
            res.status(404).json({ error: 'unknown vendor', knownVendors: Object.keys(exports.ADAPTERS) });
            return;
        }
        res.set('Allow', 'POST').status(405).json({ error: 'webhooks are POST requests' });
    });
    router.use('/webhooks', (err, _req, res, next) => {
        const e = err;
        if (e?.type === 'entity.too.large') {
            res.status(413).json({ error: `webhook body larger than ${exports.WEBHOOK_BODY_LIMIT}` });
            return;
        }
        if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
            res.status(e.status).json({ error: 'bad request body' });
            return;
        }
        next(err);
    });
    return router;
}
function lowerCaseHeaders(req) {
    const out = {};
    for (const [k, v] of Object.entries(req.headers))
        out[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
    return out;
}
function flatQuery(query) {
    const out = {};
    if (query && typeof query === 'object') {
        for (const [k, v] of Object.entries(query)) {
            const first = Array.isArray(v) ? v[0] : v;
            if (typeof first === 'string')
                out[k] = first;
        }
    }
    return out;
}
/**
 * The delivery's fields: a JSON object, or form fields ("a=1&custom_fields[_biz_uid]=…" nests one
 * level). For URL-template vendors the query parameters count too (the body wins on a clash); the
 * `token` parameter is authentication, never data.
 */
function decodeFields(delivery, contentType, includeQuery) {
    const text = delivery.rawBody.toString('utf8').trim();
    let body = {};
    if (text !== '') {
        if (/json/i.test(contentType) || text.startsWith('{') || text.startsWith('[')) {
            let parsed;
            try {
                parsed = JSON.parse(text);
            }
            catch {
                throw new normalized_call_1.PayloadError('body', 'is not valid JSON');
            }
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
                throw new normalized_call_1.PayloadError('body', 'must be a JSON object (one call per delivery)');
            }
            body = parsed;
        }
        else {
            body = formFields(new URLSearchParams(text));
        }
    }
    if (!includeQuery)
        return body;
    const query = { ...delivery.query };
    delete query.token;
    return { ...formFields(new URLSearchParams(query)), ...body };
}
function formFields(params) {
    const out = {};
    for (const [key, value] of params) {
        const nested = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
        if (nested) {
            const parent = (out[nested[1]] ??= {});
            if (typeof parent === 'object')
                parent[nested[2]] = value;
        }
        else {
            out[key] = value;
        }
    }
    return out;
}
//# sourceMappingURL=router.js.map