import { isNetworkErrorCode } from '../retry';

/**
 * The one classification of Salesforce failures, used by the port's retries, the calls pipeline and
 * the pages' error answer (it replaces three separate "is the org down?" checks).
 *
 * - `auth`: the session is invalid and could not be refreshed (INVALID_SESSION_ID).
 * - `limit-exceeded`: the org's rolling 24-hour API allowance is used up (REQUEST_LIMIT_EXCEEDED,
 *   "API Request Limits and Allocations":
 *   https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm).
 * - `org-down`: no answer (network) or a server-side failure (5xx, SERVER_UNAVAILABLE).
 * - `retryable`: the request was fine but lost a race (UNABLE_TO_LOCK_ROW).
 * - `record`: anything else: this request or record is wrong, and sending it again will not help.
 */
export type ErrorClass = 'auth' | 'limit-exceeded' | 'org-down' | 'retryable' | 'record';

/** The error code of a thrown error (jsforce `errorCode`, our `code`, a socket error's `cause.code`). */
export function errorCode(err: unknown): string {
  const e = err as { errorCode?: unknown; code?: unknown; name?: unknown; cause?: { code?: unknown } };
  for (const c of [e?.errorCode, e?.cause?.code, e?.code]) if (typeof c === 'string' && c) return c;
  return typeof e?.name === 'string' && /^[A-Z_0-9]+$/.test(e.name) ? e.name : 'UNKNOWN';
}

/** SOAP faults (Metadata API) arrive as "sf:INVALID_SESSION_ID". */
export function faultCode(code: string): string {
  return code.replace(/^[a-z]+:/, '');
}

export function classifyCode(code: string): ErrorClass {
  const c = faultCode(code);
  if (c === 'INVALID_SESSION_ID') return 'auth';
  if (c === 'REQUEST_LIMIT_EXCEEDED') return 'limit-exceeded';
  if (c === 'SERVER_UNAVAILABLE' || /^ERROR_HTTP_5\d\d$/.test(c) || isNetworkErrorCode(c)) return 'org-down';
  if (c === 'UNABLE_TO_LOCK_ROW') return 'retryable';
  return 'record';
}

export function classifyError(err: unknown): ErrorClass {
  // node-fetch's FetchError carries no code when the socket failed before an answer.
  if ((err as { name?: unknown })?.name === 'FetchError') return 'org-down';
  return classifyCode(errorCode(err));
}

/**
 * The org cannot take requests right now (down, out of allowance, or our session is dead): nothing
 * else queued for it should be tried now, and pages answer 503 instead of 500.
 */
export function isOrgUnavailable(err: unknown): boolean {
  const c = classifyError(err);
  return c === 'org-down' || c === 'limit-exceeded' || c === 'auth';
}

/** Worth sending again after a pause: the org failed or a row was locked, not the request itself. */
export function isRetryableCode(code: string): boolean {
  const c = classifyCode(code);
  return c === 'org-down' || c === 'retryable';
}
