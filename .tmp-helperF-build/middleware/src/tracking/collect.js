"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readBody = void 0;
exports.sendsOptOut = sendsOptOut;
exports.collectRateLimit = collectRateLimit;
exports.collectHandler = collectHandler;
exports.collectGate = collectGate;
exports.collectErrors = collectErrors;
const express_1 = __importDefault(require("express"));
const express_rate_limit_1 = require("express-rate-limit");
const isbot_1 = require("isbot");
const metrics_1 = require("../metrics");
const cookie_1 = require("./cookie");
const validate_1 = require("./validate");
/** sendBeacon with a string body sends text/plain; fetch from the snippet does too (no preflight). */
const ACCEPTED_TYPES = ['application/json', 'application/*+json', 'text/plain'];
/** `Sec-GPC: 1` (Global Privacy Control) or `DNT: 1`: the browser asks not to be tracked. */
function sendsOptOut(req) {
    return req.get('sec-gpc') === '1' || req.get('dnt') === '1';
}
/** Per-IP limit on /collect. The IP is used as an in-memory key only; it is never stored. */
function collectRateLimit(perMinute) {
    return (0, express_rate_limit_1.rateLimit)({
        windowMs: 60_000,
        limit: perMinute,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        handler: (_req, res) => {
            metrics_1.collectRateLimited.inc();
            res.status(429).json({ error: `too many requests: at most ${perMinute} per minute per client` });
        },
    });
}
/** Reads the body as bytes (limit 64 KB, gzip/deflate allowed); parsing is ours, for precise 4xx. */
exports.readBody = express_1.default.raw({ type: () => true, limit: validate_1.MAX_BODY_BYTES });
function collectHandler(deps) {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    return async (req, res) => {
        const receivedAt = Date.now();
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
            metrics_1.eventsRejected.inc({ reason: 'empty_body' });
            res.status(400).json({ error: 'empty body: send {"events": [...]} as JSON' });
            return;
        }
        let body;
        try {
            body = JSON.parse(utf8.decode(req.body));
        }
        catch (err) {
            metrics_1.eventsRejected.inc({ reason: 'invalid_json' });
            res
                .status(400)
                .json({ error: `body is not valid UTF-8 JSON: ${err.message.slice(0, 200)}` });
            return;
        }
        const batch = (0, validate_1.validateBatch)(body, receivedAt);
        if (!batch.ok) {
            metrics_1.eventsRejected.inc({ reason: 'invalid_batch' });
            res.status(400).json({ error: batch.error });
            return;
        }
        if (batch.events.length > 0) {
            await deps.store.appendEvents(batch.events);
            for (const e of batch.events)
                metrics_1.eventsCollected.inc({ type: e.type });
            (0, cookie_1.setVisitorCookie)(req, res, batch.events[0].visitorId);
        }
        if (batch.rejected.length > 0) {
            metrics_1.eventsRejected.inc({ reason: 'invalid_event' }, batch.rejected.length);
            res.status(400).json({ accepted: batch.events.length, rejected: batch.rejected });
            return;
        }
        res.status(204).end();
    };
}
/** Gate before the body is read: bots and opt-out browsers are answered 204 and dropped. */
function collectGate(config) {
    return (req, res, next) => {
        if ((0, isbot_1.isbot)(req.get('user-agent') ?? '')) {
            metrics_1.botsDropped.inc();
            res.status(204).end();
            return;
        }
        if (config.tracking.honorOptOut && sendsOptOut(req)) {
            metrics_1.trackingOptOutDropped.inc();
            res.status(204).end();
            return;
        }
        if (!req.is(ACCEPTED_TYPES)) {
            const type = req.get('content-type');
            metrics_1.eventsRejected.inc({ reason: 'content_type' });
            res.status(415).json({
                error: `Content-Type ${type ? `"${type}"` : '(none)'} is not accepted: send application/json or text/plain`,
            });
            return;
        }
        next();
    };
}
/** Body-reader and handler errors of /collect as 4xx with a reason; anything else is a 503. */
function collectErrors(logger) {
    return (err, _req, res, next) => {
        if (res.headersSent)
            return next(err);
        const e = err;
        if (e.type === 'entity.too.large') {
            metrics_1.eventsRejected.inc({ reason: 'too_large' });
            res
                .status(413)
                .json({ error: `body is larger than ${validate_1.MAX_BODY_BYTES} bytes: send fewer events per request` });
            return;
        }
        if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
            metrics_1.eventsRejected.inc({ reason: 'bad_request' });
            res.status(e.status).json({ error: e.message ?? 'bad request' });
            return;
        }
        logger.error({ err }, 'POST /collect failed');
        res.status(503).json({ error: 'events could not be stored right now; the client may retry' });
    };
}
//# sourceMappingURL=collect.js.map