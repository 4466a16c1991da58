"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VENDOR_CALL_ID_FIELD = void 0;
exports.taskSubject = taskSubject;
exports.taskDescription = taskDescription;
exports.taskFields = taskFields;
exports.findWhoIdByPhone = findWhoIdByPhone;
exports.upsertCallTask = upsertCallTask;
const metrics_1 = require("../metrics");
const phone_1 = require("../vendors/phone");
const gateway_1 = require("./gateway");
const soql_1 = require("./soql");
/**
 * A vendor call as a Salesforce Task (issue 6). The Task is keyed by Vendor_Call_Id__c (external id,
 * unique), so retries, concurrent deliveries and corrections all land on one Task (R11).
 */
exports.VENDOR_CALL_ID_FIELD = 'Vendor_Call_Id__c';
const VENDOR_LABELS = {
    callrail: 'CallRail',
    calltrackingmetrics: 'CallTrackingMetrics',
    invoca: 'Invoca',
    dialogtech: 'DialogTech',
    generic: 'call tracking webhook',
};
/** "Call from +1 555 555 0123 (Google Ads)". */
function taskSubject(call) {
    const who = call.callerNumber ? (0, phone_1.formatForDisplay)(call.callerNumber) : 'unknown number';
    const verb = call.direction === 'outbound' ? 'Call to' : 'Call from';
    const subject = `${verb} ${who}${call.source ? ` (${call.source})` : ''}`;
    return subject.length > 255 ? `${subject.slice(0, 254)}…` : subject;
}
function taskDescription(call) {
    const lines = [
        `${VENDOR_LABELS[call.vendor]} call ${call.vendorCallId}`,
        `Outcome: ${call.outcome}, ${call.durationSeconds} s`,
        call.trackingNumber ? `Tracking number: ${(0, phone_1.formatForDisplay)(call.trackingNumber)}` : null,
        call.source ? `Source: ${call.source}` : null,
        call.campaign ? `Campaign: ${call.campaign}` : null,
        call.recordingUrl ? `Recording: ${call.recordingUrl}` : null,
    ];
    return lines.filter(Boolean).join('\n');
}
/**
 * The Task's fields, pure. `update` is what a later delivery may change; `create` adds the fields
 * that are set once: TaskSubtype (settable only on create, design §3) and OwnerId (a rep may have
 * reassigned the Task since). A delivery without a visitor id never clears a BizibleId already there.
 */
function taskFields(call, opts) {
    const update = {
        Subject: taskSubject(call),
        Type: 'Call',
        CallType: call.direction === 'outbound' ? 'Outbound' : 'Inbound',
        CallDurationInSeconds: call.durationSeconds,
        CallObject: call.vendorCallId,
        CallDisposition: call.outcome,
        Status: 'Completed',
        // UTC date of the call (R3: instants, not local wall-clock).
        ActivityDate: call.startedAt.slice(0, 10),
        Call_Started_At__c: call.startedAt,
        Description: taskDescription(call),
    };
    if (call.visitorId)
        update[(0, soql_1.soqlName)(opts.bizibleIdField)] = call.visitorId;
    const create = {
        ...update,
        TaskSubtype: 'Call',
        [exports.VENDOR_CALL_ID_FIELD]: call.vendorCallId,
    };
    if (opts.ownerId)
        create.OwnerId = opts.ownerId;
    return { create, update };
}
function count(kind) {
    metrics_1.salesforceRequests.inc({ kind });
}
/**
 * The one Lead or Contact whose Phone or MobilePhone is this number (any common spelling of it).
 * None or several → null: a wrong link is worse than none, and the log says which it was.
 * Converted Leads are skipped (their Contact carries the number on).
 */
async function findWhoIdByPhone(conn, e164, log) {
    const list = (0, soql_1.soqlList)((0, phone_1.phoneSpellings)(e164));
    const where = `(Phone IN (${list}) OR MobilePhone IN (${list}))`;
    count('query');
    const leads = await conn.query(`SELECT Id FROM Lead WHERE IsConverted = false AND ${where} LIMIT 2`);
    count('query');
    const contacts = await conn.query(`SELECT Id FROM Contact WHERE ${where} LIMIT 2`);
    const ids = [...leads.records, ...contacts.records].map((r) => r.Id);
    if (ids.length === 1)
        return ids[0];
    log.info({ callerNumber: e164, matches: ids.length }, ids.length === 0
        ? 'no Lead or Contact has this caller number: Task left without WhoId'
        : 'several Leads/Contacts have this caller number: Task left without WhoId');
    return null;
}
async function taskIdByVendorCallId(conn, vendorCallId) {
    count('query');
    const res = await conn.query(`SELECT Id FROM Task WHERE ${exports.VENDOR_CALL_ID_FIELD} = ${(0, soql_1.soqlString)(vendorCallId)} LIMIT 1`);
    return res.records[0]?.Id ?? null;
}
/**
 * Creates or updates the call's Task. Cheapest correct order: try the create (one request, carries the
 * create-only TaskSubtype); the unique Vendor_Call_Id__c answers DUPLICATE_VALUE when the Task already
 * exists (a retry, a correction, or a concurrent writer that won the race) and we then upsert by the
 * external id without the create-only fields.
 */
async function upsertCallTask(conn, call, opts) {
    const whoId = call.callerNumber ? await findWhoIdByPhone(conn, call.callerNumber, opts.logger) : null;
    const { create, update } = taskFields(call, opts);
    // A match found now is linked; no match never unlinks what a rep set by hand.
    if (whoId) {
        create.WhoId = whoId;
        update.WhoId = whoId;
    }
    try {
        count('sobject');
        const res = (await conn.sobject('Task').create(create));
        if (res.id)
            return { taskId: res.id, created: true, whoId };
        throw new Error(`Task create returned no id for ${call.vendorCallId}`);
    }
    catch (err) {
        if ((0, gateway_1.errorCode)(err) !== 'DUPLICATE_VALUE') {
            metrics_1.salesforceErrors.inc({ code: (0, gateway_1.errorCode)(err) });
            throw err;
        }
    }
    count('sobject');
    // jsforce puts the external id value into the URL path unencoded; encode it ourselves.
    const res = (await conn
        .sobject('Task')
        .upsert({ ...update, [exports.VENDOR_CALL_ID_FIELD]: encodeURIComponent(call.vendorCallId) }, exports.VENDOR_CALL_ID_FIELD));
    const taskId = res.id ?? (await taskIdByVendorCallId(conn, call.vendorCallId));
    if (!taskId)
        throw new Error(`Task for ${call.vendorCallId} not found after upsert`);
    return { taskId, created: res.created === true, whoId };
}
//# sourceMappingURL=tasks.js.map