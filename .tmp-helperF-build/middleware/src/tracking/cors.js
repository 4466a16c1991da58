"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.normalizeOrigin = normalizeOrigin;
exports.isAllowedOrigin = isAllowedOrigin;
exports.collectCors = collectCors;
/** Origins may post to /collect: the middleware's own origin, plus SITE_ORIGINS. */
function normalizeOrigin(origin) {
    try {
        const u = new URL(origin);
        return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin.toLowerCase() : null;
    }
    catch {
        return null;
    }
}
function isAllowedOrigin(origin, req, siteOrigins) {
    const o = normalizeOrigin(origin);
    if (o === null)
        return false;
    if (o === `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase())
        return true;
    return siteOrigins.some((s) => normalizeOrigin(s) === o);
}
/**
 * CORS for /collect. A browser sends a text/plain POST (what sendBeacon uses) without a preflight
 * and only hides the answer, so a disallowed Origin is refused here with 403, not just left
 * without CORS headers. Requests without Origin (server-to-server, curl) pass.
 */
function collectCors(siteOrigins) {
    return (req, res, next) => {
        const origin = req.get('origin');
        res.vary('Origin');
        if (origin === undefined) {
            if (req.method === 'OPTIONS')
                res.status(204).end();
            else
                next();
            return;
        }
        if (!isAllowedOrigin(origin, req, siteOrigins)) {
            res.status(403).json({
                error: `origin ${origin} may not post events here: add it to SITE_ORIGINS (comma-separated) on the server`,
            });
            return;
        }
        res.set('Access-Control-Allow-Origin', origin);
        res.set('Access-Control-Allow-Credentials', 'true');
        if (req.method === 'OPTIONS') {
            res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
            res.set('Access-Control-Allow-Headers', 'Content-Type');
            res.set('Access-Control-Max-Age', '600');
            res.status(204).end();
            return;
        }
        next();
    };
}
//# sourceMappingURL=cors.js.map