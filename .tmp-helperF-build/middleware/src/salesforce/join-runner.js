"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JoinSetupError = exports.WATERMARK_OVERLAP_MS = void 0;
exports.runJoinOnce = runJoinOnce;
exports.formatSummary = formatSummary;
exports.startJoinWatch = startJoinWatch;
const domain_1 = require("../domain");
const log_1 = require("../log");
const metrics_1 = require("../metrics");
const gateway_1 = require("./gateway");
const join_ledger_1 = require("./join-ledger");
const soql_1 = require("./soql");
/**
 * `call-touchpoints join`: reads call Tasks incrementally (SystemModstamp watermark), plans the
 * join for the visitors they belong to (pure engine, domain/join.ts) and writes only what changed:
 * Web_Session__c and Touchpoint__c upserted by external id, then the Task fields. Touchpoints of a
 * visitor that dropped out of the plan (a standalone call that became merged) are deleted — the
 * plan is complete per visitor (R11), so what it no longer contains is stale.
 */
/** Re-read this much before the watermark: Tasks committed late are not skipped. */
exports.WATERMARK_OVERLAP_MS = 5 * 60_000;
/** BizibleIds per `IN (…)` query: keeps the GET URL well under Salesforce's 16 KB. */
const IN_CHUNK = 250;
class JoinSetupError extends Error {
}
exports.JoinSetupError = JoinSetupError;
function taskFields(biz) {
    return [
        'Id',
        'Type',
        'TaskSubtype',
        'CallType',
        'CreatedDate',
        'SystemModstamp',
        'CallDurationInSeconds',
        'Call_Started_At__c',
        'WhoId',
        (0, soql_1.soqlName)(biz),
    ];
}
/** The Task fields the engine reads; our own output fields are not among them (no loop). */
function inputHash(task, fields) {
    return (0, join_ledger_1.recordHash)(fields.filter((f) => f !== 'SystemModstamp').map((f) => task[f] ?? null));
}
function toSf(rec) {
    const { sobject, ...rest } = rec;
    const out = { ...rest };
    // A null relationship reference is not valid in the API: clear the lookup field itself.
    if ('Web_Session__r' in out && out.Web_Session__r === null) {
        delete out.Web_Session__r;
        out.Web_Session__c = null;
    }
    if ('Call_Touchpoint__r' in out && out.Call_Touchpoint__r === null) {
        delete out.Call_Touchpoint__r;
        out.Call_Touchpoint__c = null;
    }
    if (sobject === 'Task')
        out.attributes = { type: 'Task' };
    return out;
}
function describeErrors(r) {
    return r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no detail';
}
async function runJoinOnce(deps, opts = {}) {
    const started = Date.now();
    const log = deps.logger ?? log_1.silentLogger;
    const gw = deps.gateway;
    const biz = deps.bizibleIdField ?? 'BizibleId__c';
    const fields = taskFields(biz);
    const ledger = new join_ledger_1.JoinLedger(deps.store);
    const requestsBefore = gw.requestCount();
    // 1. Read changed call Tasks since the watermark (minus an overlap).
    const watermark = opts.full ? null : await ledger.getWatermark();
    const callish = `(${biz} != null OR Type LIKE '%Call%' OR TaskSubtype = 'Call' OR CallType != null)`;
    // The overlap re-reads only Tasks the join never gave a status: a late-committed new Task is
    // caught, while the join's own recent Task updates are not read over and over.
    const overlapStart = watermark ? Date.parse(watermark) - (deps.overlapMs ?? exports.WATERMARK_OVERLAP_MS) : 0;
    const since = watermark
        ? ` AND (SystemModstamp >= ${(0, soql_1.soqlDateTime)(watermark)} OR (SystemModstamp >= ${(0, soql_1.soqlDateTime)(overlapStart)} AND Call_Join_Status__c = null))`
        : '';
    const read = await withSetupHint(gw.query(`SELECT ${fields.join(', ')} FROM Task WHERE ${callish}${since} ORDER BY SystemModstamp, Id`), biz);
    // 2. Which Tasks changed since they were last processed, and which visitors that touches.
    const taskLedgers = new Map();
    const affectedTasks = [];
    const visitors = new Set();
    for (const t of read) {
        const prev = await ledger.task(t.Id);
        taskLedgers.set(t.Id, prev);
        if (!opts.full && prev && prev.in === inputHash(t, fields))
            continue;
        affectedTasks.push(t);
        const v = (0, domain_1.bizibleIdOf)(t, biz);
        if (v)
            visitors.add(v);
        if (prev?.v && prev.v !== v)
            visitors.add(prev.v); // the Task left that visitor
    }
    // 3. All call Tasks of those visitors (R9 positions need every call). A full read already has
    //    them; otherwise query only visitors the ledger knows other Tasks of.
    const visitorLedgers = new Map();
    for (const v of visitors)
        visitorLedgers.set(v, await ledger.visitor(v));
    const byId = new Map();
    for (const t of read)
        if ((0, domain_1.bizibleIdOf)(t, biz) && visitors.has((0, domain_1.bizibleIdOf)(t, biz)))
            byId.set(t.Id, t);
    for (const t of affectedTasks)
        byId.set(t.Id, t);
    if (watermark) {
        const readIds = new Set(read.map((t) => t.Id));
        const toFetch = [...visitors].filter((v) => visitorLedgers.get(v).tasks.some((id) => !readIds.has(id)));
        for (let i = 0; i < toFetch.length; i += IN_CHUNK) {
            const chunk = toFetch.slice(i, i + IN_CHUNK);
            const rows = await gw.query(`SELECT ${fields.join(', ')} FROM Task WHERE ${biz} IN (${(0, soql_1.soqlList)(chunk)})`);
            for (const t of rows) {
                const v = (0, domain_1.bizibleIdOf)(t, biz);
                if (v && visitors.has(v))
                    byId.set(t.Id, t);
            }
        }
    }
    const planTasks = [...byId.values()];
    for (const t of planTasks)
        if (!taskLedgers.has(t.Id))
            taskLedgers.set(t.Id, await ledger.task(t.Id));
    // 4. Plan (pure) for exactly these visitors and Tasks.
    const sessionsByVisitor = visitors.size ? await deps.store.sessionsForVisitors([...visitors]) : new Map();
    const plan = (0, domain_1.planJoin)({
        tasks: planTasks,
        sessionsByVisitor,
        rules: deps.rules ?? (0, domain_1.defaultChannelRules)(),
        bizibleIdField: biz,
        options: deps.joinOptions,
    });
    const wsWrites = [];
    const tpWrites = [];
    const planned = new Map([...visitors].map((v) => [v, new Set()]));
    const collect = (rec, key, into) => {
        const visitor = rec.BizibleId__c;
        const sf = toSf(rec);
        const hash = (0, join_ledger_1.recordHash)(sf);
        planned.get(visitor)?.add(key);
        const led = visitorLedgers.get(visitor);
        if (led?.records[key]?.h !== hash)
            into.push({ visitor, key, hash, rec: sf });
    };
    for (const ws of plan.webSessions)
        collect(ws, `ws:${ws.Session_Key__c}`, wsWrites);
    for (const tp of plan.touchpoints)
        collect(tp, `tp:${tp.Touchpoint_Key__c}`, tpWrites);
    const taskVisitor = new Map(planTasks.map((t) => [t.Id, (0, domain_1.bizibleIdOf)(t, biz)]));
    const taskWrites = [];
    for (const u of plan.tasks) {
        const sf = toSf(u);
        const hash = (0, join_ledger_1.recordHash)(sf);
        if (taskLedgers.get(u.Id)?.out !== hash)
            taskWrites.push({ id: u.Id, hash, rec: sf });
    }
    const deletes = [];
    for (const [v, led] of visitorLedgers) {
        for (const [key, entry] of Object.entries(led.records))
            if (!planned.get(v).has(key))
                deletes.push({ visitor: v, key, id: entry.id });
    }
    // 6. Write: sessions, touchpoints (they reference sessions), Tasks (they reference touchpoints),
    //    then delete what dropped out of the plan.
    const failedVisitors = new Set();
    const failedTasks = new Set();
    const failed = [];
    const written = { webSessions: 0, touchpoints: 0, tasks: 0, deleted: 0 };
    deps.progress?.start(wsWrites.length + tpWrites.length + taskWrites.length + deletes.length);
    const tick = (n) => deps.progress?.increment(n);
    try {
        const applyUpserts = (list, results, sobject, count) => {
            results.forEach((r, i) => {
                const p = list[i];
                const led = visitorLedgers.get(p.visitor);
                if (r.ok) {
                    written[count]++;
                    if (led)
                        led.records[p.key] = { h: p.hash, id: r.id };
                }
                else {
                    failedVisitors.add(p.visitor);
                    failed.push({ sobject, key: p.key, errors: describeErrors(r) });
                }
            });
        };
        if (wsWrites.length) {
            applyUpserts(wsWrites, await gw.upsert('Web_Session__c', 'Session_Key__c', wsWrites.map((w) => w.rec), tick), 'Web_Session__c', 'webSessions');
        }
        if (tpWrites.length) {
            applyUpserts(tpWrites, await gw.upsert('Touchpoint__c', 'Touchpoint_Key__c', tpWrites.map((w) => w.rec), tick), 'Touchpoint__c', 'touchpoints');
        }
        const taskOut = new Map();
        if (taskWrites.length) {
            const results = await gw.update(taskWrites.map((w) => w.rec), tick);
            results.forEach((r, i) => {
                const w = taskWrites[i];
                if (r.ok) {
                    written.tasks++;
                    taskOut.set(w.id, w.hash);
                }
                else {
                    const v = taskVisitor.get(w.id);
                    if (v)
                        failedVisitors.add(v);
                    failedTasks.add(w.id);
                    failed.push({ sobject: 'Task', key: w.id, errors: describeErrors(r) });
                }
            });
        }
        if (deletes.length) {
            await resolveIds(gw, deletes);
            const withId = deletes.filter((d) => d.id);
            const results = withId.length ? await gw.remove(withId.map((d) => d.id)) : [];
            tick(deletes.length);
            for (const d of deletes.filter((x) => !x.id))
                delete visitorLedgers.get(d.visitor).records[d.key]; // not in the org
            results.forEach((r, i) => {
                const d = withId[i];
                if (r.ok) {
                    written.deleted++;
                    delete visitorLedgers.get(d.visitor).records[d.key];
                }
                else {
                    failedVisitors.add(d.visitor);
                    failed.push({ sobject: d.key.startsWith('ws:') ? 'Web_Session__c' : 'Touchpoint__c', key: d.key, errors: describeErrors(r) });
                }
            });
        }
        // 7. Ledger: record what was written. A visitor with a failure keeps its Tasks' old input
        //    hashes, so the next run plans it again and writes what is still missing.
        for (const [v, led] of visitorLedgers) {
            led.tasks = planTasks.filter((t) => taskVisitor.get(t.Id) === v).map((t) => t.Id);
            await ledger.setVisitor(v, led);
        }
        for (const t of planTasks) {
            const prev = taskLedgers.get(t.Id) ?? null;
            const v = taskVisitor.get(t.Id) ?? null;
            const complete = v ? !failedVisitors.has(v) : !failedTasks.has(t.Id);
            const next = {
                v,
                in: complete ? inputHash(t, fields) : (prev?.in ?? null),
                out: taskOut.get(t.Id) ?? prev?.out ?? null,
            };
            if (!prev || prev.v !== next.v || prev.in !== next.in || prev.out !== next.out)
                await ledger.setTask(t.Id, next);
        }
    }
    finally {
        deps.progress?.stop();
    }
    // 8. Watermark: past every Task read, except up to the first one not fully processed.
    let newWatermark = watermark;
    if (read.length > 0) {
        const blocked = read.find((t) => {
            const v = (0, domain_1.bizibleIdOf)(t, biz);
            return v ? failedVisitors.has(v) : failedTasks.has(t.Id);
        });
        newWatermark = new Date(Date.parse(String((blocked ?? read[read.length - 1]).SystemModstamp))).toISOString();
        await ledger.setWatermark(newWatermark);
    }
    const counts = { merged: 0, standalone: 0, missingId: 0 };
    for (const u of plan.tasks) {
        if (u.Call_Join_Status__c === 'Merged')
            counts.merged++;
        else if (u.Call_Join_Status__c === 'Standalone')
            counts.standalone++;
        else if (u.Call_Join_Status__c === 'Missing BizibleId')
            counts.missingId++;
    }
    for (const w of taskWrites)
        if (!failedTasks.has(w.id))
            metrics_1.joinOutcomes.inc({ status: String(w.rec.Call_Join_Status__c) });
    const summary = {
        tasksRead: read.length,
        tasksPlanned: plan.tasks.length,
        ...counts,
        written,
        failed,
        apiRequests: gw.requestCount() - requestsBefore,
        watermark: newWatermark,
        durationMs: Date.now() - started,
    };
    log.info({ ...summary, failed: failed.length }, 'join run finished');
    return summary;
}
/** Ids of stale records the ledger has no Id for (written before Ids were kept). */
async function resolveIds(gw, deletes) {
    for (const [prefix, sobject, field] of [
        ['tp:', 'Touchpoint__c', 'Touchpoint_Key__c'],
        ['ws:', 'Web_Session__c', 'Session_Key__c'],
    ]) {
        const missing = deletes.filter((d) => !d.id && d.key.startsWith(prefix));
        for (let i = 0; i < missing.length; i += IN_CHUNK) {
            const chunk = missing.slice(i, i + IN_CHUNK);
            const rows = await gw.query(`SELECT Id, ${field} FROM ${sobject} WHERE ${field} IN (${(0, soql_1.soqlList)(chunk.map((d) => d.key.slice(prefix.length)))})`);
            const ids = new Map(rows.map((r) => [String(r[field]), r.Id]));
            for (const d of chunk)
                d.id = ids.get(d.key.slice(prefix.length)) ?? null;
        }
    }
}
async function withSetupHint(p, biz) {
    try {
        return await p;
    }
    catch (err) {
        if (err instanceof gateway_1.SalesforceApiError && (err.code === 'INVALID_FIELD' || err.code === 'INVALID_TYPE')) {
            throw new JoinSetupError(`The org does not have the fields the join reads (${err.code}: ${err.message.split('\n')[0]}). ` +
                `Run \`call-touchpoints deploy\` first${biz !== 'BizibleId__c' ? `, and check BIZIBLE_ID_FIELD=${biz}` : ''}.`);
        }
        throw err;
    }
}
/** Summary lines for the CLI. */
function formatSummary(s) {
    const w = s.written;
    const lines = [
        `tasks read ${s.tasksRead}, planned ${s.tasksPlanned}: merged ${s.merged}, standalone ${s.standalone}, missing BizibleId ${s.missingId}`,
        `records written: ${w.webSessions} web sessions, ${w.touchpoints} touchpoints, ${w.tasks} tasks, ${w.deleted} deleted` +
            (w.webSessions + w.touchpoints + w.tasks + w.deleted === 0 ? ' (up to date)' : ''),
        `API requests used: ${s.apiRequests}`,
    ];
    if (s.failed.length) {
        lines.push(`${s.failed.length} record(s) failed and will be retried on the next run:`);
        for (const f of s.failed.slice(0, 10))
            lines.push(`  ${f.sobject} ${f.key}: ${f.errors}`);
        if (s.failed.length > 10)
            lines.push(`  … and ${s.failed.length - 10} more`);
    }
    return lines;
}
/**
 * `join --watch` and the serve command: one run at a time; a trigger during a run queues exactly
 * one more run (several triggers share it), which picks up everything changed meanwhile.
 */
function startJoinWatch(deps, opts) {
    const log = deps.logger ?? log_1.silentLogger;
    let running = null;
    let queued = null;
    let timer = null;
    let stopped = false;
    const runNow = () => {
        running = runJoinOnce(deps).then((s) => {
            opts.onSummary?.(s);
            return s;
        }, (err) => {
            if (opts.onError)
                opts.onError(err);
            else
                log.error({ err: err.message }, 'join run failed');
            throw err;
        });
        const done = running.finally(() => {
            running = null;
        });
        done.catch(() => undefined);
        return done;
    };
    const trigger = () => {
        if (!running)
            return runNow();
        if (!queued) {
            const current = running;
            queued = current
                .catch(() => undefined)
                .then(() => new Promise((r) => setImmediate(r)))
                .then(() => {
                queued = null;
                return runNow();
            });
        }
        return queued;
    };
    const schedule = () => {
        if (stopped)
            return;
        timer = setTimeout(() => {
            trigger()
                .catch(() => undefined)
                .finally(schedule);
        }, opts.intervalMs);
        timer.unref?.();
    };
    trigger()
        .catch(() => undefined)
        .finally(schedule);
    return {
        trigger: () => (stopped ? Promise.reject(new Error('join watch stopped')) : trigger()),
        async stop() {
            stopped = true;
            if (timer)
                clearTimeout(timer);
            await queued?.catch(() => undefined);
            await running?.catch(() => undefined);
        },
    };
}
//# sourceMappingURL=join-runner.js.map