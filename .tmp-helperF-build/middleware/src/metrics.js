"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.collectRateLimited = exports.trackingOptOutDropped = exports.httpDuration = exports.outboxDepth = exports.salesforceErrors = exports.salesforceRequests = exports.joinOutcomes = exports.webhooksRejected = exports.callsReceived = exports.sessionsStored = exports.botsDropped = exports.eventsRejected = exports.eventsCollected = exports.registry = void 0;
const prom_client_1 = require("prom-client");
/**
 * Every Prometheus metric the middleware exposes on GET /metrics, in one place so names stay
 * consistent. Modules import the metric they increment; composition (server) owns the registry.
 */
exports.registry = new prom_client_1.Registry();
(0, prom_client_1.collectDefaultMetrics)({ register: exports.registry, prefix: 'call_touchpoints_' });
exports.eventsCollected = new prom_client_1.Counter({
    name: 'call_touchpoints_events_collected_total',
    help: 'Tracking events accepted by POST /collect, by type',
    labelNames: ['type'],
    registers: [exports.registry],
});
exports.eventsRejected = new prom_client_1.Counter({
    name: 'call_touchpoints_events_rejected_total',
    help: 'Tracking events rejected by POST /collect, by reason',
    labelNames: ['reason'],
    registers: [exports.registry],
});
exports.botsDropped = new prom_client_1.Counter({
    name: 'call_touchpoints_bot_requests_dropped_total',
    help: 'POST /collect requests dropped because the user agent is a bot',
    registers: [exports.registry],
});
exports.sessionsStored = new prom_client_1.Gauge({
    name: 'call_touchpoints_sessions',
    help: 'Web sessions in the store (set when /metrics is scraped)',
    registers: [exports.registry],
});
exports.callsReceived = new prom_client_1.Counter({
    name: 'call_touchpoints_calls_received_total',
    help: 'Vendor webhook deliveries accepted, by vendor',
    labelNames: ['vendor'],
    registers: [exports.registry],
});
exports.webhooksRejected = new prom_client_1.Counter({
    name: 'call_touchpoints_webhooks_rejected_total',
    help: 'Vendor webhook deliveries rejected, by vendor and reason (signature, payload)',
    labelNames: ['vendor', 'reason'],
    registers: [exports.registry],
});
exports.joinOutcomes = new prom_client_1.Counter({
    name: 'call_touchpoints_join_outcomes_total',
    help: 'Task join outcomes written, by status (Merged, Standalone, Missing BizibleId)',
    labelNames: ['status'],
    registers: [exports.registry],
});
exports.salesforceRequests = new prom_client_1.Counter({
    name: 'call_touchpoints_salesforce_requests_total',
    help: 'Salesforce API requests made by the middleware, by kind (query, collections, metadata, sobject)',
    labelNames: ['kind'],
    registers: [exports.registry],
});
exports.salesforceErrors = new prom_client_1.Counter({
    name: 'call_touchpoints_salesforce_errors_total',
    help: 'Salesforce API errors, by error code',
    labelNames: ['code'],
    registers: [exports.registry],
});
exports.outboxDepth = new prom_client_1.Gauge({
    name: 'call_touchpoints_outbox_depth',
    help: 'Calls waiting in the durable outbox for Salesforce (set when /metrics is scraped)',
    registers: [exports.registry],
});
exports.httpDuration = new prom_client_1.Histogram({
    name: 'call_touchpoints_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [exports.registry],
});
// --- Web tracking (issue 5): /collect outcomes beyond eventsCollected/eventsRejected/botsDropped ---
exports.trackingOptOutDropped = new prom_client_1.Counter({
    name: 'call_touchpoints_tracking_opt_out_dropped_total',
    help: 'POST /collect requests dropped because the browser sent an opt-out signal (Sec-GPC: 1 or DNT: 1)',
    registers: [exports.registry],
});
exports.collectRateLimited = new prom_client_1.Counter({
    name: 'call_touchpoints_collect_rate_limited_total',
    help: 'POST /collect requests answered 429 by the per-IP rate limit',
    registers: [exports.registry],
});
//# sourceMappingURL=metrics.js.map