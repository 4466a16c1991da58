"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.collectEventSchema = exports.MAX_EVENTS_PER_BATCH = exports.MAX_BODY_BYTES = void 0;
exports.validateBatch = validateBatch;
const zod_1 = require("zod");
const domain_1 = require("../domain");
const cookie_1 = require("./cookie");
/** Limits of one /collect body (the byte limit itself is enforced by the body reader). */
exports.MAX_BODY_BYTES = 64 * 1024;
exports.MAX_EVENTS_PER_BATCH = 200;
const MAX_URL = 4096;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
function isHttpUrl(v) {
    try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
    }
    catch {
        return false;
    }
}
function isUrl(v) {
    try {
        new URL(v);
        return true;
    }
    catch {
        return false;
    }
}
/** One event as the snippet (or any client) sends it. Unknown keys are ignored. */
exports.collectEventSchema = zod_1.z.object({
    type: zod_1.z.enum(['page_view', 'form_submit']),
    visitorId: zod_1.z.string().regex(cookie_1.VISITOR_ID, 'must be the _biz_uid value: 32 lowercase hex characters'),
    url: zod_1.z.string().max(MAX_URL).refine(isHttpUrl, 'must be an absolute http(s) URL'),
    referrer: zod_1.z
        .string()
        .max(MAX_URL)
        .refine((v) => v === '' || isUrl(v), 'must be a URL or empty')
        .nullish(),
    clientTime: zod_1.z.number().int().nonnegative().nullish(),
    email: zod_1.z.string().max(320).nullish(),
    eventId: zod_1.z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -')
        .optional(),
});
/**
 * Validates a parsed /collect body `{ "events": [...] }`. Each event is checked on its own: good
 * events are returned (stamped with the server's receive time, R4) even when others are bad.
 * A client time further from receipt than the sessionizer's skew is dropped, the event kept.
 * An email that does not look like one is dropped, the form submit kept.
 */
function validateBatch(body, receivedAt) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return { ok: false, error: 'body must be a JSON object {"events": [...]}' };
    }
    const list = body.events;
    if (!Array.isArray(list))
        return { ok: false, error: '"events" must be an array of events' };
    if (list.length === 0)
        return { ok: false, error: '"events" is empty: send at least one event' };
    if (list.length > exports.MAX_EVENTS_PER_BATCH) {
        return {
            ok: false,
            error: `"events" holds ${list.length} events; send at most ${exports.MAX_EVENTS_PER_BATCH} per request`,
        };
    }
    const events = [];
    const rejected = [];
    list.forEach((raw, index) => {
        const parsed = exports.collectEventSchema.safeParse(raw);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            rejected.push({
                index,
                field: issue.path.length ? issue.path.join('.') : '(event)',
                reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; '),
            });
            return;
        }
        const e = parsed.data;
        const clientTime = e.clientTime != null &&
            (0, domain_1.eventTime)({ receivedAt, clientTime: e.clientTime }, domain_1.DEFAULT_SESSIONIZE_OPTIONS.clientSkewMs) === e.clientTime
            ? e.clientTime
            : null;
        const event = {
            type: e.type,
            visitorId: e.visitorId,
            url: e.url,
            referrer: e.referrer ? e.referrer : null,
            receivedAt,
            clientTime,
            email: e.type === 'form_submit' && e.email && EMAIL.test(e.email.trim()) ? e.email.trim() : null,
        };
        events.push({ ...event, eventId: e.eventId ?? (0, domain_1.eventIdFor)(event) });
    });
    return { ok: true, events, rejected };
}
//# sourceMappingURL=validate.js.map