import fc from 'fast-check';
import {
  callTime,
  callTouchpointKey,
  defaultChannelRules,
  JOIN_DETAIL_MAX,
  mergedDetail,
  planJoin,
  sessionize,
  standaloneDetail,
  type JoinPlan,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../src/domain';
import { at, callTask, event, sessionsOf, VISITOR } from './builders';

const rules = defaultChannelRules();
const T0 = at('2026-03-10T12:00:00Z');
const MIN = 60_000;

describe('join (R5, R9, R11)', () => {
  const events = [
    event({
      receivedAt: T0,
      url: 'https://www.example.com/?utm_source=google&utm_medium=cpc',
      referrer: 'https://www.google.com/',
    }),
    event({ receivedAt: T0 + 5 * MIN, url: 'https://www.example.com/pricing' }),
  ];

  test('call window: start − 2 min skew … last activity + 30 min; the latest-starting session wins', () => {
    const overlapping = [
      ...events,
      // A new campaign arrival 10 min later starts a second session whose window also holds the call.
      event({
        receivedAt: T0 + 10 * MIN,
        url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email',
      }),
    ];
    const sessions = sessionsOf(overlapping);
    const [first, second] = sessions.get(VISITOR)!;
    const plan = (iso: string) =>
      planJoin({
        tasks: [callTask({ Id: '00TAa00000D0001EAA', CreatedDate: iso })],
        sessionsByVisitor: sessions,
        rules,
      });
    expect(plan('2026-03-10T12:20:00.000+0000').tasks[0].Call_Touchpoint__r?.Touchpoint_Key__c).toBe(
      `tp:${second.sessionKey}`,
    );
    expect(plan('2026-03-10T11:58:30.000+0000').tasks[0]).toMatchObject({
      Call_Join_Status__c: 'Merged',
      Call_Touchpoint__r: { Touchpoint_Key__c: `tp:${first.sessionKey}` },
    });
    expect(plan('2026-03-10T11:58:30.000+0000').tasks[0].Call_Join_Detail__c).toMatch(
      /before its first page view/,
    );
    expect(plan('2026-03-10T12:40:00.000+0000').tasks[0].Call_Join_Status__c).toBe('Merged'); // 30 min after 12:10
    expect(plan('2026-03-10T12:40:01.000+0000').tasks[0].Call_Join_Status__c).toBe('Standalone');
    expect(plan('2026-03-10T11:57:00.000+0000').tasks[0].Call_Join_Detail__c).toBe(
      'No web session in the 30-minute window: the nearest session (Paid Search) started 12:00 UTC, 3 min after the call at 11:57 UTC.',
    );
  });

  test('a second conversion in a session links to the existing touchpoint (R9)', () => {
    const withForm = [
      ...events,
      event({ type: 'form_submit', receivedAt: T0 + 6 * MIN, url: 'https://www.example.com/demo' }),
    ];
    const plan = planJoin({
      tasks: [callTask({ CreatedDate: '2026-03-10T12:15:00.000+0000' })],
      sessionsByVisitor: sessionsOf(withForm),
      rules,
    });
    expect(plan.touchpoints).toHaveLength(1);
    expect(plan.touchpoints[0]).toMatchObject({
      Touchpoint_Type__c: 'Web Form',
      Form_URL__c: 'https://www.example.com/demo',
      Merge_Status__c: null,
    });
    expect(plan.tasks[0].Call_Join_Status__c).toBe('Merged');
    expect(plan.tasks[0].Call_Join_Detail__c).toMatch(
      /Linked to the session's existing Web Form touchpoint\.$/,
    );
  });

  test('a Task whose Type is filled in later updates the same touchpoint (R11)', () => {
    const sessions = sessionsOf(events);
    const before = planJoin({
      tasks: [
        callTask({ Id: '00TAa00000D0002EAA', Type: null, CreatedDate: '2026-03-10T12:10:00.000+0000' }),
      ],
      sessionsByVisitor: sessions,
      rules,
    });
    const after = planJoin({
      tasks: [
        callTask({ Id: '00TAa00000D0002EAA', Type: 'Call', CreatedDate: '2026-03-10T12:10:00.000+0000' }),
      ],
      sessionsByVisitor: sessions,
      rules,
    });
    expect(after.touchpoints.map((t) => t.Touchpoint_Key__c)).toEqual(
      before.touchpoints.map((t) => t.Touchpoint_Key__c),
    );
    expect([before.touchpoints[0].Touchpoint_Type__c, after.touchpoints[0].Touchpoint_Type__c]).toEqual([
      'Web Visit',
      'Call',
    ]);
  });

  test('late session data moves a call from standalone to merged; the plan no longer holds the standalone touchpoint', () => {
    const call = callTask({ Id: '00TAa00000D0003EAA', CreatedDate: '2026-03-10T13:30:00.000+0000' });
    const early = planJoin({ tasks: [call], sessionsByVisitor: sessionsOf(events), rules });
    expect(early.touchpoints.map((t) => t.Touchpoint_Key__c)).toContain(callTouchpointKey(call.Id));
    const late = [...events, event({ receivedAt: T0 + 80 * MIN, url: 'https://www.example.com/contact' })];
    const merged = planJoin({ tasks: [call], sessionsByVisitor: sessionsOf(late), rules });
    expect(merged.tasks[0].Call_Join_Status__c).toBe('Merged');
    expect(merged.touchpoints.map((t) => t.Touchpoint_Key__c)).not.toContain(callTouchpointKey(call.Id));
  });

  test('visitors without any conversion get no records; non-call Tasks without BizibleId are ignored', () => {
    const plan = planJoin({
      tasks: [
        {
          Id: '00TAa00000D0004EAA',
          Type: 'Email',
          TaskSubtype: 'Email',
          CreatedDate: '2026-03-10T12:10:00.000+0000',
        },
      ],
      sessionsByVisitor: sessionsOf(events),
      rules,
    });
    expect(plan).toEqual({
      webSessions: [],
      touchpoints: [],
      tasks: [],
      summary: { tasks: 0, merged: 0, standalone: 0, missingId: 0 },
    });
  });

  test('a custom BizibleId field (bizible2__BizibleId__c) is read (R1)', () => {
    const t = callTask({
      BizibleId__c: null,
      bizible2__BizibleId__c: VISITOR,
      CreatedDate: '2026-03-10T12:10:00.000+0000',
    });
    const plan = planJoin({
      tasks: [t],
      sessionsByVisitor: sessionsOf(events),
      rules,
      bizibleIdField: 'bizible2__BizibleId__c',
    });
    expect(plan.tasks[0].Call_Join_Status__c).toBe('Merged');
  });

  test('long values are truncated to the Salesforce field lengths, never rejected', () => {
    const long = event({
      receivedAt: T0,
      url: `https://www.example.com/${'p'.repeat(400)}?utm_campaign=${'c'.repeat(300)}`,
    });
    const plan = planJoin({
      tasks: [callTask({ Type: 'T'.repeat(100), CreatedDate: '2026-03-10T12:05:00.000+0000' })],
      sessionsByVisitor: sessionsOf([long]),
      rules,
    });
    const tp = plan.touchpoints[0];
    expect(tp.Landing_Page__c).toHaveLength(255);
    expect(tp.Campaign__c).toHaveLength(255);
    expect(tp.Touchpoint_Type__c).toHaveLength(80);
    expect(plan.tasks[0].Call_Join_Detail__c.length).toBeLessThanOrEqual(JOIN_DETAIL_MAX);
  });
});

describe('detail sentences', () => {
  test('are at most 255 characters even with long pages and far-apart days', () => {
    const [s] = sessionize([
      event({ receivedAt: T0, url: `https://www.example.com/${'x/'.repeat(300)}` }),
    ]) as WebSession[];
    const channel = { channel: 'C'.repeat(80), subchannel: null };
    const texts = [
      mergedDetail(s, channel, T0 + 40 * MIN, 'Web Form'.repeat(10)),
      mergedDetail(s, channel, T0 - MIN, null),
      standaloneDetail(
        { session: s, channel, side: 'before', missedByMs: 40 * 24 * 60 * MIN },
        T0 + 40 * 24 * 60 * MIN,
        30,
      ),
      standaloneDetail(null, T0, 30),
    ];
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(JOIN_DETAIL_MAX);
    expect(texts[2]).toMatch(/2026-03-10 12:00 UTC/); // another day → ISO date named
  });
});

// ---- Properties -------------------------------------------------------------------------------
const visitors = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
const arbEvent = fc
  .record({
    v: fc.constantFrom(...visitors),
    minute: fc.integer({ min: 0, max: 60 * 48 }),
    u: fc.constantFrom(
      'https://www.example.com/',
      'https://www.example.com/?gclid=1',
      'https://www.example.com/?utm_source=nl&utm_medium=email',
    ),
    r: fc.constantFrom(null, 'https://www.google.com/', 'https://www.example.com/'),
    form: fc.boolean(),
  })
  .map((x) =>
    event({
      visitorId: x.v,
      receivedAt: T0 + x.minute * MIN,
      url: x.u,
      referrer: x.r,
      type: x.form && x.minute % 3 === 0 ? 'form_submit' : 'page_view',
    }),
  );
const arbTask = fc
  .record({
    n: fc.integer({ min: 0, max: 9999 }),
    v: fc.constantFrom(...visitors, 'd'.repeat(32), null),
    minute: fc.integer({ min: -60, max: 60 * 49 }),
    type: fc.constantFrom('Call', null, 'Phone Call'),
    duration: fc.option(fc.integer({ min: 0, max: 3600 })),
  })
  .map((x): TaskRecord => ({
    Id: `00TAa00000E${String(x.n).padStart(4, '0')}EAA`,
    Type: x.type,
    TaskSubtype: 'Call',
    CreatedDate: new Date(T0 + x.minute * MIN).toISOString().replace('Z', '+0000'),
    CallDurationInSeconds: x.duration,
    BizibleId__c: x.v,
    WhoId: x.n % 2 ? '003Aa00000Qm4TrIAJ' : '00QAa00000Lx9ZpMAJ',
  }));
const arbInput = fc.record({
  events: fc.uniqueArray(arbEvent, { selector: (e: TrackedEvent) => e.eventId, maxLength: 40 }),
  tasks: fc.uniqueArray(arbTask, { selector: (t) => t.Id, maxLength: 8 }),
});

/** Applies the plan's Task updates the way the writer would (fields + lookup by key). */
function applied(tasks: TaskRecord[], plan: JoinPlan): TaskRecord[] {
  const byId = new Map(plan.tasks.map((t) => [t.Id, t]));
  return tasks.map((t) => {
    const u = byId.get(t.Id);
    return u
      ? {
          ...t,
          Call_Join_Status__c: u.Call_Join_Status__c,
          Call_Join_Detail__c: u.Call_Join_Detail__c,
          Call_Touchpoint__c: u.Call_Touchpoint__r
            ? 'a01Aa00000' + u.Call_Touchpoint__r.Touchpoint_Key__c.length
            : null,
        }
      : t;
  });
}

describe('join properties', () => {
  test('re-planning on its own output (updated Tasks, shuffled input) gives identical records (R11)', () => {
    fc.assert(
      fc.property(arbInput, fc.infiniteStream(fc.nat()), ({ events, tasks }, rnd) => {
        const first = planJoin({ tasks, sessionsByVisitor: sessionsOf(events), rules });
        const shuffled = [...applied(tasks, first)].sort(() => (rnd.next().value % 3) - 1);
        const again = planJoin({
          tasks: shuffled,
          sessionsByVisitor: sessionsOf([...events].reverse()),
          rules,
        });
        expect(again).toEqual(first);
      }),
    );
  });

  test('plans are consistent: one outcome per call, references resolve, each model sums to 100 per journey (R21)', () => {
    fc.assert(
      fc.property(arbInput, ({ events, tasks }) => {
        const plan = planJoin({ tasks, sessionsByVisitor: sessionsOf(events), rules });
        expect(plan.tasks.map((t) => t.Id).sort()).toEqual(tasks.map((t) => t.Id).sort());
        const tpKeys = new Set(plan.touchpoints.map((t) => t.Touchpoint_Key__c));
        const wsKeys = new Set(plan.webSessions.map((s) => s.Session_Key__c));
        expect(tpKeys.size).toBe(plan.touchpoints.length);
        for (const t of plan.tasks) {
          expect(t.Call_Join_Detail__c.length).toBeLessThanOrEqual(JOIN_DETAIL_MAX);
          if (t.Call_Touchpoint__r) expect(tpKeys.has(t.Call_Touchpoint__r.Touchpoint_Key__c)).toBe(true);
          else expect(t.Call_Join_Status__c).toBe('Missing BizibleId');
        }
        for (const tp of plan.touchpoints)
          if (tp.Web_Session__r) expect(wsKeys.has(tp.Web_Session__r.Session_Key__c)).toBe(true);
        // R21: a journey is a person's (the one WhoId all its cookie's calls name), else the cookie's.
        const whoIds = new Map<string, Set<string>>();
        for (const t of tasks)
          if (typeof t.BizibleId__c === 'string' && typeof t.WhoId === 'string' && t.WhoId)
            whoIds.set(t.BizibleId__c, (whoIds.get(t.BizibleId__c) ?? new Set()).add(t.WhoId));
        const journeyOf = (v: string) => {
          const w = whoIds.get(v);
          return w?.size === 1 ? `who:${[...w][0]}` : v;
        };
        const byJourney = new Map<string, number[]>();
        for (const tp of plan.touchpoints) {
          const key = journeyOf(tp.BizibleId__c);
          const sums = byJourney.get(key) ?? [0, 0, 0];
          sums[0] += tp.First_Touch_Percent__c * 100;
          sums[1] += tp.Lead_Creation_Percent__c * 100;
          sums[2] += tp.U_Shaped_Percent__c * 100;
          byJourney.set(key, sums);
        }
        for (const sums of byJourney.values()) expect(sums.map(Math.round)).toEqual([10000, 10000, 10000]);
        expect(plan.summary.merged + plan.summary.standalone + plan.summary.missingId).toBe(
          plan.summary.tasks,
        );
      }),
    );
  });

  test("a call merges exactly when one of its visitor's sessions holds the call time in its window (R5)", () => {
    fc.assert(
      fc.property(arbInput, ({ events, tasks }) => {
        const sessions = sessionsOf(events);
        const plan = planJoin({ tasks, sessionsByVisitor: sessions, rules });
        const statusOf = new Map(plan.tasks.map((t) => [t.Id, t.Call_Join_Status__c]));
        for (const task of tasks) {
          const visitor = task.BizibleId__c;
          if (typeof visitor !== 'string') continue;
          const at = callTime(task)!;
          // Window: session start − 2 min (clock skew) … last activity + 30 min.
          const inWindow = (sessions.get(visitor) ?? []).some(
            (s) => at >= s.startedAt - 2 * MIN && at <= s.lastActivityAt + 30 * MIN,
          );
          expect(statusOf.get(task.Id)).toBe(inWindow ? 'Merged' : 'Standalone');
        }
      }),
    );
  });
});
