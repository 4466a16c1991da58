"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createApp = createApp;
const express_1 = __importDefault(require("express"));
const tracking_1 = require("../tracking");
const router_1 = require("../vendors/router");
const assets_1 = require("../web/assets");
const demo_site_1 = require("../web/demo-site");
const html_1 = require("../web/html");
const report_page_1 = require("../web/report-page");
const tasks_page_1 = require("../web/tasks-page");
const health_1 = require("./health");
const request_log_1 = require("./request-log");
function createApp(deps) {
    const { config, store, logger } = deps;
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    app.set('trust proxy', 'loopback');
    app.use((0, request_log_1.requestLog)(logger.child({ area: 'http' })));
    app.get('/', (_req, res) => res.redirect(302, '/demo/'));
    app.get('/static/app.css', (_req, res) => void res.type('css').send(assets_1.APP_CSS));
    app.use((0, health_1.createHealthRouter)({ store, getConnection: deps.getConnection }));
    app.use((0, tracking_1.createTrackingRouter)({ store, config, logger: logger.child({ area: 'tracking' }) }));
    app.use((0, tracking_1.createAdminRouter)({ store, config, rules: deps.rules }));
    app.use((0, router_1.createWebhookRouter)({
        store,
        config,
        logger,
        onEnqueued: deps.onCallEnqueued,
    }));
    app.use((0, demo_site_1.createDemoRouter)({
        simulateCall: deps.simulateCall ? { ...deps.simulateCall, store, logger: logger.child({ area: 'demo' }) } : null,
    }));
    app.use((0, tasks_page_1.createTasksRouter)({
        getConnection: deps.getConnection,
        bizibleIdField: config.bizibleIdField,
        recordUrl: deps.recordUrl,
    }));
    app.use((0, report_page_1.createReportRouter)({ getConnection: deps.getConnection }));
    app.use((req, res) => {
        if (wantsHtml(req)) {
            res
                .status(404)
                .type('html')
                .send((0, html_1.appPage)({ title: 'Not found', body: (0, html_1.html) `<h1>Not found</h1><p>Nothing is served at ${req.path}.</p>` }));
        }
        else {
            res.status(404).json({ error: 'not found', path: req.path });
        }
    });
    // Last resort: log the error, answer without internals. Org outages are the common case here.
    app.use((err, req, res, _next) => {
        const e = err;
        const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
        if (status >= 500)
            logger.error({ path: req.path, err: e?.message, code: e?.errorCode }, 'request failed');
        if (res.headersSent)
            return;
        const orgDown = status >= 500 && isOrgFailure(err);
        const code = orgDown ? 503 : status;
        const message = orgDown
            ? 'The Salesforce org cannot be reached right now; try again in a moment (see /healthz).'
            : status >= 500
                ? 'Internal error; see the server log.'
                : 'Bad request.';
        if (wantsHtml(req)) {
            res
                .status(code)
                .type('html')
                .send((0, html_1.appPage)({ title: 'Error', body: (0, html_1.html) `<h1>Something went wrong</h1><p class="error">${message}</p>` }));
        }
        else {
            res.status(code).json({ error: message });
        }
    });
    return app;
}
function wantsHtml(req) {
    return req.method === 'GET' && !req.path.startsWith('/api/') && !req.path.startsWith('/webhooks/') && req.accepts(['html', 'json']) === 'html';
}
function isOrgFailure(err) {
    const e = err;
    const text = `${String(e?.errorCode ?? '')} ${String(e?.code ?? '')} ${String(e?.message ?? '')}`;
    return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|INVALID_SESSION_ID|REQUEST_LIMIT_EXCEEDED|SERVER_UNAVAILABLE|503/.test(text);
}
//# sourceMappingURL=app.js.map