"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_BIZIBLE_ID_FIELD = void 0;
exports.bizibleIdOf = bizibleIdOf;
exports.callTimeWithBasis = callTimeWithBasis;
exports.callTime = callTime;
exports.isCallTask = isCallTask;
exports.taskTypeOf = taskTypeOf;
exports.whoOf = whoOf;
const time_1 = require("./time");
/** R1: the Task field holding the visitor cookie, unless configured otherwise (BIZIBLE_ID_FIELD). */
exports.DEFAULT_BIZIBLE_ID_FIELD = 'BizibleId__c';
/** R1: the Task's BizibleId (trimmed, lower-cased like the `_biz_uid` cookie), or null when empty. */
function bizibleIdOf(task, field = exports.DEFAULT_BIZIBLE_ID_FIELD) {
    const v = task[field];
    if (typeof v !== 'string')
        return null;
    const id = v.trim().toLowerCase();
    return id === '' ? null : id;
}
/**
 * R3: call start = Call_Started_At__c if set; otherwise CreatedDate minus CallDurationInSeconds
 * (vendors create the Task when the call ends); otherwise CreatedDate. UTC instants only.
 * Null when the Task carries no usable date.
 */
function callTimeWithBasis(task) {
    const started = (0, time_1.parseInstant)(task.Call_Started_At__c);
    if (started !== null)
        return { at: started, basis: 'Call_Started_At__c' };
    const created = (0, time_1.parseInstant)(task.CreatedDate);
    if (created === null)
        return null;
    const duration = task.CallDurationInSeconds;
    if (typeof duration === 'number' && Number.isFinite(duration) && duration > 0)
        return { at: created - Math.round(duration * 1000), basis: 'CreatedDate - CallDurationInSeconds' };
    return { at: created, basis: 'CreatedDate' };
}
/** R3 call time in epoch ms, or null when the Task has no usable date. */
function callTime(task) {
    return callTimeWithBasis(task)?.at ?? null;
}
/**
 * A Task that looks like a phone call: Type or TaskSubtype "Call" (or a Type naming a call, e.g.
 * "Phone Call"), or CallType set. Used for R2: a call without BizibleId gets "Missing BizibleId";
 * a Task that is neither a call nor carries a BizibleId is ignored (no record).
 */
function isCallTask(task) {
    const type = typeof task.Type === 'string' ? task.Type : '';
    return (/\bcall\b/i.test(type) ||
        (typeof task.TaskSubtype === 'string' && task.TaskSubtype.toLowerCase() === 'call') ||
        (typeof task.CallType === 'string' && task.CallType.trim() !== ''));
}
/** Task.Type trimmed, or null when empty (R7). */
function taskTypeOf(task) {
    return typeof task.Type === 'string' && task.Type.trim() !== '' ? task.Type.trim() : null;
}
/** Lead__c / Contact__c from Task.WhoId by key prefix (00Q = Lead, 003 = Contact). */
function whoOf(task) {
    const who = typeof task.WhoId === 'string' ? task.WhoId : '';
    return {
        lead: who.startsWith('00Q') ? who : null,
        contact: who.startsWith('003') ? who : null,
    };
}
//# sourceMappingURL=calls.js.map