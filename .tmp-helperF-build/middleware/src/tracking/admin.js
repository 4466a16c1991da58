"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.requireAdminToken = requireAdminToken;
exports.createAdminRouter = createAdminRouter;
const node_crypto_1 = require("node:crypto");
const express_1 = __importDefault(require("express"));
const domain_1 = require("../domain");
const cookie_1 = require("./cookie");
function sameSecret(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && (0, node_crypto_1.timingSafeEqual)(x, y);
}
/** Bearer ADMIN_TOKEN. Unset token: every request is refused, with the reason. */
function requireAdminToken(config) {
    return (req, res, next) => {
        res.set('WWW-Authenticate', 'Bearer realm="call-touchpoints"');
        if (!config.adminToken) {
            res
                .status(401)
                .json({ error: 'the admin API is disabled: set ADMIN_TOKEN on the server to enable /api/*' });
            return;
        }
        const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
        if (!m || !sameSecret(m[1].trim(), config.adminToken)) {
            res
                .status(401)
                .json({ error: 'missing or wrong bearer token: send Authorization: Bearer <ADMIN_TOKEN>' });
            return;
        }
        next();
    };
}
function instantParam(req, name) {
    const v = req.query[name];
    if (v === undefined)
        return undefined;
    const ms = (0, domain_1.parseInstant)(v);
    return ms === null
        ? `query parameter "${name}" must be an ISO instant with offset, e.g. 2026-03-10T12:00:00Z`
        : ms;
}
/**
 * GET /api/visitors/:id/sessions[?from=ISO&to=ISO]: the visitor's web sessions as
 * Web_Session__c records (design §3 field names), channel classified by the sheet (R12).
 */
function createAdminRouter(deps) {
    const router = express_1.default.Router();
    router.get('/api/visitors/:id/sessions', requireAdminToken(deps.config), async (req, res) => {
        const id = String(req.params.id);
        if (!cookie_1.VISITOR_ID.test(id)) {
            res.status(400).json({ error: 'visitor id must be a _biz_uid value: 32 lowercase hex characters' });
            return;
        }
        const from = instantParam(req, 'from');
        const to = instantParam(req, 'to');
        for (const v of [from, to]) {
            if (typeof v === 'string') {
                res.status(400).json({ error: v });
                return;
            }
        }
        const sessions = await deps.store.sessionsForVisitor(id, from, to);
        res.json({
            visitorId: id,
            sessions: sessions.map((s) => (0, domain_1.toWebSessionRecord)(s, (0, domain_1.classify)(s, deps.rules))),
        });
    });
    return router;
}
//# sourceMappingURL=admin.js.map