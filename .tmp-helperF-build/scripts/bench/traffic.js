"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.BROWSER_UA = void 0;
exports.newVisitorId = newVisitorId;
exports.adClickPageView = adClickPageView;
exports.innerPageView = innerPageView;
exports.postCollect = postCollect;
exports.callRailDelivery = callRailDelivery;
const node_crypto_1 = __importDefault(require("node:crypto"));
/**
 * Synthetic but realistic traffic for the benchmarks that drive a running `serve`: tracking
 * events as the snippet posts them to /collect and CallRail webhooks as CallRail signs them.
 */
/** A browser's user agent: /collect drops bots (isbot), and Node's default UA may look like one. */
exports.BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
/** `_biz_uid`: 32 lowercase hex characters. */
function newVisitorId() {
    return node_crypto_1.default.randomBytes(16).toString('hex');
}
/** A paid-search arrival (gclid + UTM tags, Google referrer): the typical call-driving session. */
function adClickPageView(visitorId, campaign = 'spring_promo') {
    const gclid = node_crypto_1.default.randomBytes(12).toString('base64url');
    return {
        type: 'page_view',
        visitorId,
        url: `https://www.example-plumbing.com/emergency?utm_source=google&utm_medium=cpc&utm_campaign=${campaign}&gclid=${gclid}`,
        referrer: 'https://www.google.com/',
    };
}
/** A later page of the same visit (no referrer change: extends the session, R4). */
function innerPageView(visitorId, n) {
    return {
        type: 'page_view',
        visitorId,
        url: `https://www.example-plumbing.com/services/page-${n}`,
        referrer: 'https://www.example-plumbing.com/emergency',
    };
}
/** POST /collect {"events": [...]}; resolves with the HTTP status (204 = all stored). */
async function postCollect(baseUrl, events) {
    const res = await fetch(`${baseUrl}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': exports.BROWSER_UA },
        body: JSON.stringify({ events }),
    });
    await res.arrayBuffer();
    return res.status;
}
/** A CallRail post-call webhook for a call that ended just now, carrying the visitor's cookie. */
function callRailDelivery(signingKey, call) {
    const body = JSON.stringify({
        resource_id: call.id,
        answered: true,
        direction: 'inbound',
        duration: String(call.durationSeconds),
        start_time: call.startedAt.toISOString(),
        customer_phone_number: '+15555550123',
        tracking_phone_number: '+15555550100',
        source_name: 'Google Ads',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_campaign: 'spring_promo',
        landing_page_url: 'https://www.example-plumbing.com/emergency',
        recording: null,
        custom: { _biz_uid: call.visitorId },
    });
    const signature = node_crypto_1.default.createHmac('sha1', signingKey).update(body).digest('base64');
    return { body, headers: { 'content-type': 'application/json', signature } };
}
//# sourceMappingURL=traffic.js.map