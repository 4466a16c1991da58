"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sharedToken = sharedToken;
/** For vendors without signing: X-Webhook-Token header, or ?token= in the URL they call. */
function sharedToken(delivery) {
    return delivery.headers['x-webhook-token'] ?? delivery.query.token ?? undefined;
}
//# sourceMappingURL=adapter.js.map