"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SF_ENV_HELP = exports.ConnectionError = exports.API_VERSION = void 0;
exports.isLocalUrl = isLocalUrl;
exports.describeOrg = describeOrg;
exports.hasOrgConfig = hasOrgConfig;
exports.connect = connect;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const jsforce_1 = require("jsforce");
const jsonwebtoken_1 = __importDefault(require("jsonwebtoken"));
const log_1 = require("../log");
exports.API_VERSION = '62.0';
/** Raised for configuration and authentication problems; the message tells the user what to do. */
class ConnectionError extends Error {
}
exports.ConnectionError = ConnectionError;
exports.SF_ENV_HELP = 'No Salesforce org configured. Set one of:\n' +
    '  SF_INSTANCE_URL + SF_ACCESS_TOKEN                          (an existing session)\n' +
    '  SF_LOGIN_URL + SF_CLIENT_ID + SF_CLIENT_SECRET             (OAuth client credentials)\n' +
    '  SF_LOGIN_URL + SF_CLIENT_ID + SF_USERNAME + SF_JWT_KEY_FILE (JWT bearer flow)\n' +
    'or pass --target-org ALIAS to reuse an org the Salesforce CLI (sf) is logged in to.\n' +
    'To try it without an org: run `call-touchpoints local-org` and point SF_INSTANCE_URL and\n' +
    'SF_ACCESS_TOKEN at the instance_url and access_token it prints (or just `npm start`).';
function isLocalUrl(url) {
    try {
        const host = new URL(url).hostname;
        return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
    }
    catch {
        return false;
    }
}
function describeOrg(instanceUrl, auth) {
    if (isLocalUrl(instanceUrl))
        return `local org ${instanceUrl}`;
    return `Salesforce org ${instanceUrl}${auth ? ` (${auth})` : ''}`;
}
/** True when the environment names an org (or a CLI alias is given). */
function hasOrgConfig(config, targetOrg) {
    const sf = config.salesforce;
    return Boolean(targetOrg || (sf.instanceUrl && sf.accessToken) || (sf.loginUrl && sf.clientId));
}
/** A refresh that fails right after another one means the new token is rejected too: stop. */
const REFRESH_GUARD_MS = 30_000;
async function connect(config, opts = {}) {
    const log = opts.logger ?? log_1.silentLogger;
    const sf = config.salesforce;
    let auth;
    let authenticate;
    if (opts.targetOrg) {
        auth = 'sf-cli';
        const alias = opts.targetOrg;
        authenticate = () => sfCliSession(alias, opts.sfBinary);
    }
    else if (sf.loginUrl && sf.clientId && sf.clientSecret) {
        auth = 'client-credentials';
        const form = { grant_type: 'client_credentials', client_id: sf.clientId, client_secret: sf.clientSecret };
        const loginUrl = sf.loginUrl;
        authenticate = () => tokenRequest(loginUrl, form);
    }
    else if (sf.loginUrl && sf.clientId && sf.username && sf.jwtKeyFile) {
        auth = 'jwt';
        const [loginUrl, clientId, username, keyFile] = [sf.loginUrl, sf.clientId, sf.username, sf.jwtKeyFile];
        authenticate = () => jwtSession(loginUrl, clientId, username, keyFile);
    }
    else if (sf.instanceUrl && sf.accessToken) {
        auth = 'access-token';
        authenticate = null;
    }
    else if (sf.loginUrl && sf.clientId) {
        throw new ConnectionError('SF_LOGIN_URL and SF_CLIENT_ID are set but neither SF_CLIENT_SECRET (client credentials) nor ' +
            'SF_USERNAME + SF_JWT_KEY_FILE (JWT bearer) is: set one of them.');
    }
    else {
        throw new ConnectionError(exports.SF_ENV_HELP);
    }
    const session = authenticate
        ? await authenticate()
        : { instanceUrl: sf.instanceUrl, accessToken: sf.accessToken };
    let lastRefreshAt = 0;
    const conn = new jsforce_1.Connection({
        instanceUrl: session.instanceUrl,
        accessToken: session.accessToken,
        version: exports.API_VERSION,
        // jsforce calls this on INVALID_SESSION_ID and retries the request. Refresh once; if the new
        // session is rejected again at once, fail instead of looping.
        refreshFn: authenticate
            ? (c, callback) => {
                const now = Date.now();
                if (now - lastRefreshAt < REFRESH_GUARD_MS) {
                    callback(new Error('Salesforce rejected the session right after it was refreshed; not retrying again'));
                    return;
                }
                lastRefreshAt = now;
                log.info({ auth }, 'salesforce session expired, re-authenticating once');
                authenticate().then((s) => {
                    c.instanceUrl = s.instanceUrl;
                    callback(null, s.accessToken);
                }, (err) => callback(err instanceof Error ? err : new Error(String(err))));
            }
            : undefined,
    });
    const instanceUrl = session.instanceUrl.replace(/\/+$/, '');
    log.info({ auth, org: describeOrg(instanceUrl) }, 'salesforce connection ready');
    return { conn, auth, instanceUrl, describe: () => describeOrg(instanceUrl, auth) };
}
async function tokenRequest(loginUrl, form) {
    const url = `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
    let res;
    try {
        res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: new URLSearchParams(form).toString(),
        });
    }
    catch (err) {
        throw new ConnectionError(`cannot reach ${url}: ${err.message} (check SF_LOGIN_URL)`);
    }
    const text = await res.text();
    let body = {};
    try {
        body = JSON.parse(text);
    }
    catch {
        // non-JSON answer: reported below by status
    }
    if (!res.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
        const reason = [body.error, body.error_description].filter(Boolean).join(': ') || `HTTP ${res.status}`;
        throw new ConnectionError(`Salesforce login (${form.grant_type === 'client_credentials' ? 'client credentials' : 'JWT bearer'}) failed: ${reason}. ` +
            'Check SF_LOGIN_URL, SF_CLIENT_ID and the secret or key, and that the connected app allows this flow.');
    }
    return { instanceUrl: body.instance_url, accessToken: body.access_token };
}
function jwtSession(loginUrl, clientId, username, keyFile) {
    let key;
    try {
        key = node_fs_1.default.readFileSync(keyFile, 'utf8');
    }
    catch (err) {
        throw new ConnectionError(`cannot read SF_JWT_KEY_FILE ${keyFile}: ${err.code ?? err}`);
    }
    const assertion = jsonwebtoken_1.default.sign({}, key, {
        algorithm: 'RS256',
        issuer: clientId,
        subject: username,
        audience: loginUrl.replace(/\/+$/, ''),
        expiresIn: 180,
    });
    return tokenRequest(loginUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
}
function findSfBinary() {
    let dir = __dirname;
    for (;;) {
        const candidate = node_path_1.default.join(dir, 'node_modules', '.bin', 'sf');
        if (node_fs_1.default.existsSync(candidate))
            return candidate;
        const parent = node_path_1.default.dirname(dir);
        if (parent === dir)
            return 'sf';
        dir = parent;
    }
}
/** Reuses the sf CLI's stored auth: `sf org display --target-org ALIAS --json`. */
function sfCliSession(alias, sfBinary) {
    const bin = sfBinary ?? findSfBinary();
    return new Promise((resolve, reject) => {
        (0, node_child_process_1.execFile)(bin, ['org', 'display', '--target-org', alias, '--json'], {
            timeout: 120_000,
            maxBuffer: 4 * 1024 * 1024,
            env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' },
        }, (err, stdout) => {
            let parsed = {};
            try {
                parsed = JSON.parse(stdout);
            }
            catch {
                // fall through to the error below
            }
            const r = parsed.result;
            if (r?.instanceUrl && r.accessToken) {
                resolve({ instanceUrl: r.instanceUrl, accessToken: r.accessToken });
                return;
            }
            const why = (parsed.message ?? (err ? err.message.split('\n')[0] : 'no session in its answer')).replace(/\s+/g, ' ').trim();
            reject(new ConnectionError(`The Salesforce CLI has no usable org "${alias}" (${why}). ` +
                `Log in with \`sf org login web --alias ${alias}\` or check \`sf org list\`.`));
        });
    });
}
//# sourceMappingURL=connection.js.map