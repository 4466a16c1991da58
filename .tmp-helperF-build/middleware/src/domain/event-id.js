"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.eventIdFor = eventIdFor;
exports.sessionKeyFor = sessionKeyFor;
const node_crypto_1 = require("node:crypto");
/**
 * Deterministic id for an event the client sent without one: a hash of its content, so a retried
 * delivery of the same event is recognised as a duplicate (idempotent ingest, R11).
 */
function eventIdFor(e) {
    const content = JSON.stringify([
        e.type,
        e.visitorId,
        e.url,
        e.referrer ?? null,
        e.receivedAt,
        e.clientTime ?? null,
        e.email ?? null,
    ]);
    return (0, node_crypto_1.createHash)('sha256').update(content).digest('hex').slice(0, 32);
}
/** Deterministic Web_Session__c.Session_Key__c from the visitor and the session's first event. */
function sessionKeyFor(visitorId, firstEventId) {
    return 'ws_' + (0, node_crypto_1.createHash)('sha256').update(`${visitorId}\u0001${firstEventId}`).digest('hex').slice(0, 32);
}
//# sourceMappingURL=event-id.js.map