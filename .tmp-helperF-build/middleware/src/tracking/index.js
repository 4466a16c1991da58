"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createAdminRouter = void 0;
exports.createTrackingRouter = createTrackingRouter;
const express_1 = __importDefault(require("express"));
const collect_1 = require("./collect");
const cookie_1 = require("./cookie");
const cors_1 = require("./cors");
const snippet_file_1 = require("./snippet-file");
var admin_1 = require("./admin");
Object.defineProperty(exports, "createAdminRouter", { enumerable: true, get: function () { return admin_1.createAdminRouter; } });
/**
 * Web tracking (issue 5): GET /t.js (the snippet) and POST /collect (+ its CORS preflight).
 * Mount at the root of the site-facing server; the snippet posts to `collect` next to its own URL.
 */
function createTrackingRouter(deps) {
    const router = express_1.default.Router();
    const snippet = (0, snippet_file_1.loadSnippet)();
    router.get('/t.js', (req, res) => {
        res.type('text/javascript; charset=utf-8');
        res.set('X-Content-Type-Options', 'nosniff');
        res.set('Cross-Origin-Resource-Policy', 'cross-origin');
        res.vary('Accept-Encoding');
        // Refresh (never create) a first-party _biz_uid: the answer then depends on the cookie and
        // must not sit in a shared cache.
        const refresh = (0, cookie_1.visitorCookieOf)(req) !== null && !(deps.config.tracking.honorOptOut && (0, collect_1.sendsOptOut)(req));
        if (refresh) {
            (0, cookie_1.setVisitorCookie)(req, res, null);
            res.set('Cache-Control', 'private, max-age=300');
            res.vary('Cookie');
        }
        else {
            res.set('Cache-Control', 'public, max-age=3600');
        }
        res.set('ETag', snippet.etag);
        if (req.fresh) {
            res.status(304).end();
            return;
        }
        if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
            res.set('Content-Encoding', 'gzip');
            res.send(snippet.gzipped);
        }
        else {
            res.send(snippet.source);
        }
    });
    const cors = (0, cors_1.collectCors)(deps.config.siteOrigins);
    router.options('/collect', cors);
    router.post('/collect', cors, (0, collect_1.collectRateLimit)(deps.config.tracking.collectRateLimitPerMinute), (0, collect_1.collectGate)(deps.config), collect_1.readBody, (0, collect_1.collectHandler)(deps), (0, collect_1.collectErrors)(deps.logger));
    return router;
}
//# sourceMappingURL=index.js.map