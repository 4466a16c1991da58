"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WEB_FORM = exports.WEB_VISIT = void 0;
exports.sessionTouchpointKey = sessionTouchpointKey;
exports.callTouchpointKey = callTouchpointKey;
exports.planJoin = planJoin;
const channels_1 = require("./channels");
const calls_1 = require("./calls");
const detail_1 = require("./detail");
const journey_1 = require("./journey");
const match_1 = require("./match");
const records_1 = require("./records");
const time_1 = require("./time");
exports.WEB_VISIT = 'Web Visit';
exports.WEB_FORM = 'Web Form';
/** Touchpoint keys: deterministic, so re-running writes nothing new (R11). */
function sessionTouchpointKey(sessionKey) {
    return `tp:${sessionKey}`;
}
function callTouchpointKey(taskId) {
    return `tp:call:${taskId}`;
}
/**
 * The join (R1–R11): calls against sessions, touchpoints, positions, Task outcomes.
 *
 * Visitors covered = those in `sessionsByVisitor` plus those of the Tasks' BizibleIds. A visitor
 * gets records only once it has a conversion (a form submit or a call): an anonymous browser is
 * nobody's lead, and the org keeps only sessions that carry a touchpoint. Per visitor:
 *  - every call is matched to a session (R5) → merged into that session's touchpoint, or a
 *    standalone touchpoint of its own (R8);
 *  - each session with a conversion gets one touchpoint, typed by its first conversion (R6, R7, R9);
 *  - the first session (FT) and sessions between FT and LC get "Web Visit" touchpoints, sessions
 *    after LC without a conversion get none.
 * Tasks without BizibleId get "Missing BizibleId" if they look like calls (R2); Tasks that are
 * neither calls nor carry a BizibleId are ignored. Output is sorted (records by BizibleId, date,
 * key; Tasks by Id): the same input always gives the same plan.
 */
function planJoin(input) {
    const o = { ...match_1.DEFAULT_JOIN_OPTIONS, ...input.options };
    const field = input.bizibleIdField ?? calls_1.DEFAULT_BIZIBLE_ID_FIELD;
    const taskUpdates = [];
    const summary = { tasks: 0, merged: 0, standalone: 0, missingId: 0 };
    // R1/R2: split Tasks by BizibleId.
    const callsByVisitor = new Map();
    for (const task of input.tasks) {
        const bid = (0, calls_1.bizibleIdOf)(task, field);
        if (bid === null) {
            if (!(0, calls_1.isCallTask)(task))
                continue;
            summary.tasks++;
            summary.missingId++;
            taskUpdates.push(taskUpdate(task.Id, 'Missing BizibleId', detail_1.MISSING_BIZIBLE_ID_DETAIL, null));
            continue;
        }
        summary.tasks++;
        const at = (0, calls_1.callTime)(task);
        if (at === null) {
            taskUpdates.push(taskUpdate(task.Id, 'Pending', detail_1.UNKNOWN_CALL_TIME_DETAIL, null));
            continue;
        }
        let list = callsByVisitor.get(bid);
        if (!list)
            callsByVisitor.set(bid, (list = []));
        list.push({ task, at });
    }
    const visitors = new Set(input.sessionsByVisitor.keys());
    for (const v of callsByVisitor.keys())
        visitors.add(v);
    const webSessions = [];
    const touchpoints = [];
    for (const visitorId of [...visitors].sort()) {
        planVisitor(visitorId, sortedSessions(input.sessionsByVisitor.get(visitorId) ?? []), callsByVisitor.get(visitorId) ?? [], input.rules, o, { webSessions, touchpoints, taskUpdates, summary });
    }
    taskUpdates.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
    return { webSessions, touchpoints, tasks: taskUpdates, summary };
}
function planVisitor(visitorId, sessions, calls, rules, o, out) {
    let conversionsBySession = null;
    const addConversion = (i, c) => {
        conversionsBySession ??= new Map();
        const list = conversionsBySession.get(i);
        if (list)
            list.push(c);
        else
            conversionsBySession.set(i, [c]);
    };
    for (let i = 0; i < sessions.length; i++)
        for (const f of sessions[i].forms)
            addConversion(i, { at: f.at, kind: 0, id: f.url, formUrl: f.url, task: null });
    // R5/R8: each call merges with a session or stands alone.
    calls.sort((a, b) => a.at - b.at || (a.task.Id < b.task.Id ? -1 : a.task.Id > b.task.Id ? 1 : 0));
    const channelCache = new Map();
    const channelOf = (i) => {
        let c = channelCache.get(i);
        if (!c)
            channelCache.set(i, (c = (0, channels_1.classify)(sessions[i], rules)));
        return c;
    };
    const standalone = [];
    const mergedCalls = [];
    for (const call of calls) {
        const m = (0, match_1.matchCall)(sessions, call.at, o);
        if (m.kind === 'merged') {
            addConversion(m.index, { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task });
            mergedCalls.push({ call, index: m.index });
        }
        else {
            const nearest = m.nearest
                ? { ...m.nearest, session: sessions[m.nearest.index], channel: channelOf(m.nearest.index) }
                : null;
            standalone.push({ call, detail: (0, detail_1.standaloneDetail)(nearest, call.at, Math.round(o.windowMs / time_1.MINUTE_MS)) });
        }
    }
    if (conversionsBySession === null && standalone.length === 0)
        return; // no conversion: no lead yet
    // R9: one touchpoint per converting session, typed by its first conversion.
    const tps = [];
    const bySession = new Map();
    let lcOrderAt = Infinity;
    let lcConversionAt = Infinity;
    const cs = conversionsBySession;
    if (cs)
        for (const [i, list] of cs) {
            list.sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
            const tp = journeyTp(sessionTouchpointKey(sessions[i].sessionKey), sessions[i].startedAt, list[0].at);
            const full = Object.assign(tp, { session: sessions[i], first: list[0], channel: channelOf(i) });
            tps.push(full);
            bySession.set(i, full);
            if (list[0].at < lcConversionAt) {
                lcConversionAt = list[0].at;
                lcOrderAt = sessions[i].startedAt;
            }
        }
    const standaloneTps = [];
    for (const { call } of standalone) {
        const tp = journeyTp(callTouchpointKey(call.task.Id), call.at, call.at);
        const conv = { at: call.at, kind: 1, id: call.task.Id, formUrl: null, task: call.task };
        const full = Object.assign(tp, {
            session: null,
            first: conv,
            channel: (0, channels_1.classifyActivity)((0, calls_1.taskTypeOf)(call.task), rules),
        });
        tps.push(full);
        standaloneTps.push(full);
        if (call.at < lcConversionAt) {
            lcConversionAt = call.at;
            lcOrderAt = call.at;
        }
    }
    // FT and the sessions before LC get Web Visit touchpoints (R9, R10 middle share).
    for (let i = 0; i < sessions.length && sessions[i].startedAt < lcOrderAt; i++) {
        if (bySession.has(i))
            continue;
        const tp = journeyTp(sessionTouchpointKey(sessions[i].sessionKey), sessions[i].startedAt, null);
        const full = Object.assign(tp, { session: sessions[i], first: null, channel: channelOf(i) });
        tps.push(full);
        bySession.set(i, full);
    }
    (0, journey_1.assignPositions)(tps);
    // Records, sorted by date then key within the visitor (visitors come in id order).
    const sessionRecords = [];
    for (const [i] of bySession)
        sessionRecords.push({ at: sessions[i].startedAt, key: sessions[i].sessionKey, i });
    sessionRecords.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    for (const r of sessionRecords)
        out.webSessions.push((0, records_1.toWebSessionRecord)(sessions[r.i], channelOf(r.i)));
    const facts = tps.map((tp) => touchpointFacts(visitorId, tp));
    facts.sort((a, b) => a.date - b.date || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const f of facts)
        out.touchpoints.push((0, records_1.toTouchpointRecord)(f));
    // Task outcomes.
    for (const { call, index } of mergedCalls) {
        const tp = bySession.get(index);
        const first = tp.first;
        const existing = first.task === call.task ? null : touchpointType(first);
        out.summary.merged++;
        out.taskUpdates.push(taskUpdate(call.task.Id, 'Merged', (0, detail_1.mergedDetail)(sessions[index], tp.channel, call.at, existing), tp.key));
    }
    for (let k = 0; k < standalone.length; k++) {
        out.summary.standalone++;
        out.taskUpdates.push(taskUpdate(standalone[k].call.task.Id, 'Standalone', standalone[k].detail, standaloneTps[k].key));
    }
}
function journeyTp(key, orderAt, conversionAt) {
    return { key, orderAt, conversionAt, position: null, firstTouchPercent: 0, leadCreationPercent: 0, uShapedPercent: 0 };
}
/** R6/R7: a call's touchpoint type is Task.Type, "Web Visit" when empty; a form's is "Web Form". */
function touchpointType(first) {
    if (first === null)
        return exports.WEB_VISIT;
    if (first.task === null)
        return exports.WEB_FORM;
    return (0, calls_1.taskTypeOf)(first.task) ?? exports.WEB_VISIT;
}
function touchpointFacts(visitorId, tp) {
    const s = tp.session;
    const task = tp.first?.task ?? null;
    const who = task ? (0, calls_1.whoOf)(task) : { lead: null, contact: null };
    const taskType = task ? (0, calls_1.taskTypeOf)(task) : null;
    return {
        key: tp.key,
        visitorId,
        type: touchpointType(tp.first),
        // R6: Medium from Task.Type; empty Type (R7) or a web touchpoint → the session's utm_medium.
        medium: taskType ?? (s ? s.utmMedium : null),
        date: tp.conversionAt ?? tp.orderAt,
        position: tp.position,
        firstTouchPercent: tp.firstTouchPercent,
        leadCreationPercent: tp.leadCreationPercent,
        uShapedPercent: tp.uShapedPercent,
        channel: tp.channel,
        session: s,
        source: s ? (0, records_1.sourceOf)(s) : channels_1.CRM_ACTIVITY_SOURCE,
        formUrl: tp.first && tp.first.task === null ? tp.first.formUrl : null,
        taskId: task ? task.Id : null,
        lead: who.lead,
        contact: who.contact,
        mergeStatus: task ? (s ? 'Merged' : 'Standalone') : null,
    };
}
function taskUpdate(id, status, detail, touchpointKey) {
    return {
        sobject: 'Task',
        Id: id,
        Call_Join_Status__c: status,
        Call_Join_Detail__c: detail,
        Call_Touchpoint__r: touchpointKey ? { Touchpoint_Key__c: touchpointKey } : null,
    };
}
function sortedSessions(list) {
    for (let i = 1; i < list.length; i++)
        if (list[i - 1].startedAt > list[i].startedAt || (list[i - 1].startedAt === list[i].startedAt && list[i - 1].sessionKey > list[i].sessionKey))
            return [...list].sort((a, b) => a.startedAt - b.startedAt || (a.sessionKey < b.sessionKey ? -1 : 1));
    return list;
}
//# sourceMappingURL=join.js.map