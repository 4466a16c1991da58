import {
  defaultChannelRules,
  parseChannelSheet,
  sessionize,
  type ChannelRules,
  type JoinInput,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../src/domain';
import { mulberry32 } from '../../src/prng';
import { event } from './builders';

/**
 * A seeded, randomized but reproducible join input with the cases the rules distinguish: arrivals
 * of every channel, sessions split by inactivity, source change and the 24 h cap, form fills,
 * calls inside / before / after / far from a session's window, several conversions in one session,
 * calls without BizibleId, without a usable date, with an empty Type, with other Task types, for
 * never-tracked visitors, over-long text fields. Used by join-golden.test.ts against a fixture of
 * the engine's output, so optimizations of planJoin can be checked record for record.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-02T08:00:00Z');

const LONG = 'x'.repeat(300);
const ARRIVALS: { url: string; ref: string | null }[] = [
  { url: 'https://www.example.com/pricing?gclid=Cj0KCQiA', ref: 'https://www.google.com/' },
  { url: 'https://www.example.com/', ref: 'https://www.google.co.uk/search?q=calls' },
  {
    url: 'https://www.example.com/webinar?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
    ref: null,
  },
  { url: 'https://www.example.com/case-studies', ref: 'https://www.linkedin.com/feed/' },
  { url: 'https://www.example.com/pricing', ref: null },
  { url: 'https://www.example.com/docs', ref: 'https://docs.example.com/start' },
  { url: 'https://www.example.com/?msclkid=abc123', ref: 'https://www.bing.com/' },
  { url: 'https://www.example.com/?utm_source=facebook&utm_medium=paid-social&utm_content=v2', ref: null },
  { url: 'https://www.example.com/blog/post', ref: 'https://news.ycombinator.com/item?id=1' },
  { url: `https://www.example.com/lp?utm_source=partner&utm_medium=referral&utm_term=${LONG}`, ref: null },
  { url: 'https://www.example.com/?fbclid=IwAR0', ref: 'https://m.facebook.com/' },
  { url: 'https://www.example.com/demo#form', ref: 'https://duckduckgo.com/' },
];
const PAGES = ['/pricing', '/features', '/about', '/contact', '/blog/a', '/docs/start'];
const TYPES: (string | null)[] = [
  'Call',
  'Call',
  'Call',
  'Phone Call',
  '',
  null,
  'Inbound Call',
  '  Call  ',
  `Call ${LONG}`,
];

export interface RandomJoinCase {
  name: string;
  input: JoinInput;
}

export function randomJoinCases(seed = 20260310, visitors = 2000): RandomJoinCase[] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');

  const events: TrackedEvent[] = [];
  const ids: string[] = [];
  for (let v = 0; v < visitors; v++) {
    // Low-entropy ids and keys keep the gzipped fixture small; the order still differs from v's.
    const id = (Math.imul(v + 1, 2654435761) >>> 0).toString(16).padStart(32, '0');
    ids.push(id);
    let t = T0 + Math.floor(rnd() * 14 * 24 * 60) * MIN;
    const visits = Math.floor(rnd() * 6);
    for (let k = 0; k < visits; k++) {
      const a = pick(ARRIVALS);
      const marathon = rnd() < 0.01; // page views every 20 min for 26 h: the 24 h cap splits it
      const views = marathon ? 78 : 1 + Math.floor(rnd() * 6);
      for (let p = 0; p < views; p++) {
        const first = p === 0;
        events.push(
          event({
            visitorId: id,
            url: first ? a.url : `https://www.example.com${pick(PAGES)}`,
            referrer: first ? a.ref : 'https://www.example.com/',
            receivedAt: t,
            clientTime: rnd() < 0.1 ? t - Math.floor(rnd() * 8) * MIN : null,
          }),
        );
        if (rnd() < 0.06 && !marathon)
          events.push(
            event({
              type: 'form_submit',
              visitorId: id,
              url: pick(['https://www.example.com/demo', 'https://www.example.com/contact?x=1']),
              referrer: 'https://www.example.com/',
              receivedAt: t + MIN,
              email: rnd() < 0.5 ? `lead${v}@example.org` : null,
            }),
          );
        // Mostly within 30 min; sometimes a gap just over it (inactivity split).
        t += marathon ? 20 * MIN : rnd() < 0.1 ? 31 * MIN : Math.floor(rnd() * 12) * MIN;
      }
      if (rnd() < 0.02) events.push({ ...events[events.length - 1] }); // duplicate delivery
      t += rnd() < 0.2 ? Math.floor(rnd() * 25) * MIN : Math.floor(rnd() * 5 * 24 * 60) * MIN;
    }
  }
  const sessionsByVisitor = new Map<string, WebSession[]>();
  for (const s of sessionize(events)) {
    const list = sessionsByVisitor.get(s.visitorId);
    if (list) list.push(s);
    else sessionsByVisitor.set(s.visitorId, [s]);
  }
  for (const [v, list] of sessionsByVisitor) {
    list.forEach((s, k) => (s.sessionKey = `ws_${v.slice(24)}_${(k * 7919) % 1000}`));
    // Input order must not matter: reverse some visitors' session lists.
    if (rnd() < 0.1) list.reverse();
  }

  const tasks: TaskRecord[] = [];
  let seq = 0;
  const taskId = () => `00TAa${(seq++).toString(36).padStart(10, '0')}AAA`;
  const iso = (ms: number) =>
    rnd() < 0.5 ? new Date(ms).toISOString() : new Date(ms).toISOString().replace('Z', '+0000');
  const callAround = (sessions: WebSession[] | undefined): number => {
    if (!sessions || sessions.length === 0) return T0 + Math.floor(rnd() * 20 * 24 * 60) * MIN;
    const s = pick(sessions);
    const r = rnd();
    if (r < 0.35) return s.lastActivityAt + Math.floor(rnd() * 30) * MIN; // in the window
    if (r < 0.5) return s.startedAt + Math.floor(rnd() * Math.max(1, s.lastActivityAt - s.startedAt)); // during
    if (r < 0.6) return s.startedAt - Math.floor(rnd() * 4) * MIN; // before the start (skew)
    if (r < 0.75) return s.lastActivityAt + 30 * MIN + Math.floor(rnd() * 3 * HOUR); // just missed
    if (r < 0.85) return s.lastActivityAt + (r < 0.8 ? 30 * MIN : 30 * MIN + 1000); // boundary
    if (r < 0.9) return s.forms[0]?.at ?? s.startedAt; // same instant as a form
    return s.startedAt - Math.floor(rnd() * 10 * 24 * 60) * MIN; // days before
  };
  for (let v = 0; v < visitors; v++) {
    const id = ids[v];
    if (rnd() < 0.45) continue;
    const calls = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 5 : 2));
    for (let c = 0; c < calls; c++) {
      const at = callAround(sessionsByVisitor.get(id));
      const duration = Math.floor(rnd() * 900);
      const r = rnd();
      const task: TaskRecord = {
        Id: taskId(),
        Type: pick(TYPES),
        TaskSubtype: 'Call',
        CreatedDate: iso(r < 0.3 ? at : at + duration * 1000),
        CallDurationInSeconds: r < 0.3 ? null : duration,
        Call_Started_At__c: r < 0.3 ? iso(at) : null,
        WhoId: pick(['00QAa00000Lx9ZpMAJ', '003Aa00000Qw3ErTAJ', null, '005Aa00000Zz1XyAAJ']),
        BizibleId__c: rnd() < 0.1 ? `  ${id.toUpperCase()} ` : id,
      };
      if (rnd() < 0.02) task.CreatedDate = 'not a date';
      tasks.push(task);
    }
  }
  // Calls of never-tracked visitors, calls without BizibleId, Tasks that are not calls.
  for (let i = 0; i < visitors / 20; i++) {
    const at = T0 + Math.floor(rnd() * 20 * 24 * 60) * MIN;
    tasks.push({ Id: taskId(), Type: 'Call', CreatedDate: iso(at), BizibleId__c: hex(32) });
    tasks.push({
      Id: taskId(),
      Type: pick(['Call', '', null]),
      TaskSubtype: 'Call',
      CreatedDate: iso(at),
      BizibleId__c: pick(['', '  ', null]),
    });
    tasks.push({
      Id: taskId(),
      Type: 'Email',
      TaskSubtype: 'Email',
      CreatedDate: iso(at),
      BizibleId__c: null,
    });
    tasks.push({
      Id: taskId(),
      Type: 'Email',
      TaskSubtype: 'Email',
      CreatedDate: iso(at),
      BizibleId__c: pick(ids),
    });
  }
  // Tasks in any order.
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
  }

  const defaults: RandomJoinCase = {
    name: 'default sheet and options',
    input: { tasks, sessionsByVisitor, rules: defaultChannelRules() },
  };
  // Same data, managed-package field name, a sheet with an offline row, other window and skew.
  const renamed = tasks.map((t) => {
    const { BizibleId__c, ...rest } = t;
    return { ...rest, bizible2__BizibleId__c: BizibleId__c } as TaskRecord;
  });
  const custom: RandomJoinCase = {
    name: 'bizible2__BizibleId__c, offline sheet row, 20-minute window, 5-minute skew',
    input: {
      tasks: renamed,
      sessionsByVisitor,
      rules: offlineSheetRules(),
      bizibleIdField: 'bizible2__BizibleId__c',
      options: { windowMs: 20 * MIN, skewBeforeStartMs: 5 * MIN },
    },
  };
  return [defaults, custom];
}

/** A sheet with an offline row (R8) in front of web rules and a catch-all Direct. */
function offlineSheetRules(): ChannelRules {
  return parseChannelSheet(
    [
      'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website',
      'Phone,Inbound,,Call;Phone Call,CRM Activity,,',
      'Paid Search,Google Ads,,,,*gclid=*,',
      'Paid Search,Microsoft Ads,,,,*msclkid=*,',
      'Paid Social,Facebook Ads,,paid*,facebook*,,',
      'Email,,spring,email,,,',
      'Referral,Partners,,referral,,,',
      'Organic Social,Facebook,,,,*fbclid=*,',
      'Organic Social,LinkedIn,,,,,linkedin.com',
      'Organic Search,Google,,,,,google.*',
      'Organic Search,Other,,,,,*.bing.com;duckduckgo.com',
      'Referral,,,,,,*',
      'Direct,,,,,,',
    ].join('\n'),
  );
}
