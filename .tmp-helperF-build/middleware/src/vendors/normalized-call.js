"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PayloadError = exports.normalizedCallSchema = exports.VISITOR_ID = exports.VENDORS = exports.CALL_OUTBOX_KIND = void 0;
const zod_1 = require("zod");
/**
 * One phone call as every vendor adapter reports it, whatever the vendor's payload looked like.
 * This is what the webhook stores in the outbox and what becomes a Salesforce Task.
 */
/** Outbox kind for calls waiting to become Tasks. */
exports.CALL_OUTBOX_KIND = 'call';
exports.VENDORS = ['calltrackingmetrics', 'callrail', 'invoca', 'dialogtech', 'generic'];
/** `_biz_uid`: 32 lowercase hex characters (design §1). */
exports.VISITOR_ID = /^[0-9a-f]{32}$/;
exports.normalizedCallSchema = zod_1.z.object({
    vendor: zod_1.z.enum(exports.VENDORS),
    /** Namespaced by vendor (`callrail:CAL…`, `invoca:<complete_call_id>`): the Task's Vendor_Call_Id__c. */
    vendorCallId: zod_1.z.string().min(3).max(255),
    /** Call start, UTC ISO-8601 instant (R3: never local wall-clock). */
    startedAt: zod_1.z.iso.datetime(),
    durationSeconds: zod_1.z.number().int().min(0),
    direction: zod_1.z.enum(['inbound', 'outbound']),
    outcome: zod_1.z.enum(['answered', 'missed', 'voicemail']),
    /** E.164, null when the caller id was blocked or unparseable. */
    callerNumber: zod_1.z.string().nullable(),
    trackingNumber: zod_1.z.string().nullable(),
    /** As the vendor reports them (e.g. "Google Ads", "Spring Promo"). */
    source: zod_1.z.string().nullable(),
    campaign: zod_1.z.string().nullable(),
    recordingUrl: zod_1.z.string().nullable(),
    /** `_biz_uid` captured by the vendor, already validated; becomes BizibleId (R1). */
    visitorId: zod_1.z.string().regex(exports.VISITOR_ID).nullable(),
});
/** A payload we cannot turn into a call: answered 400 naming the field at fault. */
class PayloadError extends Error {
    field;
    constructor(field, message) {
        super(`${field}: ${message}`);
        this.field = field;
        this.name = 'PayloadError';
    }
}
exports.PayloadError = PayloadError;
//# sourceMappingURL=normalized-call.js.map