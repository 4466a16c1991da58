"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CTM_CLOCK_WINDOW_SECONDS = void 0;
exports.safeEqual = safeEqual;
exports.hmacSha1Base64 = hmacSha1Base64;
exports.verifyCallRail = verifyCallRail;
exports.verifyCtm = verifyCtm;
exports.verifySharedToken = verifySharedToken;
const node_crypto_1 = __importDefault(require("node:crypto"));
/**
 * Webhook authentication primitives. Every comparison is constant-time (crypto.timingSafeEqual on
 * equal-length buffers); a length mismatch is rejected without comparing contents.
 */
function safeEqual(a, b) {
    const left = Buffer.from(a, 'utf8');
    const right = Buffer.from(b, 'utf8');
    if (left.length !== right.length)
        return false;
    return node_crypto_1.default.timingSafeEqual(left, right);
}
function hmacSha1Base64(key, ...parts) {
    const mac = node_crypto_1.default.createHmac('sha1', key);
    for (const p of parts)
        mac.update(p);
    return mac.digest('base64');
}
const OK = { ok: true };
const fail = (reason, message) => ({ ok: false, reason, message });
/** CallRail: header `Signature` = Base64(HMAC-SHA1(signing key, raw body)). */
function verifyCallRail(rawBody, signature, signingKey) {
    if (!signature)
        return fail('signature_missing', 'the Signature header is missing');
    const expected = hmacSha1Base64(signingKey, rawBody);
    return safeEqual(signature.trim(), expected)
        ? OK
        : fail('signature_invalid', 'the Signature header does not match the body');
}
/** How far X-CTM-Time may be from our clock before a delivery counts as a replay. */
exports.CTM_CLOCK_WINDOW_SECONDS = 300;
/**
 * CallTrackingMetrics: `X-CTM-Signature` = Base64(HMAC-SHA1(secret, X-CTM-Time + raw body)), with
 * X-CTM-Time in Unix seconds. The time must be within ±windowSeconds of now: a captured delivery
 * replayed later is refused even though its signature is genuine.
 */
function verifyCtm(rawBody, signature, time, secret, nowMs, windowSeconds = exports.CTM_CLOCK_WINDOW_SECONDS) {
    if (!signature)
        return fail('signature_missing', 'the X-CTM-Signature header is missing');
    if (!time)
        return fail('timestamp_missing', 'the X-CTM-Time header is missing');
    const seconds = /^\d{1,12}$/.test(time.trim()) ? Number(time.trim()) : NaN;
    if (!Number.isFinite(seconds))
        return fail('timestamp_missing', 'X-CTM-Time must be Unix seconds');
    const expected = hmacSha1Base64(secret, time.trim(), rawBody);
    if (!safeEqual(signature.trim(), expected)) {
        return fail('signature_invalid', 'the X-CTM-Signature header does not match X-CTM-Time + body');
    }
    if (Math.abs(nowMs / 1000 - seconds) > windowSeconds) {
        return fail('timestamp_out_of_window', `X-CTM-Time is more than ${windowSeconds} s away from the server clock (replay or clock skew)`);
    }
    return OK;
}
/** Vendors without signing: a shared secret in the X-Webhook-Token header or the `token` query parameter. */
function verifySharedToken(provided, expected) {
    if (!provided)
        return fail('token_missing', 'send the shared secret in X-Webhook-Token or ?token=');
    return safeEqual(provided, expected) ? OK : fail('token_invalid', 'the webhook token is wrong');
}
//# sourceMappingURL=signatures.js.map