/**
 * Benchmark (not a test): the join engine against the same call↔session join done as an indexed
 * SQL query in SQLite, in one run.
 *
 *   npm run bench:join -- [--sessions 1000000] [--calls 100000] [--visitors N] [--quick] [--seed 42]
 *
 * What each side computes:
 *  - planJoin (full plan): Task parsing (R1–R3), matching (R5), touchpoints, positions and
 *    percentages (R9, R10), channels (R12) and every Web_Session__c / Touchpoint__c / Task record
 *    with its detail sentence — several records per call;
 *  - matchCall (the join alone): for every call with a BizibleId, the key of the session it merges
 *    with or null (R5), collected into an array;
 *  - SQLite: exactly that question as one indexed SQL query (index on (visitor, started_at), the
 *    same window, skew and 24 h bound), rows materialized into an array. The two must agree call
 *    for call. "SQLite ÷ matchCall" is the like-for-like ratio; "SQLite ÷ planJoin" compares the
 *    query with the whole plan, which does far more.
 * Rates and ratios use CPU time; peak RSS is process.resourceUsage().maxRSS (the whole process,
 * data generation included). The last line is `BENCH_RESULT {json}` for `npm run bench`.
 */
import Database from 'better-sqlite3';
import { printBenchResult } from './bench/result';
import {
  DEFAULT_JOIN_OPTIONS,
  defaultChannelRules,
  matchCall,
  planJoin,
  type TaskRecord,
  type WebSession,
} from '../middleware/src/domain';
import { mulberry32 } from '@call-touchpoints/local-org';

interface Args {
  sessions: number;
  calls: number;
  visitors: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const num = (flag: string, dflt: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return dflt;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v <= 0) {
      process.stderr.write(`${flag} needs a positive whole number, e.g. ${flag} ${dflt}\n`);
      process.exit(2);
    }
    return v;
  };
  for (const a of argv)
    if (a.startsWith('--') && !['--quick', '--sessions', '--calls', '--visitors', '--seed'].includes(a)) {
      process.stderr.write(
        `unknown flag ${a}; use --sessions N --calls N --visitors N --seed N or --quick\n`,
      );
      process.exit(2);
    }
  const sessions = num('--sessions', quick ? 100_000 : 1_000_000);
  const calls = num('--calls', quick ? 10_000 : 100_000);
  return {
    sessions,
    calls,
    visitors: num('--visitors', Math.max(1, Math.round(sessions / 5))),
    seed: num('--seed', 42),
  };
}

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const LANDINGS: {
  url: string;
  ref: string | null;
  source: string | null;
  medium: string | null;
  click: string | null;
}[] = [
  {
    url: 'https://www.example.com/pricing?gclid=Cj0KCQiA',
    ref: 'https://www.google.com/',
    source: null,
    medium: null,
    click: 'gclid=Cj0KCQiA',
  },
  {
    url: 'https://www.example.com/',
    ref: 'https://www.google.co.uk/',
    source: null,
    medium: null,
    click: null,
  },
  {
    url: 'https://www.example.com/webinar?utm_source=newsletter&utm_medium=email',
    ref: null,
    source: 'newsletter',
    medium: 'email',
    click: null,
  },
  {
    url: 'https://www.example.com/case-studies',
    ref: 'https://www.linkedin.com/',
    source: null,
    medium: null,
    click: null,
  },
  { url: 'https://www.example.com/pricing', ref: null, source: null, medium: null, click: null },
];
const EMPTY: never[] = [];

function log(msg: string): void {
  process.stdout.write(`[${process.uptime().toFixed(1)}s] ${msg}\n`);
}

function generate(a: Args, rnd: () => number) {
  const sessionsByVisitor = new Map<string, WebSession[]>();
  const visitorIds: string[] = [];
  let made = 0;
  for (let v = 0; v < a.visitors; v++) {
    const id = v.toString(16).padStart(32, '0');
    visitorIds.push(id);
    // Spread the sessions evenly; the remainder goes to the first visitors.
    const count = Math.floor(a.sessions / a.visitors) + (v < a.sessions % a.visitors ? 1 : 0);
    const list: WebSession[] = [];
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
    if (v > 0 && v % 50_000 === 0) log(`generated ${made.toLocaleString('en')} sessions`);
  }
  const tasks: TaskRecord[] = [];
  for (let c = 0; c < a.calls; c++) {
    const visitor = visitorIds[Math.floor(rnd() * visitorIds.length)];
    const list = sessionsByVisitor.get(visitor)!;
    const s = list[Math.floor(rnd() * list.length)];
    // 70 % of calls inside a session's window, the rest up to 3 h after its last activity.
    const at =
      rnd() < 0.7
        ? s.lastActivityAt + Math.floor(rnd() * 29) * MIN
        : s.lastActivityAt + (31 + Math.floor(rnd() * 150)) * MIN;
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

function main(): void {
  const a = parseArgs(process.argv.slice(2));
  log(
    `generating ${a.sessions.toLocaleString('en')} sessions of ${a.visitors.toLocaleString('en')} visitors and ${a.calls.toLocaleString('en')} calls (seed ${a.seed})`,
  );
  const { sessionsByVisitor, tasks } = generate(a, mulberry32(a.seed));
  const rules = defaultChannelRules();

  // 1. The engine: the full plan, sessions of the calls' visitors (what the join service passes).
  const callVisitors = new Map<string, WebSession[]>();
  for (const t of tasks) {
    const v = t.BizibleId__c as string | null;
    if (v) callVisitors.set(v, sessionsByVisitor.get(v)!);
  }
  let sessionsInPlan = 0;
  for (const l of callVisitors.values()) sessionsInPlan += l.length;
  log(
    `planJoin over ${tasks.length.toLocaleString('en')} calls, ${callVisitors.size.toLocaleString('en')} visitors, ${sessionsInPlan.toLocaleString('en')} of their sessions ...`,
  );
  planJoin({ tasks: tasks.slice(0, Math.min(tasks.length, 20_000)), sessionsByVisitor: callVisitors, rules }); // JIT warm-up
  const planRun = timed(() => planJoin({ tasks, sessionsByVisitor: callVisitors, rules }));
  const plan = planRun.value;
  const planMs = planRun.cpuMs;
  log(
    `planJoin: ${planRun.wallMs.toFixed(0)} ms wall, ${planMs.toFixed(0)} ms CPU → ${fmt(tasks.length / (planMs / 1000))} calls/s; ${plan.summary.merged} merged, ${plan.summary.standalone} standalone, ${plan.summary.missingId} missing id; ${plan.touchpoints.length.toLocaleString('en')} touchpoints, ${plan.webSessions.length.toLocaleString('en')} web sessions`,
  );

  // 2. The matching step alone — the same question the SQL answers: which session, per call.
  const calls = tasks
    .filter((t) => t.BizibleId__c)
    .map((t) => ({
      visitor: t.BizibleId__c as string,
      at: Date.parse(t.CreatedDate) - (t.CallDurationInSeconds as number) * 1000,
    }));
  const matchRun = timed(() =>
    calls.map((c) => {
      const sessions = sessionsByVisitor.get(c.visitor) ?? [];
      const m = matchCall(sessions, c.at);
      return m.kind === 'merged' ? sessions[m.index].sessionKey : null;
    }),
  );
  const matched = matchRun.value;
  const mergedInMemory = matched.filter((k) => k !== null).length;
  const matchMs = matchRun.cpuMs;
  log(
    `matchCall only: ${matchRun.wallMs.toFixed(1)} ms wall, ${matchMs.toFixed(1)} ms CPU → ${fmt(calls.length / (matchMs / 1000))} calls/s (${mergedInMemory} merged)`,
  );

  // 3. SQLite: the same join as one indexed query.
  log('loading SQLite (in-memory) ...');
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE sessions (visitor TEXT NOT NULL, started_at INTEGER NOT NULL, last_activity_at INTEGER NOT NULL, session_key TEXT NOT NULL);
           CREATE TABLE calls (id INTEGER PRIMARY KEY, visitor TEXT NOT NULL, t INTEGER NOT NULL);`);
  const insS = db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?)');
  const insC = db.prepare('INSERT INTO calls VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const list of sessionsByVisitor.values())
      for (const s of list) insS.run(s.visitorId, s.startedAt, s.lastActivityAt, s.sessionKey);
    calls.forEach((c, i) => insC.run(i, c.visitor, c.at));
  })();
  db.exec('CREATE INDEX sessions_visitor_start ON sessions (visitor, started_at)');
  db.exec('ANALYZE');
  // R5 as SQL: start − skew ≤ t ≤ last activity + window, latest start wins; like matchCall, only
  // sessions starting within the 24 h cap + window before the call are looked at (an index range).
  const query = db.prepare(`
    SELECT (SELECT s.session_key FROM sessions s
            WHERE s.visitor = c.visitor
              AND s.started_at <= c.t + @skew AND s.started_at >= c.t - @maxSession - @window
              AND s.last_activity_at + @window >= c.t
            ORDER BY s.started_at DESC LIMIT 1) AS session_key
    FROM calls c ORDER BY c.id`);
  log('running the SQL join ...');
  const sqlRun = timed(() =>
    (
      query.all({
        skew: DEFAULT_JOIN_OPTIONS.skewBeforeStartMs,
        window: DEFAULT_JOIN_OPTIONS.windowMs,
        maxSession: DEFAULT_JOIN_OPTIONS.maxSessionMs,
      }) as { session_key: string | null }[]
    ).map((r) => r.session_key),
  );
  const sqlKeys = sqlRun.value;
  const sqlMs = sqlRun.cpuMs;
  const mergedSql = sqlKeys.filter((k) => k !== null).length;
  const disagreements = calls.filter((_, i) => sqlKeys[i] !== matched[i]).length;
  db.close();
  log(
    `SQLite query: ${sqlRun.wallMs.toFixed(0)} ms wall, ${sqlMs.toFixed(0)} ms CPU → ${fmt(calls.length / (sqlMs / 1000))} calls/s (${mergedSql} merged${disagreements === 0 ? ', agrees with matchCall call for call' : `, DISAGREES with matchCall on ${disagreements} calls`})`,
  );

  const rssMb = process.resourceUsage().maxRSS / 1024;
  const planRate = tasks.length / (planMs / 1000);
  const matchRate = calls.length / (matchMs / 1000);
  const sqlRate = calls.length / (sqlMs / 1000);
  process.stdout.write(
    [
      '',
      `sessions ${a.sessions.toLocaleString('en')}, calls ${a.calls.toLocaleString('en')}, visitors ${a.visitors.toLocaleString('en')}`,
      `planJoin (full plan)   ${fmt(planRate).padStart(12)} calls/s   ${(planRate / sqlRate).toFixed(1)}× the SQLite query (which only matches; the plan also builds ${fmt(plan.touchpoints.length + plan.webSessions.length + plan.tasks.length)} records)`,
      `matchCall (join only)  ${fmt(matchRate).padStart(12)} calls/s   ${(matchRate / sqlRate).toFixed(1)}× the SQLite query (same question, same answers)`,
      `SQLite indexed query   ${fmt(sqlRate).padStart(12)} calls/s`,
      'rates and ratios use CPU time (process.cpuUsage), which a loaded shared machine distorts less than wall time',
      `peak RSS ${rssMb.toFixed(0)} MB (whole process, including generated data and SQLite)`,
      '',
    ].join('\n'),
  );
  printBenchResult({
    sessions: a.sessions,
    calls: a.calls,
    visitors: a.visitors,
    planCallsPerSec: Math.round(planRate),
    matchCallsPerSec: Math.round(matchRate),
    sqliteCallsPerSec: Math.round(sqlRate),
    planRatio: Number((planRate / sqlRate).toFixed(2)),
    matchRatio: Number((matchRate / sqlRate).toFixed(2)),
    planCpuMs: Math.round(planMs),
    planWallMs: Math.round(planRun.wallMs),
    matchCpuMs: Number(matchMs.toFixed(1)),
    sqliteCpuMs: Math.round(sqlMs),
    records: {
      webSessions: plan.webSessions.length,
      touchpoints: plan.touchpoints.length,
      tasks: plan.tasks.length,
    },
    merged: mergedInMemory,
    sqlAgrees: disagreements === 0,
    peakRssMb: Math.round(rssMb),
  });
}

/** Wall and CPU time of fn: CPU time is what to read on a shared, loaded machine. */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - w0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

main();
