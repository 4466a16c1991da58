"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_JOIN_INTERVAL_MS = void 0;
exports.startServer = startServer;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_path_1 = __importDefault(require("node:path"));
const default_channels_1 = require("../domain/default-channels");
const log_1 = require("../log");
const localorg_1 = require("../localorg");
const connection_1 = require("../salesforce/connection");
const deploy_1 = require("../salesforce/deploy");
const gateway_1 = require("../salesforce/gateway");
const join_runner_1 = require("../salesforce/join-runner");
const store_1 = require("../store");
const outbox_worker_1 = require("../vendors/outbox-worker");
const app_1 = require("./app");
exports.DEFAULT_JOIN_INTERVAL_MS = 5000;
async function startServer(config, opts = {}) {
    const logger = opts.logger ?? (0, log_1.createLogger)();
    const rules = opts.rules ?? (0, default_channels_1.defaultChannelRules)();
    const cleanups = [];
    const cleanup = async () => {
        for (const fn of cleanups.reverse())
            await fn().catch((err) => logger.error({ err: String(err) }, 'shutdown step failed'));
        cleanups.length = 0;
    };
    try {
        const store = await (0, store_1.createStore)({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
        cleanups.push(() => store.close());
        // The org: a configured one, or the embedded local org.
        const local = !(0, connection_1.hasOrgConfig)(config, opts.targetOrg);
        let effective = config;
        let demoCallRailKey = null;
        let localOrg = null;
        if (local) {
            localOrg = await (0, localorg_1.startLocalOrg)({ port: 0, dataDir: node_path_1.default.join(config.dataDir, 'local-org'), preload: false });
            const started = localOrg;
            cleanups.push(() => started.close());
            demoCallRailKey = config.vendorSecrets.callrailSigningKey ?? node_crypto_1.default.randomBytes(24).toString('base64url');
            effective = {
                ...config,
                salesforce: { ...config.salesforce, instanceUrl: localOrg.instanceUrl, accessToken: localOrg.accessToken },
                vendorSecrets: { ...config.vendorSecrets, callrailSigningKey: demoCallRailKey },
            };
        }
        const org = await (0, connection_1.connect)(effective, { targetOrg: opts.targetOrg, logger });
        const gateway = new gateway_1.Gateway(org, { logger });
        let metadataLine;
        if (local) {
            const result = await (0, deploy_1.deploy)(gateway, { bizibleIdField: config.bizibleIdField });
            metadataLine = result.upToDate ? 'metadata: up to date' : `metadata: deployed (${result.components.filter((c) => c.status === 'created' || c.status === 'updated').length} components)`;
        }
        else {
            const result = await (0, deploy_1.deploy)(gateway, { check: true, bizibleIdField: config.bizibleIdField });
            const missing = result.components.filter((c) => c.status === 'missing' || c.status === 'different');
            metadataLine = missing.length
                ? `metadata: ${missing.length} component(s) missing or different — run \`call-touchpoints deploy\``
                : 'metadata: up to date';
        }
        const join = (0, join_runner_1.startJoinWatch)({ gateway, store, rules, bizibleIdField: config.bizibleIdField, logger: logger.child({ area: 'join' }) }, {
            intervalMs: opts.joinIntervalMs ?? exports.DEFAULT_JOIN_INTERVAL_MS,
            onError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'join run failed; retrying on the next tick'),
        });
        cleanups.push(() => join.stop());
        const worker = (0, outbox_worker_1.startCallOutboxWorker)({
            store,
            getConnection: async () => org.conn,
            logger: logger.child({ area: 'outbox' }),
            bizibleIdField: config.bizibleIdField,
            ownerId: process.env.CALL_TASK_OWNER_ID?.trim() || null,
            // A new Task is joined at once instead of waiting for the next poll (issue 6).
            onTaskWritten: () => void join.trigger().catch(() => undefined),
        });
        cleanups.push(() => worker.stop());
        let baseUrl = '';
        const app = (0, app_1.createApp)({
            config: effective,
            store,
            logger,
            rules,
            getConnection: async () => org.conn,
            recordUrl: local ? () => null : (id) => `${org.instanceUrl}/${encodeURIComponent(id)}`,
            simulateCall: demoCallRailKey
                ? { callrailSigningKey: demoCallRailKey, webhookUrl: () => `${baseUrl}/webhooks/callrail` }
                : null,
            onCallEnqueued: () => worker.kick(),
        });
        const host = opts.host ?? (local ? '127.0.0.1' : '0.0.0.0');
        const server = await new Promise((resolve, reject) => {
            const s = app.listen(opts.port ?? config.port, host, () => resolve(s));
            s.once('error', reject);
        });
        server.keepAliveTimeout = 5000;
        const port = server.address().port;
        const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
        baseUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
        const publicUrl = `http://${shownHost}:${port}`;
        // First step of shutdown: stop accepting, let in-flight requests finish (bounded).
        cleanups.push(() => closeServer(server));
        const summary = [
            `call-touchpoints serve — listening on ${publicUrl}`,
            `org:   ${local ? `embedded local org ${org.instanceUrl} (no Salesforce org configured; data in ${node_path_1.default.join(config.dataDir, 'local-org')})` : org.describe()}`,
            `       ${metadataLine}`,
            `store: ${store.kind === 'sqlite' ? `SQLite ${store.description}` : `PostgreSQL ${store.description}`}`,
            `join:  watching for call Tasks every ${Math.round((opts.joinIntervalMs ?? exports.DEFAULT_JOIN_INTERVAL_MS) / 1000)} s, and at once when a webhook creates a Task`,
            '',
            `  demo site        ${publicUrl}/demo/${local ? '   (with the local-only "simulate a call" helper)' : ''}`,
            `  recent calls     ${publicUrl}/tasks`,
            `  report           ${publicUrl}/reports/calls-by-channel`,
            `  health           ${publicUrl}/healthz`,
            `  metrics          ${publicUrl}/metrics`,
            `  snippet          ${publicUrl}/t.js     events: POST ${publicUrl}/collect`,
            `  admin API        ${publicUrl}/api/visitors/:id/sessions ${config.adminToken ? '(bearer ADMIN_TOKEN)' : '(disabled: set ADMIN_TOKEN)'}`,
            `  webhooks         POST ${publicUrl}/webhooks/{callrail,calltrackingmetrics,invoca,dialogtech,generic}`,
        ];
        if (local)
            summary.push('', `  CallRail webhooks are signed with ${config.vendorSecrets.callrailSigningKey ? 'CALLRAIL_SIGNING_KEY' : 'a per-process demo key (set CALLRAIL_SIGNING_KEY to use your own)'}.`);
        let closing = null;
        return {
            url: baseUrl,
            port,
            org,
            orgMode: local ? 'local' : 'remote',
            localOrg,
            store,
            join,
            demoCallRailKey,
            summary,
            close: () => (closing ??= cleanup()),
        };
    }
    catch (err) {
        await cleanup();
        throw err;
    }
}
/** Stops accepting connections, waits up to 5 s for open requests, then drops idle keep-alives. */
function closeServer(server) {
    return new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
            clearTimeout(force);
            resolve();
        });
        server.closeIdleConnections();
    });
}
//# sourceMappingURL=start.js.map