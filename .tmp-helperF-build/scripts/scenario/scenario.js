"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SCENARIO_FILE = void 0;
exports.readScenario = readScenario;
exports.loadScenario = loadScenario;
exports.readTasks = readTasks;
exports.waitForJoin = waitForJoin;
exports.predict = predict;
exports.compareWithOrg = compareWithOrg;
exports.checkExpectations = checkExpectations;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const simulate_1 = require("../../middleware/src/cli/commands/simulate");
const soql_1 = require("../../middleware/src/salesforce/soql");
const demo_site_1 = require("../../middleware/src/web/demo-site");
exports.SCENARIO_FILE = node_path_1.default.join(__dirname, 'calls-scenario.json');
function readScenario(file = exports.SCENARIO_FILE) {
    const scenario = JSON.parse(node_fs_1.default.readFileSync(file, 'utf8'));
    for (const v of scenario.visitors) {
        for (const e of v.events) {
            if (!(e.secondsBeforeLoad > 0 && e.secondsBeforeLoad <= 240)) {
                throw new Error(`${file}: visitor ${v.name}: secondsBeforeLoad must be 1..240 (the client-time skew the server accepts)`);
            }
        }
    }
    return scenario;
}
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
function hex(seed, n) {
    return node_crypto_1.default.createHash('sha256').update(seed).digest('hex').slice(0, n);
}
/** Posts the scenario's events through /collect and its calls through the signed CallRail webhook. */
async function loadScenario(scenario, target) {
    const now = target.now ?? Date.now;
    const runId = node_crypto_1.default.randomBytes(4).toString('hex');
    const loadAt = now();
    const visitorIds = new Map();
    const idOf = (name) => {
        let id = visitorIds.get(name);
        if (!id)
            visitorIds.set(name, (id = hex(`${runId}:${name}`, 32)));
        return id;
    };
    const events = [];
    const lastEventAt = new Map();
    for (const v of scenario.visitors) {
        const visitorId = idOf(v.name);
        const batch = v.events.map((e, i) => {
            const at = loadAt - e.secondsBeforeLoad * 1000;
            lastEventAt.set(v.name, Math.max(lastEventAt.get(v.name) ?? 0, at));
            const iso = new Date(at).toISOString();
            const line = {
                type: e.type,
                visitorId,
                url: scenario.site + e.path,
                referrer: e.referrer ? e.referrer.replace('{site}', scenario.site) : null,
                // simulate: receivedAt = clientTime, so both sides sessionize on the same instant (R4).
                receivedAt: iso,
                clientTime: iso,
                ...(e.email ? { email: e.email } : {}),
                eventId: `scn-${runId}-${v.name}-${i}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64),
            };
            events.push(line);
            return {
                type: line.type,
                visitorId,
                url: line.url,
                referrer: line.referrer ?? '',
                clientTime: at,
                email: line.email,
                eventId: line.eventId,
            };
        });
        const res = await fetch(`${target.baseUrl}/collect`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
            body: JSON.stringify({ events: batch }),
        });
        if (res.status >= 300)
            throw new Error(`POST /collect for ${v.name} answered ${res.status}: ${await res.text()}`);
    }
    const callIds = new Map();
    for (const call of scenario.calls) {
        const base = call.minutesAfterLastEvent !== undefined && call.visitor && lastEventAt.has(call.visitor)
            ? lastEventAt.get(call.visitor) + call.minutesAfterLastEvent * 60_000
            : loadAt + (call.minutesAfterLoad ?? 0) * 60_000;
        const id = `SCN${runId}${call.name}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 60);
        const payload = (0, demo_site_1.callRailPayload)({
            id,
            visitorId: call.visitor ? idOf(call.visitor) : '',
            startedAt: new Date(base),
            durationSeconds: call.durationSeconds,
        });
        if (!call.visitor)
            delete payload.custom;
        const res = await (0, demo_site_1.postSignedCallRail)(`${target.baseUrl}/webhooks/callrail`, target.callrailSigningKey, payload);
        if (res.status >= 300)
            throw new Error(`CallRail webhook for ${call.name} answered ${res.status}: ${res.text}`);
        callIds.set(call.name, `callrail:${id}`);
    }
    return { runId, loadAt, visitorIds, events, callIds };
}
async function queryAll(conn, soql) {
    const rows = [];
    let page = await conn.query(soql);
    rows.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
        page = await conn.queryMore(page.nextRecordsUrl);
        rows.push(...page.records);
    }
    return rows.map(({ attributes: _a, ...rest }) => rest);
}
const TASK_FIELDS = [
    'Id',
    'Type',
    'TaskSubtype',
    'CallType',
    'CreatedDate',
    'SystemModstamp',
    'CallDurationInSeconds',
    'Call_Started_At__c',
    'WhoId',
    'Vendor_Call_Id__c',
    'Call_Join_Status__c',
    'Call_Join_Detail__c',
    'Call_Touchpoint__c',
];
async function readTasks(conn, loaded, bizibleIdField = 'BizibleId__c') {
    return queryAll(conn, `SELECT ${[...TASK_FIELDS, (0, soql_1.soqlName)(bizibleIdField)].join(', ')} FROM Task WHERE Vendor_Call_Id__c IN (${(0, soql_1.soqlList)([
        ...loaded.callIds.values(),
    ])})`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Waits until every scenario call is a Task with a final join status (or the time is up). */
async function waitForJoin(conn, loaded, opts) {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
        const tasks = await readTasks(conn, loaded, opts.bizibleIdField);
        const done = tasks.length === loaded.callIds.size &&
            tasks.every((t) => t.Call_Join_Status__c && t.Call_Join_Status__c !== 'Pending');
        if (done)
            return tasks;
        if (Date.now() > deadline) {
            throw new Error(`after ${opts.timeoutMs} ms: ${tasks.length}/${loaded.callIds.size} Tasks, statuses ${JSON.stringify(tasks.map((t) => t.Call_Join_Status__c))}`);
        }
        if (tasks.length === loaded.callIds.size && opts.trigger)
            await opts.trigger().catch(() => undefined);
        await sleep(500);
    }
}
/** What `simulate` predicts for the scenario's events and the Tasks as the org holds them. */
function predict(loaded, tasks, bizibleIdField = 'BizibleId__c') {
    const result = (0, simulate_1.simulate)({
        events: { name: 'scenario-events.ndjson', text: loaded.events.map((e) => JSON.stringify(e)).join('\n') },
        tasks: { name: 'scenario-tasks.ndjson', text: tasks.map((t) => JSON.stringify(t)).join('\n') },
        bizibleIdField,
    });
    if (!result.ok)
        throw new Error(`simulate rejected the scenario: ${result.errors.join('; ')}`);
    return result.lines.map((l) => JSON.parse(l));
}
/** Instants compare as instants ("…000+0000" from the org vs "…000Z" from simulate). */
function normalize(value) {
    if (value === undefined)
        return null;
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
        return new Date(value).toISOString();
    }
    return value;
}
/**
 * Reads back the records simulate predicts and compares every predicted field. Lookups are
 * compared through the external ids they point to (Web_Session__r / Call_Touchpoint__r).
 */
async function compareWithOrg(conn, predicted, tasks) {
    const differences = [];
    let compared = 0;
    const sessions = predicted.filter((r) => r.sobject === 'Web_Session__c');
    const touchpoints = predicted.filter((r) => r.sobject === 'Touchpoint__c');
    const taskUpdates = predicted.filter((r) => r.sobject === 'Task');
    const fieldsOf = (records) => [...new Set(records.flatMap((r) => Object.keys(r)))].filter((f) => f !== 'sobject' && !f.endsWith('__r'));
    const sessionRows = sessions.length
        ? await queryAll(conn, `SELECT Id, ${fieldsOf(sessions).join(', ')} FROM Web_Session__c WHERE Session_Key__c IN (${(0, soql_1.soqlList)(sessions.map((s) => s.Session_Key__c))})`)
        : [];
    const sessionKeyById = new Map(sessionRows.map((r) => [r.Id, r.Session_Key__c]));
    const tpFields = fieldsOf(touchpoints);
    const tpRows = touchpoints.length
        ? await queryAll(conn, `SELECT Id, Web_Session__c, ${tpFields.join(', ')} FROM Touchpoint__c WHERE Touchpoint_Key__c IN (${(0, soql_1.soqlList)(touchpoints.map((t) => t.Touchpoint_Key__c))})`)
        : [];
    const tpKeyById = new Map(tpRows.map((r) => [r.Id, r.Touchpoint_Key__c]));
    const check = (label, expected, actual, fields) => {
        compared++;
        if (!actual) {
            differences.push(`${label}: missing in the org`);
            return;
        }
        for (const f of fields) {
            const want = normalize(expected[f]);
            const got = normalize(actual[f]);
            if (JSON.stringify(want) !== JSON.stringify(got)) {
                differences.push(`${label}.${f}: simulate ${JSON.stringify(want)}, org ${JSON.stringify(got)}`);
            }
        }
    };
    for (const s of sessions) {
        const actual = sessionRows.find((r) => r.Session_Key__c === s.Session_Key__c);
        check(`Web_Session__c ${String(s.Session_Key__c)}`, s, actual, fieldsOf([s]));
    }
    for (const t of touchpoints) {
        const actual = tpRows.find((r) => r.Touchpoint_Key__c === t.Touchpoint_Key__c);
        check(`Touchpoint__c ${String(t.Touchpoint_Key__c)}`, t, actual, fieldsOf([t]));
        const wantSession = t.Web_Session__r?.Session_Key__c ?? null;
        const gotSession = actual?.Web_Session__c ? (sessionKeyById.get(actual.Web_Session__c) ?? 'outside the scenario') : null;
        if (actual && wantSession !== gotSession) {
            differences.push(`Touchpoint__c ${String(t.Touchpoint_Key__c)}.Web_Session__c: simulate ${wantSession}, org ${gotSession}`);
        }
    }
    for (const u of taskUpdates) {
        const actual = tasks.find((r) => r.Id === u.Id);
        check(`Task ${String(u.Id)}`, u, actual, ['Call_Join_Status__c', 'Call_Join_Detail__c']);
        const want = u.Call_Touchpoint__r?.Touchpoint_Key__c ?? null;
        const got = actual?.Call_Touchpoint__c ? (tpKeyById.get(actual.Call_Touchpoint__c) ?? 'outside the scenario') : null;
        if (actual && want !== got)
            differences.push(`Task ${String(u.Id)}.Call_Touchpoint__c: simulate ${want}, org ${got}`);
    }
    return { compared, differences };
}
/** The scenario's own expectations (status and channel per call), independent of simulate. */
async function checkExpectations(conn, scenario, loaded, tasks) {
    const problems = [];
    const tpIds = tasks.map((t) => t.Call_Touchpoint__c).filter((id) => typeof id === 'string');
    const tps = tpIds.length ? await queryAll(conn, `SELECT Id, Channel__c FROM Touchpoint__c WHERE Id IN (${(0, soql_1.soqlList)(tpIds)})`) : [];
    for (const call of scenario.calls) {
        const task = tasks.find((t) => t.Vendor_Call_Id__c === loaded.callIds.get(call.name));
        if (!task) {
            problems.push(`${call.name}: no Task`);
            continue;
        }
        if (task.Call_Join_Status__c !== call.expect.status) {
            problems.push(`${call.name}: status ${String(task.Call_Join_Status__c)}, expected ${call.expect.status}`);
        }
        if (call.expect.channel) {
            const channel = tps.find((t) => t.Id === task.Call_Touchpoint__c)?.Channel__c ?? null;
            if (channel !== call.expect.channel)
                problems.push(`${call.name}: channel ${String(channel)}, expected ${call.expect.channel}`);
        }
    }
    return problems;
}
//# sourceMappingURL=scenario.js.map