/**
 * The Partner SOAP API's session calls at /services/Soap/u/{version} (the other Partner calls: partnerSoap.ts):
 * login() and logout(), as jsforce's
 * `conn.login(username, password)` and third-party Pub/Sub clients use them.
 *
 * SOAP API Developer Guide: "login()" — username and password in, a LoginResult out (metadataServerUrl,
 * passwordExpired, sandbox, serverUrl, sessionId, userId, userInfo); a wrong username or password is the
 * `sf:INVALID_LOGIN` fault "Invalid username, password, security token; or user locked out." "logout()" ends
 * the session of the SessionHeader. "LoginResult": serverUrl is the Partner endpoint of the org's instance
 * (…/services/Soap/u/{version}/{org id}), metadataServerUrl the Metadata one (…/Soap/m/…).
 *
 * The local org's users have no passwords: like the OAuth password grant (oauth.ts), any non-empty password
 * logs an active user in.
 */
import { partnerEnvelope } from './partnerSoap';
import { SoapFault, type SoapRequest } from './soap';
import type { Rec } from './soql';

const esc = (v: unknown): string =>
  String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

export interface PartnerContext {
  instanceUrl: string;
  orgId: string;
  organizationName: string;
  /** An active user by username (case-insensitive), or undefined. */
  activeUser(username: string): Rec | undefined;
  /** A new session for the user; returns the session id. */
  newSession(userId: string): string;
  isValid(sessionId: string | null): boolean;
  endSession(sessionId: string): void;
}

export const INVALID_LOGIN = new SoapFault(
  500,
  'sf:INVALID_LOGIN',
  'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
);

export const SESSION_CALLS = ['login', 'logout'];

/** login() or logout(); returns the response envelope or throws a SoapFault. */
export function runSessionCall(ctx: PartnerContext, call: SoapRequest, version: string): string {
  const respond = (inner: string) => partnerEnvelope(call.method, inner);
  switch (call.method) {
    case 'login': {
      const user = ctx.activeUser(String(call.args.username ?? ''));
      if (!user || !String(call.args.password ?? '')) throw INVALID_LOGIN;
      const sessionId = ctx.newSession(String(user.Id));
      const org15 = ctx.orgId.slice(0, 15);
      const userInfo = [
        ['accessibilityMode', 'false'],
        ['currencySymbol', '$'],
        ['orgAttachmentFileSizeLimit', '5242880'],
        ['orgDefaultCurrencyIsoCode', 'USD'],
        ['orgDisallowHtmlAttachments', 'false'],
        ['orgHasPersonAccounts', 'false'],
        ['organizationId', ctx.orgId],
        ['organizationMultiCurrency', 'false'],
        ['organizationName', ctx.organizationName],
        ['profileId', user.ProfileId],
        ['roleId', null],
        ['sessionSecondsValid', '7200'],
        ['userDefaultCurrencyIsoCode', null],
        ['userEmail', user.Email],
        ['userFullName', [user.FirstName, user.LastName].filter(Boolean).join(' ')],
        ['userId', user.Id],
        ['userLanguage', user.LanguageLocaleKey ?? 'en_US'],
        ['userLocale', 'en_US'],
        ['userName', user.Username],
        ['userTimeZone', user.TimeZoneSidKey ?? 'GMT'],
        ['userType', 'Standard'],
        ['userUiSkin', 'Theme3'],
      ]
        .map(([k, v]) =>
          v === null || v === undefined ? `<${k} xsi:nil="true"/>` : `<${k}>${esc(v)}</${k}>`,
        )
        .join('');
      return respond(
        '<result>' +
          `<metadataServerUrl>${esc(`${ctx.instanceUrl}/services/Soap/m/${version}/${org15}`)}</metadataServerUrl>` +
          '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>' +
          `<serverUrl>${esc(`${ctx.instanceUrl}/services/Soap/u/${version}/${org15}`)}</serverUrl>` +
          `<sessionId>${esc(sessionId)}</sessionId><userId>${esc(user.Id)}</userId>` +
          `<userInfo>${userInfo}</userInfo></result>`,
      );
    }
    case 'logout': {
      if (!ctx.isValid(call.sessionId))
        throw new SoapFault(
          500,
          'sf:INVALID_SESSION_ID',
          'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
        );
      ctx.endSession(call.sessionId!);
      return respond('');
    }
    default:
      throw new Error(`not a session call: ${call.method}`);
  }
}
