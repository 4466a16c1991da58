"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.generic = void 0;
exports.parseMapped = parseMapped;
const adapter_1 = require("./adapter");
const fields_1 = require("./fields");
const normalized_call_1 = require("./normalized-call");
const signatures_1 = require("./signatures");
/**
 * Any vendor that can send a templated webhook (JSON, form fields or query parameters): the field map
 * says which parameter holds which value (GENERIC_FIELD_MAP). Shared-secret authentication.
 */
exports.generic = {
    vendor: 'generic',
    secretEnv: 'GENERIC_WEBHOOK_TOKEN',
    secret: (config) => config.vendorSecrets.genericWebhookToken,
    authenticate: (d, secret) => (0, signatures_1.verifySharedToken)((0, adapter_1.sharedToken)(d), secret),
    parse: (f, options) => parseMapped('generic', f, options.genericFieldMap, options),
};
function parseMapped(vendor, f, map, options) {
    const notes = [];
    const outcomeText = (0, fields_1.text)(f, map.outcome);
    const outcome = (0, fields_1.outcomeFromStatus)(outcomeText);
    if (outcomeText !== null && outcome === null) {
        throw new normalized_call_1.PayloadError(map.outcome, `must be answered, missed or voicemail, got ${JSON.stringify(outcomeText)}`);
    }
    const duration = (0, fields_1.seconds)(f, map.duration) ?? 0;
    if (f[map.startTime] === undefined)
        throw new normalized_call_1.PayloadError(map.startTime, 'is required');
    return {
        kind: 'call',
        notes,
        call: {
            vendor,
            vendorCallId: (0, fields_1.namespacedId)(vendor, (0, fields_1.requiredText)(f, map.callId), map.callId),
            startedAt: (0, fields_1.instant)(f[map.startTime], map.startTime, map.startTimeOffset),
            durationSeconds: duration,
            direction: (0, fields_1.directionFrom)((0, fields_1.text)(f, map.direction), map.direction),
            outcome: outcome ?? (duration > 0 ? 'answered' : 'missed'),
            callerNumber: (0, fields_1.phone)(f, [map.callerNumber], options.phoneRegion),
            trackingNumber: (0, fields_1.phone)(f, [map.trackingNumber], options.phoneRegion),
            source: (0, fields_1.text)(f, map.source),
            campaign: (0, fields_1.text)(f, map.campaign),
            recordingUrl: (0, fields_1.text)(f, map.recordingUrl),
            visitorId: (0, fields_1.visitorId)((0, fields_1.findVisitorValue)(f[map.visitorId]), map.visitorId, notes),
        },
    };
}
//# sourceMappingURL=generic.js.map