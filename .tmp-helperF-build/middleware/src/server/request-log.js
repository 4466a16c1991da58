"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.requestLog = requestLog;
const metrics_1 = require("../metrics");
/**
 * One structured log line per request and the httpDuration histogram. Logs the path without its
 * query string (webhook tokens may travel as ?token=) and no headers, so no secret reaches a log.
 * The metric's route label is the matched route pattern, keeping its cardinality bounded.
 */
function requestLog(logger) {
    return (req, res, next) => {
        const started = process.hrtime.bigint();
        res.on('finish', () => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
            metrics_1.httpDuration.observe({ route, status: String(res.statusCode) }, seconds);
            const level = res.statusCode >= 500 ? 'error' : 'info';
            logger[level]({ method: req.method, path: req.path, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
        });
        next();
    };
}
//# sourceMappingURL=request-log.js.map