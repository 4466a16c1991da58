import crypto from 'node:crypto';

/**
 * Webhook authentication primitives. Every comparison is constant-time (crypto.timingSafeEqual on
 * equal-length buffers); a length mismatch is rejected without comparing contents.
 */

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return crypto.timingSafeEqual(left, right);
}

export function hmacSha1Base64(key: string, ...parts: (string | Buffer)[]): string {
  const mac = crypto.createHmac('sha1', key);
  for (const p of parts) mac.update(p);
  return mac.digest('base64');
}

export type AuthResult = { ok: true } | { ok: false; reason: AuthFailure; message: string };
export type AuthFailure =
  | 'signature_missing'
  | 'signature_invalid'
  | 'timestamp_missing'
  | 'timestamp_out_of_window'
  | 'token_missing'
  | 'token_invalid';

const OK: AuthResult = { ok: true };
const fail = (reason: AuthFailure, message: string): AuthResult => ({ ok: false, reason, message });

/** CallRail: header `Signature` = Base64(HMAC-SHA1(signing key, raw body)). */
export function verifyCallRail(
  rawBody: Buffer,
  signature: string | undefined,
  signingKey: string,
): AuthResult {
  if (!signature) return fail('signature_missing', 'the Signature header is missing');
  const expected = hmacSha1Base64(signingKey, rawBody);
  return safeEqual(signature.trim(), expected)
    ? OK
    : fail('signature_invalid', 'the Signature header does not match the body');
}

/** How far X-CTM-Time may be from our clock before a delivery counts as a replay. */
export const CTM_CLOCK_WINDOW_SECONDS = 300;

/**
 * CallTrackingMetrics: `X-CTM-Signature` = Base64(HMAC-SHA1(secret, X-CTM-Time + raw body)), with
 * X-CTM-Time in Unix seconds. The time must be within ±windowSeconds of now: a captured delivery
 * replayed later is refused even though its signature is genuine.
 */
export function verifyCtm(
  rawBody: Buffer,
  signature: string | undefined,
  time: string | undefined,
  secret: string,
  nowMs: number,
  windowSeconds = CTM_CLOCK_WINDOW_SECONDS,
): AuthResult {
  if (!signature) return fail('signature_missing', 'the X-CTM-Signature header is missing');
  if (!time) return fail('timestamp_missing', 'the X-CTM-Time header is missing');
  const seconds = /^\d{1,12}$/.test(time.trim()) ? Number(time.trim()) : NaN;
  if (!Number.isFinite(seconds)) return fail('timestamp_missing', 'X-CTM-Time must be Unix seconds');
  const expected = hmacSha1Base64(secret, time.trim(), rawBody);
  if (!safeEqual(signature.trim(), expected)) {
    return fail('signature_invalid', 'the X-CTM-Signature header does not match X-CTM-Time + body');
  }
  if (Math.abs(nowMs / 1000 - seconds) > windowSeconds) {
    return fail(
      'timestamp_out_of_window',
      `X-CTM-Time is more than ${windowSeconds} s away from the server clock (replay or clock skew)`,
    );
  }
  return OK;
}

/** Vendors without signing: a shared secret in the X-Webhook-Token header or the `token` query parameter. */
export function verifySharedToken(provided: string | undefined, expected: string): AuthResult {
  if (!provided) return fail('token_missing', 'send the shared secret in X-Webhook-Token or ?token=');
  return safeEqual(provided, expected) ? OK : fail('token_invalid', 'the webhook token is wrong');
}
