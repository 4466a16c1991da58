import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric the middleware exposes on GET /metrics, in one place so names stay
 * consistent. Modules import the metric they increment; composition (server) owns the registry.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'call_touchpoints_' });

export const eventsCollected = new Counter({
  name: 'call_touchpoints_events_collected_total',
  help: 'Tracking events accepted by POST /collect, by type',
  labelNames: ['type'] as const,
  registers: [registry],
});
export const eventsRejected = new Counter({
  name: 'call_touchpoints_events_rejected_total',
  help: 'Tracking events rejected by POST /collect, by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});
export const botsDropped = new Counter({
  name: 'call_touchpoints_bot_requests_dropped_total',
  help: 'POST /collect requests dropped because the user agent is a bot',
  registers: [registry],
});
export const sessionsStored = new Gauge({
  name: 'call_touchpoints_sessions',
  help: 'Web sessions stored (set when /metrics is scraped; pending events count after the next background sessionizer pass)',
  registers: [registry],
});
export const callsReceived = new Counter({
  name: 'call_touchpoints_calls_received_total',
  help: 'Vendor webhook deliveries accepted, by vendor',
  labelNames: ['vendor'] as const,
  registers: [registry],
});
export const webhooksRejected = new Counter({
  name: 'call_touchpoints_webhooks_rejected_total',
  help: 'Vendor webhook deliveries rejected, by vendor and reason (signature, payload)',
  labelNames: ['vendor', 'reason'] as const,
  registers: [registry],
});
export const joinOutcomes = new Counter({
  name: 'call_touchpoints_join_outcomes_total',
  help: 'Task join outcomes written, by status (Merged, Standalone, Missing BizibleId)',
  labelNames: ['status'] as const,
  registers: [registry],
});
export const salesforceRequests = new Counter({
  name: 'call_touchpoints_salesforce_requests_total',
  help: 'Salesforce API requests made by the middleware, by kind (query, composite, metadata, sobject) and purpose (calls, join, pages, health, deploy)',
  labelNames: ['kind', 'purpose'] as const,
  registers: [registry],
});
export const salesforceErrors = new Counter({
  name: 'call_touchpoints_salesforce_errors_total',
  help: 'Salesforce API errors, by error code',
  labelNames: ['code'] as const,
  registers: [registry],
});
export const outboxDepth = new Gauge({
  name: 'call_touchpoints_outbox_depth',
  help: 'Calls waiting in the durable outbox for Salesforce (set when /metrics is scraped)',
  registers: [registry],
});
export const callBatchSize = new Histogram({
  name: 'call_touchpoints_call_batch_calls',
  help: 'Calls per batch written by the calls pipeline (two org requests per batch)',
  buckets: [1, 2, 5, 10, 20, 50, 100],
  registers: [registry],
});
export const callOutcomes = new Counter({
  name: 'call_touchpoints_calls_written_total',
  help: 'Calls the pipeline finished, by how: batch (with its batch), alone (its batch graph failed, written on its own), stale (behind the Task, not written)',
  labelNames: ['how'] as const,
  registers: [registry],
});
export const callsParked = new Counter({
  name: 'call_touchpoints_calls_parked_total',
  help: 'Calls set aside after the org refused them for their content (calls/parking.ts); see `call-touchpoints outbox list`',
  registers: [registry],
});
export const callsParkedNow = new Gauge({
  name: 'call_touchpoints_calls_parked',
  help: 'Calls parked in the outbox now, waiting for a person to retry or discard them (`call-touchpoints outbox`)',
  registers: [registry],
});
export const httpDuration = new Histogram({
  name: 'call_touchpoints_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

// --- Web tracking (docs/tracking.md): /collect outcomes beyond eventsCollected/Rejected/botsDropped ---
export const trackingOptOutDropped = new Counter({
  name: 'call_touchpoints_tracking_opt_out_dropped_total',
  help: 'POST /collect requests dropped because the browser sent an opt-out signal (Sec-GPC: 1 or DNT: 1)',
  registers: [registry],
});
export const collectRateLimited = new Counter({
  name: 'call_touchpoints_collect_rate_limited_total',
  help: 'POST /collect requests answered 429 by the per-IP rate limit',
  registers: [registry],
});

// --- Failed authentication rate limit (server/auth-limit.ts, docs/security.md) ---
export const authRateLimited = new Counter({
  name: 'call_touchpoints_auth_rate_limited_total',
  help: 'Requests to /webhooks/* or /api/* answered 429 because their address failed authentication too often',
  registers: [registry],
});
// --- Storage bounds (docs/operations.md): retention, the per-visitor daily cap, the store's size ---
export const eventsDropped = new Counter({
  name: 'call_touchpoints_events_dropped_total',
  help: 'Tracking events POST /collect answered 204 but did not store, by reason (visitor_daily_cap)',
  labelNames: ['reason'] as const,
  registers: [registry],
});
export const retentionDeleted = new Counter({
  name: 'call_touchpoints_retention_deleted_total',
  help: 'Rows retention removed: events deleted, sessions deleted, sessions sealed (kept as a summary), join ledger Task entries (ledger_tasks)',
  labelNames: ['kind'] as const,
  registers: [registry],
});
export const storeSizeBytes = new Gauge({
  name: 'call_touchpoints_store_size_bytes',
  help: 'Bytes the store takes on disk (SQLite file + WAL; PostgreSQL: our tables), measured at most once a minute',
  registers: [registry],
});
// --- Task discovery by Change Data Capture (docs/salesforce.md) ---
export const cdcEvents = new Counter({
  name: 'call_touchpoints_cdc_events_total',
  help: 'TaskChangeEvents received, by outcome (join, ignore, deleted, catch-up, unknown, malformed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
export const cdcStreamErrors = new Counter({
  name: 'call_touchpoints_cdc_stream_errors_total',
  help: 'Pub/Sub subscription failures, by reason (auth, replay-expired, stalled, closed, unavailable, not-selected)',
  labelNames: ['reason'] as const,
  registers: [registry],
});
export const taskDiscoveryMode = new Gauge({
  name: 'call_touchpoints_task_discovery_cdc',
  help: '1 while Tasks are discovered by Change Data Capture, 0 while the join polls for them',
  registers: [registry],
});
