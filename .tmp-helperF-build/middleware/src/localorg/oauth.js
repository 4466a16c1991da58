"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Sessions = exports.OAuthError = void 0;
exports.withBasicAuth = withBasicAuth;
exports.handleTokenRequest = handleTokenRequest;
/**
 * Sessions and the OAuth 2.0 token endpoint (/services/oauth2/token): client_credentials,
 * JWT bearer, password and refresh_token grants. The JWT signature is NOT verified (the local org
 * has no connected app certificate); iss, sub, aud shape and exp are checked.
 */
const node_crypto_1 = __importDefault(require("node:crypto"));
class OAuthError extends Error {
    error;
    description;
    status;
    constructor(error, description, status = 400) {
        super(description);
        this.error = error;
        this.description = description;
        this.status = status;
    }
}
exports.OAuthError = OAuthError;
const random = (bytes) => node_crypto_1.default.randomBytes(bytes).toString('base64url');
class Sessions {
    orgId;
    valid = new Set();
    refreshTokens = new Set();
    signingKey = random(32);
    primary;
    constructor(orgId, initial) {
        this.orgId = orgId;
        this.primary = initial ?? this.newToken();
        this.valid.add(this.primary);
    }
    newToken() {
        // Shaped like a real session id ("00D…!…"); no dots, so jsforce does not take it for a JWT.
        return `${this.orgId.slice(0, 15)}!${random(36)}`;
    }
    isValid(token) {
        return !!token && this.valid.has(token);
    }
    /** Expire a session: it stays invalid; when it was the primary token a fresh primary replaces it. */
    expire(token) {
        this.valid.delete(token);
        if (token === this.primary) {
            this.primary = this.newToken();
            this.valid.add(this.primary);
        }
    }
    issue(instanceUrl, userId, withRefresh) {
        const token = this.newToken();
        this.valid.add(token);
        const issued = String(Date.now());
        const id = `${instanceUrl}/id/${this.orgId}/${userId}`;
        const out = {
            access_token: token,
            instance_url: instanceUrl,
            id,
            token_type: 'Bearer',
            issued_at: issued,
            signature: node_crypto_1.default
                .createHmac('sha256', this.signingKey)
                .update(id + issued)
                .digest('base64'),
            scope: 'api',
        };
        if (withRefresh) {
            const refresh = `5Aep${random(40)}`;
            this.refreshTokens.add(refresh);
            out.refresh_token = refresh;
        }
        return out;
    }
    hasRefreshToken(t) {
        return this.refreshTokens.has(t);
    }
}
exports.Sessions = Sessions;
function decodeJwtPart(part) {
    try {
        const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        return v && typeof v === 'object' ? v : null;
    }
    catch {
        return null;
    }
}
function checkClient(ctx, params, needSecret) {
    const { clientId, clientSecret } = ctx.config;
    if (!params.client_id)
        throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (clientId && params.client_id !== clientId)
        throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (needSecret) {
        if (!params.client_secret)
            throw new OAuthError('invalid_client', 'invalid client credentials');
        if (clientSecret && params.client_secret !== clientSecret)
            throw new OAuthError('invalid_client', 'invalid client credentials');
    }
}
/** Client credentials may also arrive as HTTP Basic authentication. */
function withBasicAuth(params, authorization) {
    const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (!m || params.client_id)
        return params;
    const [id, ...secret] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return {
        ...params,
        client_id: decodeURIComponent(id),
        client_secret: decodeURIComponent(secret.join(':')),
    };
}
function handleTokenRequest(ctx, params) {
    switch (params.grant_type) {
        case 'client_credentials':
            checkClient(ctx, params, true);
            return ctx.sessions.issue(ctx.instanceUrl, ctx.adminUserId, false);
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
            const parts = String(params.assertion ?? '').split('.');
            const header = parts.length === 3 ? decodeJwtPart(parts[0]) : null;
            const claims = parts.length === 3 ? decodeJwtPart(parts[1]) : null;
            if (!header || !claims || !parts[2])
                throw new OAuthError('invalid_grant', 'invalid assertion');
            if (typeof claims.iss !== 'string' || (ctx.config.clientId && claims.iss !== ctx.config.clientId)) {
                throw new OAuthError('invalid_client_id', 'client identifier invalid');
            }
            if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
                throw new OAuthError('invalid_grant', 'expired authorization code');
            }
            const userId = typeof claims.sub === 'string' ? ctx.userIdFor(claims.sub) : undefined;
            if (!userId)
                throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
            return ctx.sessions.issue(ctx.instanceUrl, userId, false);
        }
        case 'password': {
            checkClient(ctx, params, true);
            const userId = ctx.userIdFor(String(params.username ?? ''));
            if (!userId || !params.password)
                throw new OAuthError('invalid_grant', 'authentication failure');
            return ctx.sessions.issue(ctx.instanceUrl, userId, true);
        }
        case 'refresh_token':
            checkClient(ctx, params, false);
            if (!ctx.sessions.hasRefreshToken(String(params.refresh_token ?? ''))) {
                throw new OAuthError('invalid_grant', 'expired access/refresh token');
            }
            return ctx.sessions.issue(ctx.instanceUrl, ctx.adminUserId, false);
        default:
            throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
}
//# sourceMappingURL=oauth.js.map