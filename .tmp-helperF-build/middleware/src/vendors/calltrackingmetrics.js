"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.calltrackingmetrics = void 0;
exports.parseCtm = parseCtm;
const fields_1 = require("./fields");
const normalized_call_1 = require("./normalized-call");
const signatures_1 = require("./signatures");
/**
 * CallTrackingMetrics start- and end-of-call webhooks (JSON). Signed: `X-CTM-Signature` =
 * Base64(HMAC-SHA1(secret, X-CTM-Time + raw body)); X-CTM-Time must be within the replay window.
 * Both deliveries carry the same call id, so the end-of-call one completes the Task the start created.
 */
exports.calltrackingmetrics = {
    vendor: 'calltrackingmetrics',
    secretEnv: 'CTM_WEBHOOK_SECRET',
    secret: (config) => config.vendorSecrets.ctmWebhookSecret,
    authenticate: (d, secret, options) => (0, signatures_1.verifyCtm)(d.rawBody, d.headers['x-ctm-signature'], d.headers['x-ctm-time'], secret, d.nowMs, options.ctmClockWindowSeconds),
    parse: parseCtm,
};
function parseCtm(f, options) {
    const direction = (0, fields_1.text)(f, 'direction');
    if (direction && /^msg_|^sms|text/i.test(direction))
        return { kind: 'ignored', reason: `not a call (${direction})` };
    const rawId = (0, fields_1.firstText)(f, ['id', 'sid']);
    if (rawId === null)
        throw new normalized_call_1.PayloadError('id', 'is required (the CTM call id)');
    const notes = [];
    const status = (0, fields_1.firstText)(f, ['dial_status', 'status', 'call_status']);
    const outcome = (0, fields_1.bool)(f, 'is_voicemail') === true || (0, fields_1.bool)(f, 'voicemail') === true
        ? 'voicemail'
        : (0, fields_1.outcomeFromStatus)(status);
    const started = f.unix_time ?? f.called_at;
    if (started === undefined || started === null || started === '') {
        throw new normalized_call_1.PayloadError('unix_time', 'is required (or called_at)');
    }
    return {
        kind: 'call',
        notes,
        call: {
            vendor: 'calltrackingmetrics',
            vendorCallId: (0, fields_1.namespacedId)('calltrackingmetrics', rawId, 'id'),
            startedAt: (0, fields_1.instant)(started, f.unix_time !== undefined ? 'unix_time' : 'called_at'),
            durationSeconds: (0, fields_1.seconds)(f, 'duration') ?? (0, fields_1.seconds)(f, 'talk_time') ?? 0,
            direction: (0, fields_1.directionFrom)(direction, 'direction'),
            outcome: outcome ?? (((0, fields_1.seconds)(f, 'talk_time') ?? 0) > 0 ? 'answered' : 'missed'),
            callerNumber: (0, fields_1.phone)(f, ['caller_number', 'caller_number_complete', 'caller_number_format'], options.phoneRegion),
            trackingNumber: (0, fields_1.phone)(f, ['tracking_number', 'tracking_number_format'], options.phoneRegion),
            source: (0, fields_1.firstText)(f, ['source', 'tracking_source']),
            campaign: (0, fields_1.firstText)(f, ['campaign', 'tracking_label']),
            recordingUrl: (0, fields_1.firstText)(f, ['audio', 'recording_url']),
            visitorId: (0, fields_1.visitorId)((0, fields_1.findVisitorValue)(f.custom_fields, options.visitorIdKey) ?? (0, fields_1.findVisitorValue)(f[options.visitorIdKey]), 'custom_fields', notes),
        },
    };
}
//# sourceMappingURL=calltrackingmetrics.js.map