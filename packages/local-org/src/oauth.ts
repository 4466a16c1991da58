/**
 * Sessions and the OAuth 2.0 token endpoint (/services/oauth2/token): client_credentials, JWT bearer and
 * password grants, each only for the configured connected app, as Salesforce does:
 * - client credentials: the consumer key and secret must be the connected app's ("OAuth 2.0 Client
 *   Credentials Flow for Server-to-Server Integration", Salesforce Help);
 * - JWT bearer: "Salesforce validates the JWT based on a signature using a previously configured
 *   certificate"; iss is the consumer key, aud the login URL, sub the username, exp not passed ("OAuth 2.0
 *   JWT Bearer Flow for Server-to-Server Integration", Salesforce Help). Only RS256 is accepted.
 * - password: client id and secret of the connected app ("OAuth 2.0 Username-Password Flow"); the local org's
 *   users have no passwords, so any non-empty password is taken. No refresh token is issued for this flow.
 * Without a configured client every grant is refused, so a token can only come from someone who holds the
 * configured credentials (or the printed access token).
 */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface OAuthConfig {
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate (or public key) of the connected app, for JWT bearer assertions. */
  jwtCertificate?: string;
}

/** Environment fallbacks, so the local org embedded in `serve` can be given a connected app too. */
export function oauthConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OAuthConfig {
  return {
    clientId: env.LOCAL_ORG_CLIENT_ID || undefined,
    clientSecret: env.LOCAL_ORG_CLIENT_SECRET || undefined,
    jwtCertificate: env.LOCAL_ORG_JWT_CERT || undefined,
  };
}

/** Audiences Salesforce accepts for a JWT bearer assertion, plus the local org's own login URL. */
const SALESFORCE_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope: string;
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const random = (bytes: number) => crypto.randomBytes(bytes).toString('base64url');

export class Sessions {
  /** Token → the user it runs as. */
  private valid = new Map<string, string>();
  private signingKey = random(32);
  primary: string;

  constructor(
    private orgId: string,
    initial: string | undefined,
    private adminUserId: string,
  ) {
    this.primary = initial ?? this.newToken();
    this.valid.set(this.primary, adminUserId);
  }

  newToken(): string {
    // Shaped like a real session id, "<15-character org id>!<letters, digits, _>": the Salesforce CLI's
    // `org login access-token` refuses other shapes. No dots, so jsforce does not take it for a JWT.
    return `${this.orgId.slice(0, 15)}!${random(36).replace(/-/g, '_')}`;
  }

  isValid(token: string | null | undefined): boolean {
    return !!token && this.valid.has(token);
  }

  /** The user a valid token runs as. */
  userOf(token: string | null | undefined): string | undefined {
    return token ? this.valid.get(token) : undefined;
  }

  /** Expire a session: it stays invalid; when it was the primary token a fresh primary replaces it. */
  expire(token: string): void {
    this.valid.delete(token);
    if (token === this.primary) {
      this.primary = this.newToken();
      this.valid.set(this.primary, this.adminUserId);
    }
  }

  issue(instanceUrl: string, userId: string): TokenResponse {
    const token = this.newToken();
    this.valid.set(token, userId);
    const issued = String(Date.now());
    const id = `${instanceUrl}/id/${this.orgId}/${userId}`;
    const out: TokenResponse = {
      access_token: token,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issued,
      signature: crypto
        .createHmac('sha256', this.signingKey)
        .update(id + issued)
        .digest('base64'),
      scope: 'api',
    };
    return out;
  }
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export interface TokenRequestContext {
  config: OAuthConfig;
  sessions: Sessions;
  instanceUrl: string;
  /** Id of an active user with that username, if any. */
  userIdFor: (username: string) => string | undefined;
  adminUserId: string;
}

function checkClient(ctx: TokenRequestContext, params: Record<string, string>): void {
  const { clientId, clientSecret } = ctx.config;
  if (!clientId || !params.client_id || !safeEqual(params.client_id, clientId))
    throw new OAuthError('invalid_client_id', 'client identifier invalid');
  if (!clientSecret || !params.client_secret || !safeEqual(params.client_secret, clientSecret))
    throw new OAuthError('invalid_client', 'invalid client credentials');
}

function verifyAssertion(ctx: TokenRequestContext, assertion: string): jwt.JwtPayload {
  const { clientId, jwtCertificate } = ctx.config;
  if (!clientId || !jwtCertificate) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(jwtCertificate);
  } catch {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  try {
    const claims = jwt.verify(assertion, key, {
      algorithms: ['RS256'],
      audience: [ctx.instanceUrl, ...SALESFORCE_AUDIENCES],
    });
    if (typeof claims === 'string') throw new OAuthError('invalid_grant', 'invalid assertion');
    if (claims.iss !== clientId) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (typeof claims.exp !== 'number') throw new OAuthError('invalid_grant', 'invalid assertion');
    return claims;
  } catch (e) {
    if (e instanceof OAuthError) throw e;
    if (e instanceof jwt.TokenExpiredError)
      throw new OAuthError('invalid_grant', 'expired authorization code');
    if (e instanceof jwt.JsonWebTokenError && /audience/.test(e.message))
      throw new OAuthError('invalid_grant', 'audience is invalid');
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
}

/** Client credentials may also arrive as HTTP Basic authentication. */
export function withBasicAuth(
  params: Record<string, string>,
  authorization: string | undefined,
): Record<string, string> {
  const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!m || params.client_id) return params;
  const [id, ...secret] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return {
    ...params,
    client_id: decodeURIComponent(id),
    client_secret: decodeURIComponent(secret.join(':')),
  };
}

export function handleTokenRequest(ctx: TokenRequestContext, params: Record<string, string>): TokenResponse {
  switch (params.grant_type) {
    case 'client_credentials':
      checkClient(ctx, params);
      return ctx.sessions.issue(ctx.instanceUrl, ctx.adminUserId);
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      const claims = verifyAssertion(ctx, String(params.assertion ?? ''));
      const userId = typeof claims.sub === 'string' ? ctx.userIdFor(claims.sub) : undefined;
      if (!userId) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
      return ctx.sessions.issue(ctx.instanceUrl, userId);
    }
    case 'password': {
      checkClient(ctx, params);
      const userId = ctx.userIdFor(String(params.username ?? ''));
      if (!userId || !params.password) throw new OAuthError('invalid_grant', 'authentication failure');
      return ctx.sessions.issue(ctx.instanceUrl, userId);
    }
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}
