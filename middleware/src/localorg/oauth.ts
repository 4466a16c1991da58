/**
 * Sessions and the OAuth 2.0 token endpoint (/services/oauth2/token): client_credentials,
 * JWT bearer, password and refresh_token grants. The JWT signature is NOT verified (the local org
 * has no connected app certificate); iss, sub, aud shape and exp are checked.
 */
import crypto from 'node:crypto';

export interface OAuthConfig {
  clientId?: string;
  clientSecret?: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
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
  private valid = new Set<string>();
  private refreshTokens = new Set<string>();
  private signingKey = random(32);
  primary: string;

  constructor(
    private orgId: string,
    initial: string | undefined,
  ) {
    this.primary = initial ?? this.newToken();
    this.valid.add(this.primary);
  }

  newToken(): string {
    // Shaped like a real session id ("00D…!…"); no dots, so jsforce does not take it for a JWT.
    return `${this.orgId.slice(0, 15)}!${random(36)}`;
  }

  isValid(token: string | null | undefined): boolean {
    return !!token && this.valid.has(token);
  }

  /** Expire a session: it stays invalid; when it was the primary token a fresh primary replaces it. */
  expire(token: string): void {
    this.valid.delete(token);
    if (token === this.primary) {
      this.primary = this.newToken();
      this.valid.add(this.primary);
    }
  }

  issue(instanceUrl: string, userId: string, withRefresh: boolean): TokenResponse {
    const token = this.newToken();
    this.valid.add(token);
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
    if (withRefresh) {
      const refresh = `5Aep${random(40)}`;
      this.refreshTokens.add(refresh);
      out.refresh_token = refresh;
    }
    return out;
  }

  hasRefreshToken(t: string): boolean {
    return this.refreshTokens.has(t);
  }
}

function decodeJwtPart(part: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface TokenRequestContext {
  config: OAuthConfig;
  sessions: Sessions;
  instanceUrl: string;
  /** Id of an active user with that username, if any. */
  userIdFor: (username: string) => string | undefined;
  adminUserId: string;
}

function checkClient(ctx: TokenRequestContext, params: Record<string, string>, needSecret: boolean): void {
  const { clientId, clientSecret } = ctx.config;
  if (!params.client_id) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  if (clientId && params.client_id !== clientId)
    throw new OAuthError('invalid_client_id', 'client identifier invalid');
  if (needSecret) {
    if (!params.client_secret) throw new OAuthError('invalid_client', 'invalid client credentials');
    if (clientSecret && params.client_secret !== clientSecret)
      throw new OAuthError('invalid_client', 'invalid client credentials');
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
      checkClient(ctx, params, true);
      return ctx.sessions.issue(ctx.instanceUrl, ctx.adminUserId, false);
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      const parts = String(params.assertion ?? '').split('.');
      const header = parts.length === 3 ? decodeJwtPart(parts[0]) : null;
      const claims = parts.length === 3 ? decodeJwtPart(parts[1]) : null;
      if (!header || !claims || !parts[2]) throw new OAuthError('invalid_grant', 'invalid assertion');
      if (typeof claims.iss !== 'string' || (ctx.config.clientId && claims.iss !== ctx.config.clientId)) {
        throw new OAuthError('invalid_client_id', 'client identifier invalid');
      }
      if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
        throw new OAuthError('invalid_grant', 'expired authorization code');
      }
      const userId = typeof claims.sub === 'string' ? ctx.userIdFor(claims.sub) : undefined;
      if (!userId) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
      return ctx.sessions.issue(ctx.instanceUrl, userId, false);
    }
    case 'password': {
      checkClient(ctx, params, true);
      const userId = ctx.userIdFor(String(params.username ?? ''));
      if (!userId || !params.password) throw new OAuthError('invalid_grant', 'authentication failure');
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
