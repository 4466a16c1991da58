/**
 * The signed-in user as the Identity URL (/id/<orgId>/<userId>) and the OpenID Connect UserInfo endpoint
 * (/services/oauth2/userinfo) describe them. Shapes follow Salesforce Help, "Identity URLs" and "UserInfo
 * Endpoint": both carry `photos` {picture, thumbnail} and `urls` with `{version}` placeholders; UserInfo
 * names the user `preferred_username` and the identity URL `sub`. The Salesforce CLI reads UserInfo's
 * user_id and organization_id after `sf org login access-token`.
 */
import type { Rec } from './soql';

export interface IdentityContext {
  instanceUrl: string;
  orgId: string;
}

function urls(ctx: IdentityContext, userId: string) {
  const base = `${ctx.instanceUrl}/services/data/v{version}`;
  return {
    enterprise: `${ctx.instanceUrl}/services/Soap/c/{version}/${ctx.orgId.slice(0, 15)}`,
    metadata: `${ctx.instanceUrl}/services/Soap/m/{version}/${ctx.orgId.slice(0, 15)}`,
    rest: `${base}/`,
    sobjects: `${base}/sobjects/`,
    search: `${base}/search/`,
    query: `${base}/query/`,
    recent: `${base}/recent/`,
    profile: `${ctx.instanceUrl}/${userId}`,
    custom_domain: ctx.instanceUrl,
  };
}

function photos(ctx: IdentityContext, userId: string) {
  return {
    picture: `${ctx.instanceUrl}/profilephoto/005/F?u=${userId}`,
    thumbnail: `${ctx.instanceUrl}/profilephoto/005/T?u=${userId}`,
  };
}

/** GET /id/<orgId>/<userId>. */
export function identityDocument(ctx: IdentityContext, user: Rec) {
  const userId = String(user.Id);
  return {
    id: `${ctx.instanceUrl}/id/${ctx.orgId}/${userId}`,
    asserted_user: true,
    user_id: userId,
    organization_id: ctx.orgId,
    username: user.Username,
    nick_name: user.Alias,
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName ?? null,
    last_name: user.LastName,
    timezone: 'GMT',
    photos: photos(ctx, userId),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
    urls: urls(ctx, userId),
  };
}

/** GET /services/oauth2/userinfo. */
export function userInfoDocument(ctx: IdentityContext, user: Rec) {
  const userId = String(user.Id);
  return {
    sub: `${ctx.instanceUrl}/id/${ctx.orgId}/${userId}`,
    user_id: userId,
    organization_id: ctx.orgId,
    preferred_username: user.Username,
    nickname: user.Alias,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName ?? null,
    family_name: user.LastName,
    zoneinfo: 'GMT',
    photos: photos(ctx, userId),
    profile: `${ctx.instanceUrl}/${userId}`,
    picture: photos(ctx, userId).picture,
    active: user.IsActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    updated_at: user.LastModifiedDate,
    is_app_installed: true,
    urls: urls(ctx, userId),
  };
}
