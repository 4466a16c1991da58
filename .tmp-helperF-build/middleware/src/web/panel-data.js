"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MISSING_ID_NEXT_STEP = exports.RECORD_ID = void 0;
exports.loadPanelData = loadPanelData;
exports.buildPanelData = buildPanelData;
exports.headerLine = headerLine;
const soql_1 = require("../salesforce/soql");
const TASK_FIELDS = [
    'Id',
    'Subject',
    'Type',
    'CreatedDate',
    'CallDurationInSeconds',
    'Call_Started_At__c',
    'Call_Join_Status__c',
    'Call_Join_Detail__c',
    'Call_Touchpoint__c',
];
const TOUCHPOINT_FIELDS = [
    'Id',
    'Touchpoint_Type__c',
    'Medium__c',
    'Channel__c',
    'Subchannel__c',
    'Source__c',
    'Campaign__c',
    'Ad_Content__c',
    'Keyword__c',
    'Landing_Page__c',
    'Referrer_Page__c',
    'Position__c',
    'First_Touch_Percent__c',
    'Lead_Creation_Percent__c',
    'U_Shaped_Percent__c',
    'Touchpoint_Date__c',
    'Merge_Status__c',
    'Web_Session__c',
];
const SESSION_FIELDS = [
    'Id',
    'Started_At__c',
    'Last_Activity_At__c',
    'Landing_Page__c',
    'Referrer_Page__c',
    'Channel__c',
    'Subchannel__c',
    'Source__c',
    'Medium__c',
    'Campaign__c',
    'Content__c',
    'Term__c',
    'Click_Id__c',
    'Page_Views__c',
    'Form_Submits__c',
];
/** Salesforce record ids: 15 or 18 alphanumeric characters. Anything else is never queried. */
exports.RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
exports.MISSING_ID_NEXT_STEP = 'Check that the call-tracking vendor captures the _biz_uid cookie and sends it with the call (ask your Salesforce admin).';
const STANDALONE_NEXT_STEP = 'The call is still counted as a touchpoint of its own. If the caller did visit the website, check that the tracking snippet is on every page.';
const PENDING_DETAIL = 'The call has not been joined to web sessions yet; this normally takes a few seconds.';
const NO_TOUCHPOINT_DETAIL = 'The call was joined but its touchpoint record is not in the org (deleted, or not shared with you).';
function str(v) {
    return typeof v === 'string' && v !== '' ? v : null;
}
function num(v) {
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function pick(row, fields) {
    const out = {};
    for (const f of fields)
        out[f] = row[f] ?? null;
    return out;
}
/** Reads the three records the panel needs; the Task's BizibleId field name is configurable (R1). */
async function loadPanelData(conn, taskId, options) {
    if (!exports.RECORD_ID.test(taskId))
        return buildPanelData(null, null, null);
    const tasks = await conn.query(`SELECT ${[...TASK_FIELDS, (0, soql_1.soqlName)(options.bizibleIdField)].join(', ')} FROM Task WHERE Id = ${(0, soql_1.soqlString)(taskId)} LIMIT 1`);
    const taskRow = tasks.records[0];
    if (!taskRow)
        return buildPanelData(null, null, null);
    const task = { ...pick(taskRow, TASK_FIELDS), BizibleId: str(taskRow[options.bizibleIdField]) };
    let touchpoint = null;
    let session = null;
    const touchpointId = str(task.Call_Touchpoint__c);
    if (touchpointId && exports.RECORD_ID.test(touchpointId)) {
        const tps = await conn.query(`SELECT ${TOUCHPOINT_FIELDS.join(', ')} FROM Touchpoint__c WHERE Id = ${(0, soql_1.soqlString)(touchpointId)} LIMIT 1`);
        if (tps.records[0])
            touchpoint = pick(tps.records[0], TOUCHPOINT_FIELDS);
    }
    const sessionId = str(touchpoint?.Web_Session__c);
    if (sessionId && exports.RECORD_ID.test(sessionId)) {
        const ss = await conn.query(`SELECT ${SESSION_FIELDS.join(', ')} FROM Web_Session__c WHERE Id = ${(0, soql_1.soqlString)(sessionId)} LIMIT 1`);
        if (ss.records[0])
            session = pick(ss.records[0], SESSION_FIELDS);
    }
    return buildPanelData(task, touchpoint, session);
}
/** Pure: the panel's state, header, badges and timeline from the three records. */
function buildPanelData(task, touchpoint, session) {
    if (!task) {
        return {
            state: 'not-found',
            task: null,
            touchpoint: null,
            session: null,
            header: 'Task not found',
            detail: 'No Task with this id exists in the org, or you have no access to it.',
            nextStep: null,
            positions: [],
            timeline: [],
        };
    }
    // Same decisions, in the same order, as CallTouchpointController.getPanel.
    const status = str(task.Call_Join_Status__c);
    let state;
    if (!str(task.Call_Touchpoint__c)) {
        if (status === 'Missing BizibleId' || !task.BizibleId)
            state = 'missing-id';
        else if (!status || status === 'Pending')
            state = 'pending';
        else
            state = 'no-touchpoint';
    }
    else if (!touchpoint)
        state = 'no-touchpoint';
    else
        state = session || status === 'Merged' ? 'merged' : 'standalone';
    const positions = (touchpoint?.Position__c ?? '')
        .split(/[,;]/)
        .map((p) => p.trim())
        .filter(Boolean);
    return {
        state,
        task,
        touchpoint,
        session,
        header: headerLine(state, touchpoint, session),
        detail: str(task.Call_Join_Detail__c) ??
            (state === 'pending' ? PENDING_DETAIL : state === 'no-touchpoint' ? NO_TOUCHPOINT_DETAIL : null),
        nextStep: state === 'missing-id' ? exports.MISSING_ID_NEXT_STEP : state === 'standalone' ? STANDALONE_NEXT_STEP : null,
        positions,
        timeline: state === 'merged' ? timeline(task, touchpoint, session) : [],
    };
}
/** "Phone call from Paid Search · google / cpc · Spring Promo" (parts that are empty are left out). */
function headerLine(state, touchpoint, session) {
    if (state === 'missing-id')
        return 'Phone call without a BizibleId';
    if (state === 'pending')
        return 'Phone call · join pending';
    if (state === 'not-found')
        return 'Task not found';
    if (state === 'no-touchpoint')
        return 'Phone call · touchpoint not available';
    const channel = str(touchpoint?.Channel__c) ?? 'Other';
    const parts = [`Phone call from ${channel}`];
    const source = str(session?.Source__c) ?? str(touchpoint?.Source__c);
    const medium = str(session?.Medium__c);
    if (source || medium)
        parts.push([source, medium].filter(Boolean).join(' / '));
    const campaign = str(touchpoint?.Campaign__c) ?? str(session?.Campaign__c);
    if (campaign)
        parts.push(campaign);
    return parts.join(' · ');
}
function minutesBetween(a, b) {
    if (!a || !b)
        return null;
    const ms = Date.parse(b) - Date.parse(a);
    return Number.isFinite(ms) ? Math.round(ms / 60000) : null;
}
/** Landing page → pages → call, with minutes between (the session only keeps first/last activity). */
function timeline(task, touchpoint, session) {
    const steps = [];
    const push = (label, detail, at) => {
        const previous = steps.length ? steps[steps.length - 1].at : null;
        steps.push({ label, detail, at, minutesSincePrevious: steps.length ? minutesBetween(previous, at) : null });
    };
    if (session) {
        push('Landing page', str(session.Landing_Page__c), str(session.Started_At__c));
        const views = num(session.Page_Views__c) ?? 0;
        if (views > 1)
            push(`${views} page views`, 'last activity on the website', str(session.Last_Activity_At__c));
    }
    const callAt = str(touchpoint?.Touchpoint_Date__c) ?? str(task.Call_Started_At__c) ?? str(task.CreatedDate);
    push('Phone call', str(task.Subject), callAt);
    return steps;
}
//# sourceMappingURL=panel-data.js.map