"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Benchmark (not a test): the join engine against the same call↔session join done as an indexed
 * SQL query in SQLite, in one run.
 *
 *   npm run bench:join -- [--sessions 1000000] [--calls 100000] [--visitors N] [--quick] [--seed 42]
 *
 * Prints progress, calls/s of planJoin (the full plan: matching, touchpoints, positions, records)
 * and of the matching step alone, the SQLite query time (index on (visitor, started_at)), the
 * ratios (from CPU time), and peak RSS (process.resourceUsage().maxRSS: the whole process, data generation included).
 */
const better_sqlite3_1 = __importDefault(require("better-sqlite3"));
const domain_1 = require("../middleware/src/domain");
function parseArgs(argv) {
    const quick = argv.includes('--quick');
    const num = (flag, dflt) => {
        const i = argv.indexOf(flag);
        if (i < 0)
            return dflt;
        const v = Number(argv[i + 1]);
        if (!Number.isInteger(v) || v <= 0) {
            process.stderr.write(`${flag} needs a positive whole number, e.g. ${flag} ${dflt}\n`);
            process.exit(2);
        }
        return v;
    };
    for (const a of argv)
        if (a.startsWith('--') && !['--quick', '--sessions', '--calls', '--visitors', '--seed'].includes(a)) {
            process.stderr.write(`unknown flag ${a}; use --sessions N --calls N --visitors N --seed N or --quick\n`);
            process.exit(2);
        }
    const sessions = num('--sessions', quick ? 100_000 : 1_000_000);
    const calls = num('--calls', quick ? 10_000 : 100_000);
    return { sessions, calls, visitors: num('--visitors', Math.max(1, Math.round(sessions / 5))), seed: num('--seed', 42) };
}
/** mulberry32: a small seeded PRNG so runs are comparable. */
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const LANDINGS = [
    { url: 'https://www.example.com/pricing?gclid=Cj0KCQiA', ref: 'https://www.google.com/', source: null, medium: null, click: 'gclid=Cj0KCQiA' },
    { url: 'https://www.example.com/', ref: 'https://www.google.co.uk/', source: null, medium: null, click: null },
    { url: 'https://www.example.com/webinar?utm_source=newsletter&utm_medium=email', ref: null, source: 'newsletter', medium: 'email', click: null },
    { url: 'https://www.example.com/case-studies', ref: 'https://www.linkedin.com/', source: null, medium: null, click: null },
    { url: 'https://www.example.com/pricing', ref: null, source: null, medium: null, click: null },
];
const EMPTY = [];
function log(msg) {
    process.stdout.write(`[${(process.uptime()).toFixed(1)}s] ${msg}\n`);
}
function generate(a, rnd) {
    const sessionsByVisitor = new Map();
    const visitorIds = [];
    let made = 0;
    for (let v = 0; v < a.visitors; v++) {
        const id = v.toString(16).padStart(32, '0');
        visitorIds.push(id);
        // Spread the sessions evenly; the remainder goes to the first visitors.
        const count = Math.floor(a.sessions / a.visitors) + (v < a.sessions % a.visitors ? 1 : 0);
        const list = [];
        let t = T0 + Math.floor(rnd() * 60 * 24 * 60) * MIN;
        for (let k = 0; k < count; k++) {
            const l = LANDINGS[Math.floor(rnd() * LANDINGS.length)];
            const duration = Math.floor(rnd() * 40) * MIN;
            const hasForm = rnd() < 0.03;
            list.push({
                sessionKey: `ws_${id.slice(20)}_${k}`,
                visitorId: id,
                startedAt: t,
                lastActivityAt: t + duration,
                pageViews: 1 + Math.floor(duration / (4 * MIN)),
                formSubmits: hasForm ? 1 : 0,
                forms: hasForm ? [{ at: t + duration, url: 'https://www.example.com/demo' }] : EMPTY,
                eventIds: EMPTY,
                landingPage: l.url,
                referrerPage: l.ref,
                referrerDomain: l.ref ? new URL(l.ref).hostname.replace(/^www\./, '') : null,
                utmSource: l.source,
                utmMedium: l.medium,
                utmCampaign: null,
                utmContent: null,
                utmTerm: null,
                clickId: l.click,
            });
            t += duration + (31 + Math.floor(rnd() * 3 * 24 * 60)) * MIN;
            made++;
        }
        sessionsByVisitor.set(id, list);
        if (v > 0 && v % 50_000 === 0)
            log(`generated ${made.toLocaleString('en')} sessions`);
    }
    const tasks = [];
    for (let c = 0; c < a.calls; c++) {
        const visitor = visitorIds[Math.floor(rnd() * visitorIds.length)];
        const list = sessionsByVisitor.get(visitor);
        const s = list[Math.floor(rnd() * list.length)];
        // 70 % of calls inside a session's window, the rest up to 3 h after its last activity.
        const at = rnd() < 0.7 ? s.lastActivityAt + Math.floor(rnd() * 29) * MIN : s.lastActivityAt + (31 + Math.floor(rnd() * 150)) * MIN;
        const duration = Math.floor(rnd() * 600);
        tasks.push({
            Id: `00TAa${c.toString(36).padStart(10, '0')}AAA`,
            Type: rnd() < 0.9 ? 'Call' : null,
            TaskSubtype: 'Call',
            CreatedDate: new Date(at + duration * 1000).toISOString().replace('Z', '+0000'),
            CallDurationInSeconds: duration,
            BizibleId__c: rnd() < 0.95 ? visitor : null,
            WhoId: '00QAa00000Lx9ZpMAJ',
        });
    }
    return { sessionsByVisitor, tasks, visitorIds };
}
function main() {
    const a = parseArgs(process.argv.slice(2));
    log(`generating ${a.sessions.toLocaleString('en')} sessions of ${a.visitors.toLocaleString('en')} visitors and ${a.calls.toLocaleString('en')} calls (seed ${a.seed})`);
    const { sessionsByVisitor, tasks } = generate(a, prng(a.seed));
    const rules = (0, domain_1.defaultChannelRules)();
    // 1. The engine: the full plan, sessions of the calls' visitors (what the join service passes).
    const callVisitors = new Map();
    for (const t of tasks) {
        const v = t.BizibleId__c;
        if (v)
            callVisitors.set(v, sessionsByVisitor.get(v));
    }
    let sessionsInPlan = 0;
    for (const l of callVisitors.values())
        sessionsInPlan += l.length;
    log(`planJoin over ${tasks.length.toLocaleString('en')} calls, ${callVisitors.size.toLocaleString('en')} visitors, ${sessionsInPlan.toLocaleString('en')} of their sessions ...`);
    (0, domain_1.planJoin)({ tasks: tasks.slice(0, Math.min(tasks.length, 20_000)), sessionsByVisitor: callVisitors, rules }); // JIT warm-up
    const planRun = timed(() => (0, domain_1.planJoin)({ tasks, sessionsByVisitor: callVisitors, rules }));
    const plan = planRun.value;
    const planMs = planRun.cpuMs;
    log(`planJoin: ${planRun.wallMs.toFixed(0)} ms wall, ${planMs.toFixed(0)} ms CPU → ${fmt(tasks.length / (planMs / 1000))} calls/s; ${plan.summary.merged} merged, ${plan.summary.standalone} standalone, ${plan.summary.missingId} missing id; ${plan.touchpoints.length.toLocaleString('en')} touchpoints, ${plan.webSessions.length.toLocaleString('en')} web sessions`);
    // 2. The matching step alone — the same question the SQL answers.
    const calls = tasks
        .filter((t) => t.BizibleId__c)
        .map((t) => ({ visitor: t.BizibleId__c, at: Date.parse(t.CreatedDate) - t.CallDurationInSeconds * 1000 }));
    const matchRun = timed(() => {
        let merged = 0;
        for (const c of calls)
            if ((0, domain_1.matchCall)(sessionsByVisitor.get(c.visitor), c.at).kind === 'merged')
                merged++;
        return merged;
    });
    const mergedInMemory = matchRun.value;
    const matchMs = matchRun.cpuMs;
    log(`matchCall only: ${matchRun.wallMs.toFixed(1)} ms wall, ${matchMs.toFixed(1)} ms CPU → ${fmt(calls.length / (matchMs / 1000))} calls/s (${mergedInMemory} merged)`);
    // 3. SQLite: the same join as one indexed query.
    log('loading SQLite (in-memory) ...');
    const db = new better_sqlite3_1.default(':memory:');
    db.exec(`CREATE TABLE sessions (visitor TEXT NOT NULL, started_at INTEGER NOT NULL, last_activity_at INTEGER NOT NULL, session_key TEXT NOT NULL);
           CREATE TABLE calls (id TEXT PRIMARY KEY, visitor TEXT NOT NULL, t INTEGER NOT NULL);`);
    const insS = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?)');
    const insC = db.prepare('INSERT INTO calls VALUES (?, ?, ?)');
    db.transaction(() => {
        for (const list of sessionsByVisitor.values())
            for (const s of list)
                insS.run(s.visitorId, s.startedAt, s.lastActivityAt, s.sessionKey);
        calls.forEach((c, i) => insC.run(String(i), c.visitor, c.at));
    })();
    db.exec('CREATE INDEX sessions_visitor_start ON sessions (visitor, started_at)');
    db.exec('ANALYZE');
    const query = db.prepare(`
    SELECT c.id, (SELECT s.session_key FROM sessions s
                  WHERE s.visitor = c.visitor AND s.started_at <= c.t + @skew AND s.last_activity_at + @window >= c.t
                  ORDER BY s.started_at DESC LIMIT 1) AS session_key
    FROM calls c`);
    log('running the SQL join ...');
    const sqlRun = timed(() => query.all({ skew: domain_1.DEFAULT_JOIN_OPTIONS.skewBeforeStartMs, window: domain_1.DEFAULT_JOIN_OPTIONS.windowMs }));
    const rows = sqlRun.value;
    const sqlMs = sqlRun.cpuMs;
    const mergedSql = rows.filter((r) => r.session_key !== null).length;
    db.close();
    log(`SQLite query: ${sqlRun.wallMs.toFixed(0)} ms wall, ${sqlMs.toFixed(0)} ms CPU → ${fmt(calls.length / (sqlMs / 1000))} calls/s (${mergedSql} merged${mergedSql === mergedInMemory ? ', agrees with matchCall' : ', DISAGREES with matchCall'})`);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write([
        '',
        `sessions ${a.sessions.toLocaleString('en')}, calls ${a.calls.toLocaleString('en')}, visitors ${a.visitors.toLocaleString('en')}`,
        `planJoin (full plan)   ${fmt(tasks.length / (planMs / 1000)).padStart(12)} calls/s   ${(sqlMs / planMs).toFixed(1)}× the SQLite query`,
        `matchCall (join only)  ${fmt(calls.length / (matchMs / 1000)).padStart(12)} calls/s   ${(sqlMs / matchMs).toFixed(1)}× the SQLite query`,
        `SQLite indexed query   ${fmt(calls.length / (sqlMs / 1000)).padStart(12)} calls/s`,
        'rates and ratios use CPU time (process.cpuUsage), which a loaded shared machine distorts less than wall time',
        `peak RSS ${rssMb.toFixed(0)} MB (whole process, including generated data and SQLite)`,
        '',
    ].join('\n'));
}
/** Wall and CPU time of fn: CPU time is what to read on a shared, loaded machine. */
function timed(fn) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const value = fn();
    const wallMs = performance.now() - w0;
    const c = process.cpuUsage(c0);
    return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}
function fmt(n) {
    return Math.round(n).toLocaleString('en');
}
main();
//# sourceMappingURL=bench-join.js.map