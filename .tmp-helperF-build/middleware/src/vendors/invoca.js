"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.invoca = void 0;
exports.parseInvoca = parseInvoca;
const adapter_1 = require("./adapter");
const fields_1 = require("./fields");
const normalized_call_1 = require("./normalized-call");
const signatures_1 = require("./signatures");
/**
 * Invoca post-call webhooks. The body is a template the customer builds from Invoca's transaction
 * fields; Invoca documents no signature, so a shared secret authenticates it. The call id is
 * complete_call_id, not transaction_id: a correction arrives as a new transaction of the same call
 * and must update the same Task.
 */
exports.invoca = {
    vendor: 'invoca',
    secretEnv: 'INVOCA_WEBHOOK_TOKEN',
    secret: (config) => config.vendorSecrets.invocaWebhookToken,
    authenticate: (d, secret) => (0, signatures_1.verifySharedToken)((0, adapter_1.sharedToken)(d), secret),
    parse: parseInvoca,
};
function parseInvoca(f, options) {
    const rawId = (0, fields_1.text)(f, 'complete_call_id');
    if (rawId === null)
        throw new normalized_call_1.PayloadError('complete_call_id', 'is required (Invoca Call Record ID)');
    const type = (0, fields_1.text)(f, 'transaction_type');
    if (type && !/^call$/i.test(type))
        return { kind: 'ignored', reason: `transaction_type ${type} is not a call` };
    const notes = [];
    const customData = f.custom_data;
    const duration = (0, fields_1.seconds)(f, 'duration') ?? 0;
    const connected = (0, fields_1.seconds)(f, 'connect_duration');
    const result = (0, fields_1.text)(f, 'call_result_description_detail') ?? '';
    return {
        kind: 'call',
        notes,
        call: {
            vendor: 'invoca',
            vendorCallId: (0, fields_1.namespacedId)('invoca', rawId, 'complete_call_id'),
            startedAt: (0, fields_1.instant)(f.start_time_utc ?? f.start_time_local, f.start_time_utc !== undefined ? 'start_time_utc' : 'start_time_local'),
            durationSeconds: duration,
            direction: 'inbound',
            outcome: /voice\s?mail/i.test(result)
                ? 'voicemail'
                : (connected ?? duration) > 0
                    ? 'answered'
                    : 'missed',
            callerNumber: (0, fields_1.phone)(f, ['calling_phone_number'], options.phoneRegion),
            // The promo number dialed; templates often include it as dialed_phone_number.
            trackingNumber: (0, fields_1.phone)(f, ['dialed_phone_number', 'promo_number', 'call_source_description'], options.phoneRegion),
            source: (0, fields_1.firstText)(f, ['utm_source']) ??
                (typeof customData === 'object' && customData ? (0, fields_1.text)(customData, 'utm_source') : null) ??
                (0, fields_1.firstText)(f, ['media_type']),
            campaign: (0, fields_1.firstText)(f, ['advertiser_campaign_name', 'utm_campaign']),
            recordingUrl: (0, fields_1.firstText)(f, ['recording', 'recording_download_url']),
            visitorId: (0, fields_1.visitorId)((0, fields_1.findVisitorValue)(customData, options.visitorIdKey) ?? (0, fields_1.findVisitorValue)(f[options.visitorIdKey]), 'custom_data', notes),
        },
    };
}
//# sourceMappingURL=invoca.js.map