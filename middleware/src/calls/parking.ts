import { classifyCode, classifyError } from '../salesforce/error-class';

/**
 * Set aside, don't stall (docs/security.md; issue 24), pure: a call the org refuses for its own
 * content — an error of class `record` (salesforce/error-class.ts), which sending again will not
 * change — is tried MAX_REFUSED_ATTEMPTS times (a value may have been refused because of something a
 * person fixes in the org meanwhile, such as a validation rule or a field's access), then parked
 * with its reason: visible on /metrics, in the log, on the calls page and in `call-touchpoints
 * outbox`, where a person retries or discards it. Every other failure (org down, out of allowance,
 * a locked row) waits with backoff as before: it is the org's state, not the call's.
 */
export const MAX_REFUSED_ATTEMPTS = 5;

/** The org refused this record or request for its content. */
export function isRefusal(err: unknown): boolean {
  return classifyError(err) === 'record';
}

/** Every per-record error of a refused create is about its content (none is a lock or an outage). */
export function isRefusalCodes(codes: readonly string[]): boolean {
  return codes.length > 0 && codes.every((c) => classifyCode(c) === 'record');
}

/** Park instead of retrying: a refusal, and this was its last allowed attempt. */
export function shouldPark(refused: boolean, attemptsBefore: number): boolean {
  return refused && attemptsBefore + 1 >= MAX_REFUSED_ATTEMPTS;
}
