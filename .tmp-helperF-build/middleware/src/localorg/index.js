"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = exports.toId18 = exports.caseSafeSuffix = void 0;
exports.startLocalOrg = startLocalOrg;
/**
 * The local org (design §5): an HTTP server speaking the slice of the Salesforce REST and Metadata
 * SOAP APIs the middleware uses, so jsforce runs unchanged against it. A development and test
 * tool: it never pretends to be a place to keep production data.
 */
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_http_1 = __importDefault(require("node:http"));
const express_1 = __importDefault(require("express"));
const log_1 = require("../log");
Object.defineProperty(exports, "createLogger", { enumerable: true, get: function () { return log_1.createLogger; } });
const data_1 = require("./data");
const errors_1 = require("./errors");
const faults_1 = require("./faults");
const forceApp_1 = require("./forceApp");
const metadataService_1 = require("./metadataService");
const oauth_1 = require("./oauth");
const rest_1 = require("./rest");
const soap_1 = require("./soap");
var ids_1 = require("./ids");
Object.defineProperty(exports, "caseSafeSuffix", { enumerable: true, get: function () { return ids_1.caseSafeSuffix; } });
Object.defineProperty(exports, "toId18", { enumerable: true, get: function () { return ids_1.toId18; } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function bearer(req) {
    const h = req.headers.authorization ?? '';
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
    return m ? m[1].trim() : null;
}
/** Request classes reported by GET /_local/requests. */
function kindOf(parts, method) {
    const resource = parts[1];
    if (parts.length <= 1)
        return 'versions';
    if (resource === 'query' || resource === 'queryAll')
        return parts.length > 2 ? 'queryMore' : 'query';
    if (resource === 'composite')
        return `collections:${method}`;
    if (resource === 'sobjects')
        return parts[parts.length - 1] === 'describe' || (parts.length <= 3 && method === 'GET')
            ? 'describe'
            : `sobject:${method}`;
    return resource ?? 'other';
}
async function startLocalOrg(opts = {}) {
    const log = opts.logger ?? log_1.silentLogger;
    const apiVersion = opts.apiVersion ?? '62.0';
    const dailyLimit = opts.dailyApiLimit ?? 15000;
    const forceApp = (0, forceApp_1.readForceApp)(opts.forceAppDir ?? (0, forceApp_1.defaultForceAppDir)());
    const data = new data_1.OrgData(opts.dataDir ?? null, forceApp.customObjects.map((o) => String(o.fullName)));
    const metadata = new metadataService_1.MetadataService(data);
    if (opts.preload) {
        const results = [
            ...forceApp.customObjects.map((md) => metadata.save('CustomObject', md, 'upsert')),
            ...forceApp.customFields.map((md) => metadata.save('CustomField', md, 'upsert')),
            ...forceApp.permissionSets.map((md) => metadata.save('PermissionSet', md, 'upsert')),
        ];
        for (const r of results.filter((x) => !x.success))
            log.warn({ fullName: r.fullName, errors: r.errors }, 'local org: preload failed');
    }
    const sessions = new oauth_1.Sessions(data.orgId, opts.token);
    const faults = new faults_1.Faults();
    let requests = 0;
    let byKind = {};
    const count = (kind) => {
        requests++;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
    };
    let instanceUrl = '';
    const rest = new rest_1.RestApi({
        data,
        apiVersion,
        apiRequests: () => requests,
        dailyLimit,
        lockRow: () => faults.chance(faults.current.lockRowRate),
    });
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use((_req, res, next) => {
        // Every response reports usage, like Salesforce's Sforce-Limit-Info header.
        const writeHead = res.writeHead.bind(res);
        res.writeHead = (...a) => {
            if (!res.headersSent)
                res.setHeader('Sforce-Limit-Info', `api-usage=${requests}/${dailyLimit}`);
            return writeHead(...a);
        };
        next();
    });
    // --- OAuth ----------------------------------------------------------------------------------
    app.post('/services/oauth2/token', express_1.default.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
        try {
            const out = (0, oauth_1.handleTokenRequest)({
                config: { clientId: opts.clientId, clientSecret: opts.clientSecret },
                sessions,
                instanceUrl,
                adminUserId: data.adminUserId,
                userIdFor: (username) => {
                    const user = data
                        .scan('User')
                        .find((u) => String(u.Username).toLowerCase() === username.toLowerCase() && u.IsActive && !u.IsDeleted);
                    return user?.Id;
                },
            }, (0, oauth_1.withBasicAuth)((req.body ?? {}), req.headers.authorization));
            res.json(out);
        }
        catch (e) {
            if (!(e instanceof oauth_1.OAuthError))
                throw e;
            res.status(e.status).json({ error: e.error, error_description: e.description });
        }
    });
    // Identity URL (the `id` of a token response), as conn.identity() reads it.
    app.get('/id/:orgId/:userId', (req, res) => {
        const token = bearer(req) ?? (typeof req.query.oauth_token === 'string' ? req.query.oauth_token : null);
        if (!sessions.isValid(token)) {
            res.status(403).send('Bad_OAuth_Token');
            return;
        }
        const user = data.byId(String(req.params.userId));
        if (req.params.orgId !== data.orgId || !user || user.def.name !== 'User') {
            res.status(404).json((0, errors_1.notFound)().body());
            return;
        }
        const base = `${instanceUrl}/services/data/v{version}`;
        res.json({
            id: `${instanceUrl}/id/${data.orgId}/${String(user.rec.Id)}`,
            user_id: user.rec.Id,
            organization_id: data.orgId,
            username: user.rec.Username,
            display_name: user.rec.Name,
            email: user.rec.Email,
            active: user.rec.IsActive,
            user_type: 'STANDARD',
            urls: {
                rest: `${base}/`,
                sobjects: `${base}/sobjects/`,
                query: `${base}/query/`,
                metadata: `${instanceUrl}/services/Soap/m/{version}/${data.orgId.slice(0, 15)}`,
            },
        });
    });
    // --- local control endpoints ------------------------------------------------------------------
    const local = express_1.default.Router();
    local.use((req, res, next) => {
        if (!sessions.isValid(bearer(req))) {
            res.status(401).json((0, errors_1.invalidSession)().body());
            return;
        }
        next();
    });
    local.get('/requests', (_req, res) => {
        res.json({ apiRequests: requests, byKind });
    });
    local.post('/requests/reset', (_req, res) => {
        requests = 0;
        byKind = {};
        res.json({ apiRequests: 0, byKind });
    });
    local.get('/faults', (_req, res) => {
        res.json(faults.current);
    });
    local.put('/faults', express_1.default.json(), (req, res) => {
        try {
            faults.set((0, faults_1.parseFaults)(req.body));
        }
        catch (e) {
            res.status(400).json([{ errorCode: 'INVALID_FAULTS', message: e.message }]);
            return;
        }
        res.json(faults.current);
    });
    local.delete('/faults', (_req, res) => {
        faults.clear();
        res.json(faults.current);
    });
    app.use('/_local', local);
    /** Injected faults common to REST and SOAP; returns the SfError to answer with, if any. */
    const injected = (token) => {
        if (faults.takeSessionExpiry()) {
            sessions.expire(token);
            return (0, errors_1.invalidSession)();
        }
        const f = faults.current;
        if (f.requestLimitExceeded)
            return new errors_1.SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
        if (faults.chance(f.errorRate503)) {
            return new errors_1.SfError(503, 'SERVER_UNAVAILABLE', 'Server is unavailable. Please try again later.');
        }
        return null;
    };
    // --- REST -------------------------------------------------------------------------------------
    app.use('/services/data', async (req, res, next) => {
        const parts = req.path.split('/').filter(Boolean);
        count(kindOf(parts, req.method.toUpperCase()));
        if (faults.current.latencyMs)
            await sleep(faults.current.latencyMs);
        const token = bearer(req);
        if (!sessions.isValid(token))
            throw (0, errors_1.invalidSession)();
        const fault = injected(token);
        if (fault)
            throw fault;
        next();
    }, express_1.default.json({ limit: '50mb', type: () => true }), (req, res) => {
        const parts = req.path.split('/').filter(Boolean);
        let decoded;
        try {
            decoded = parts.map(decodeURIComponent);
        }
        catch {
            throw (0, errors_1.notFound)();
        }
        rest.handle(req, res, decoded);
    });
    // --- Metadata SOAP ------------------------------------------------------------------------------
    app.post('/services/Soap/m/:version', express_1.default.text({ type: () => true, limit: '20mb' }), async (req, res) => {
        count('metadata');
        if (faults.current.latencyMs)
            await sleep(faults.current.latencyMs);
        res.type('text/xml');
        try {
            const call = (0, soap_1.parseSoap)(String(req.body ?? ''));
            if (!sessions.isValid(call.sessionId)) {
                throw new soap_1.SoapFault(500, 'sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
            }
            const fault = injected(call.sessionId);
            if (fault) {
                throw new soap_1.SoapFault(fault.status === 503 ? 503 : 500, `sf:${fault.errorCode}`, `${fault.errorCode}: ${fault.errorCode === 'INVALID_SESSION_ID' ? 'Invalid Session ID found in SessionHeader: Illegal Session' : fault.message}`);
            }
            res.send((0, soap_1.runMetadataCall)(metadata, call));
        }
        catch (e) {
            if (!(e instanceof soap_1.SoapFault))
                throw e;
            res.status(e.status).send((0, soap_1.faultXml)(e));
        }
    });
    app.use(() => {
        throw (0, errors_1.notFound)();
    });
    app.use((err, _req, res, _next) => {
        if (err instanceof errors_1.SfError) {
            res.status(err.status).json(err.body());
            return;
        }
        const e = err;
        if (e.type === 'entity.parse.failed') {
            res
                .status(400)
                .json([
                { errorCode: 'JSON_PARSER_ERROR', message: `The request body is not valid JSON: ${e.message}` },
            ]);
            return;
        }
        if (e.type === 'entity.too.large') {
            res.status(413).json([{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request body too large' }]);
            return;
        }
        const errorId = node_crypto_1.default.randomInt(1e9);
        log.error({ err, errorId }, 'local org: unexpected error');
        res.status(500).json([
            {
                errorCode: 'UNKNOWN_EXCEPTION',
                message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
            },
        ]);
    });
    const server = node_http_1.default.createServer(app);
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
    });
    const port = server.address().port;
    const host = opts.host ?? '127.0.0.1';
    instanceUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    log.info({ instanceUrl }, 'local org listening');
    let closed = false;
    return {
        instanceUrl,
        get accessToken() {
            return sessions.primary;
        },
        loginUrl: instanceUrl,
        port,
        apiRequests: () => requests,
        resetApiRequests: () => {
            requests = 0;
            byKind = {};
        },
        setFaults: (f) => faults.set((0, faults_1.parseFaults)(f)),
        clearFaults: () => faults.clear(),
        close: async () => {
            if (closed)
                return;
            closed = true;
            await new Promise((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            data.close();
        },
    };
}
//# sourceMappingURL=index.js.map