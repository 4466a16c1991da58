"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.eventFromRow = eventFromRow;
exports.eventValues = eventValues;
exports.sessionFromBody = sessionFromBody;
exports.outboxFromRow = outboxFromRow;
/** Row ↔ shape mapping shared by both dialects (PostgreSQL BIGINTs arrive as strings). */
const num = (v) => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v) => (v === null || v === undefined ? null : num(v));
function eventFromRow(r) {
    return {
        eventId: r.event_id,
        type: r.type,
        visitorId: r.visitor_id,
        url: r.url,
        referrer: r.referrer,
        receivedAt: num(r.received_at),
        clientTime: numOrNull(r.client_time),
        email: r.email,
    };
}
/** Column values in the order of the INSERT statements. */
function eventValues(e) {
    return [
        e.eventId,
        e.visitorId,
        e.type,
        e.url,
        e.referrer ?? null,
        e.receivedAt,
        e.clientTime ?? null,
        e.email ?? null,
    ];
}
function sessionFromBody(body) {
    return JSON.parse(body);
}
function outboxFromRow(r) {
    return {
        id: num(r.id),
        kind: r.kind,
        key: r.key,
        payload: r.payload,
        attempts: num(r.attempts),
        nextAttemptAt: num(r.next_attempt_at),
        lastError: r.last_error,
        createdAt: num(r.created_at),
    };
}
//# sourceMappingURL=rows.js.map