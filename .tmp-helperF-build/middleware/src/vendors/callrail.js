"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.callrail = void 0;
exports.parseCallRail = parseCallRail;
const fields_1 = require("./fields");
const normalized_call_1 = require("./normalized-call");
const signatures_1 = require("./signatures");
/**
 * CallRail post-call / call-modified webhooks (JSON). Signed: header `Signature` =
 * Base64(HMAC-SHA1(company signing key, raw body)). A call-modified delivery carries the same id, so it
 * updates the Task the post-call delivery created.
 */
exports.callrail = {
    vendor: 'callrail',
    secretEnv: 'CALLRAIL_SIGNING_KEY',
    secret: (config) => config.vendorSecrets.callrailSigningKey,
    authenticate: (delivery, secret) => (0, signatures_1.verifyCallRail)(delivery.rawBody, delivery.headers['signature'], secret),
    parse: parseCallRail,
};
function parseCallRail(f, options) {
    // API v3 ids look like "CAL8154…" (resource_id); the legacy payload has a numeric id.
    const rawId = (0, fields_1.firstText)(f, ['resource_id', 'id']);
    if (rawId === null)
        throw new normalized_call_1.PayloadError('id', 'is required (the CallRail call id)');
    const notes = [];
    const voicemail = (0, fields_1.bool)(f, 'voicemail') === true || (0, fields_1.text)(f, 'call_type') === 'voicemail';
    const answered = (0, fields_1.bool)(f, 'answered') === true;
    // Cookie capture lands in `custom` (a string or an object); some accounts map it to a named field.
    const visitorCandidate = (0, fields_1.findVisitorValue)(f.custom, options.visitorIdKey) ?? (0, fields_1.findVisitorValue)(f[options.visitorIdKey]);
    return {
        kind: 'call',
        notes,
        call: {
            vendor: 'callrail',
            vendorCallId: (0, fields_1.namespacedId)('callrail', rawId, 'id'),
            startedAt: (0, fields_1.instant)(f.start_time ?? f.created_at, 'start_time'),
            durationSeconds: (0, fields_1.seconds)(f, 'duration') ?? 0,
            direction: (0, fields_1.directionFrom)((0, fields_1.text)(f, 'direction'), 'direction'),
            outcome: voicemail ? 'voicemail' : answered ? 'answered' : 'missed',
            callerNumber: (0, fields_1.phone)(f, ['customer_phone_number', 'callernum'], options.phoneRegion),
            trackingNumber: (0, fields_1.phone)(f, ['tracking_phone_number', 'trackingnum'], options.phoneRegion),
            source: (0, fields_1.firstText)(f, ['source_name', 'source', 'formatted_tracking_source']),
            campaign: (0, fields_1.firstText)(f, ['campaign', 'utm_campaign']),
            recordingUrl: (0, fields_1.firstText)(f, ['recording_player', 'recording']),
            visitorId: (0, fields_1.visitorId)(visitorCandidate, 'custom', notes),
        },
    };
}
//# sourceMappingURL=callrail.js.map