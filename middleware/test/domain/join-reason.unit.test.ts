import fc from 'fast-check';
import {
  callerOutcomeOfDetail,
  callerSentence,
  defaultChannelRules,
  JOIN_DETAIL_MAX,
  joinReason,
  pickOutcome,
  planJoin,
  type CallerOutcome,
  type JoinInput,
  type TaskRecord,
  type TaskUpdateRecord,
} from '../../src/domain';
import { at, callTask, event, sessionsOf, VISITOR } from './builders';

/** R23: a reason on every call Task, beside its status and detail (domain/join-reason.ts). */
const rules = defaultChannelRules();
const T0 = at('2026-03-10T12:00:00Z');
const MIN = 60_000;
const visit = sessionsOf([
  event({ receivedAt: T0, url: 'https://www.example.com/?utm_source=google&utm_medium=cpc' }),
  event({ receivedAt: T0 + 5 * MIN, url: 'https://www.example.com/pricing' }),
]);
const iso = (ms: number) => new Date(ms).toISOString();

function outcomeOf(task: TaskRecord, input: Partial<JoinInput> = {}): TaskUpdateRecord {
  const plan = planJoin({ tasks: [task], sessionsByVisitor: visit, rules, ...input });
  return plan.tasks.find((t) => t.Id === task.Id)!;
}

describe('Call_Join_Reason__c (R23)', () => {
  it('a call no web session credits gets the attribution reason (R2, R3, R8)', () => {
    expect(outcomeOf(callTask({ CreatedDate: iso(T0), BizibleId__c: null })).Call_Join_Reason__c).toBe(
      'No_BizibleId',
    );
    expect(outcomeOf(callTask({ CreatedDate: 'not a date' })).Call_Join_Reason__c).toBe('Call_Time_Unknown');
    // The nearest session ended long before the call.
    const late = outcomeOf(callTask({ CreatedDate: iso(T0 + 3 * 60 * MIN) }));
    expect(late).toMatchObject({ Call_Join_Status__c: 'Standalone', Call_Join_Reason__c: 'Window_Passed' });
    const stranger = callTask({ CreatedDate: iso(T0), BizibleId__c: 'b'.repeat(32) });
    expect(outcomeOf(stranger).Call_Join_Reason__c).toBe('Never_Tracked');
    expect(outcomeOf(stranger, { automatedVisitors: new Set(['b'.repeat(32)]) }).Call_Join_Reason__c).toBe(
      'Bot_Traffic',
    );
    expect(outcomeOf(stranger, { optedOutVisitors: new Set(['b'.repeat(32)]) }).Call_Join_Reason__c).toBe(
      'No_Consent',
    );
  });

  it('a call joined to its session says how its person was found (R18–R20)', () => {
    const call = callTask({ CreatedDate: iso(T0 + 10 * MIN) });
    expect(outcomeOf(call)).toMatchObject({ Call_Join_Status__c: 'Merged', Call_Join_Reason__c: 'Joined' });
    expect(outcomeOf({ ...call, WhoId: null }).Call_Join_Reason__c).toBe('Unknown_Caller');
    const several: CallerOutcome = { kind: 'several', matches: 3, picked: 'Contact', why: 'most-recent' };
    const picked = outcomeOf(call, { callers: new Map([[call.Id, several]]) });
    expect(picked.Call_Join_Reason__c).toBe('Several_Matches');
    expect(picked.Call_Join_Detail__c).toMatch(
      /^3 records share this number; linked to the Contact modified most recently\. Merged with the Paid Search session/,
    );
    const created = outcomeOf(call, { callers: new Map([[call.Id, { kind: 'created' }]]) });
    expect(created.Call_Join_Reason__c).toBe('Lead_Created');
    const matched = outcomeOf(call, { callers: new Map([[call.Id, { kind: 'matched' }]]) });
    expect(matched.Call_Join_Reason__c).toBe('Duplicate_Rule');
    // A standalone call keeps its attribution reason; the detail still says how the person was found.
    const standalone = outcomeOf(callTask({ ...call, CreatedDate: iso(T0 + 3 * 60 * MIN) }), {
      callers: new Map([[call.Id, several]]),
    });
    expect(standalone.Call_Join_Reason__c).toBe('Window_Passed');
    expect(standalone.Call_Join_Detail__c).toMatch(/^3 records share this number;.* No web session in the/);
  });

  it('a re-run over the Task as written gives the same fields (R11): the detail remembers the outcome', () => {
    const call = callTask({ CreatedDate: iso(T0 + 10 * MIN) });
    for (const o of [
      { kind: 'created' },
      { kind: 'matched' },
      { kind: 'several', matches: 2, picked: 'Contact', why: 'only-contact' },
      { kind: 'several', matches: 4, picked: 'Lead', why: 'lowest-id' },
    ] as CallerOutcome[]) {
      const first = outcomeOf(call, { callers: new Map([[call.Id, o]]) });
      const again = outcomeOf({ ...call, Call_Join_Detail__c: first.Call_Join_Detail__c });
      expect(again).toEqual(first);
    }
    // A rep who unlinks the Task: no person, no sentence.
    const first = outcomeOf(call, { callers: new Map([[call.Id, { kind: 'created' }]]) });
    const unlinked = outcomeOf({ ...call, WhoId: null, Call_Join_Detail__c: first.Call_Join_Detail__c });
    expect(unlinked.Call_Join_Reason__c).toBe('Unknown_Caller');
    expect(unlinked.Call_Join_Detail__c).toMatch(/^Merged with/);
    // This run's lookup found one record (null): an older sentence is dropped.
    const single = outcomeOf(
      { ...call, Call_Join_Detail__c: first.Call_Join_Detail__c },
      { callers: new Map([[call.Id, null]]) },
    );
    expect(single).toMatchObject({ Call_Join_Reason__c: 'Joined' });
    expect(single.Call_Join_Detail__c).toMatch(/^Merged with/);
  });

  it('every sentence reads back as its outcome and stays whole within 255 characters', () => {
    const outcome = fc.oneof(
      fc.constant<CallerOutcome>({ kind: 'created' }),
      fc.constant<CallerOutcome>({ kind: 'matched' }),
      fc.record({
        kind: fc.constant('several' as const),
        matches: fc.integer({ min: 2, max: 500 }),
        picked: fc.constantFrom('Contact' as const, 'Lead' as const),
        why: fc.constantFrom('most-recent' as const, 'lowest-id' as const),
      }),
      fc.integer({ min: 2, max: 500 }).map<CallerOutcome>((matches) => ({
        kind: 'several',
        matches,
        picked: 'Contact',
        why: 'only-contact',
      })),
    );
    fc.assert(
      fc.property(outcome, fc.string({ maxLength: 300 }), (o, rest) => {
        const detail = `${callerSentence(o)} ${rest}`;
        expect(callerOutcomeOfDetail(detail)).toEqual(o);
        expect(callerSentence(o).length).toBeLessThan(JOIN_DETAIL_MAX / 2);
      }),
    );
    expect(callerOutcomeOfDetail('Merged with the Paid Search session')).toBeNull();
    expect(callerOutcomeOfDetail(null)).toBeNull();
  });

  it('R20: the pick is explained by the rule that decided it', () => {
    const lead = (id: string, t: string) => ({ Id: `00Q${id}`, LastModifiedDate: t });
    const contact = (id: string, t: string) => ({ Id: `003${id}`, LastModifiedDate: t });
    const a = contact('A', '2026-01-01T00:00:00Z');
    expect(pickOutcome([lead('B', '2026-03-01T00:00:00Z'), a], a)).toMatchObject({ why: 'only-contact' });
    const b = contact('B', '2026-02-01T00:00:00Z');
    expect(pickOutcome([a, b], b)).toMatchObject({ picked: 'Contact', why: 'most-recent', matches: 2 });
    const c = lead('C', '2026-02-01T00:00:00Z');
    expect(pickOutcome([c, lead('D', '2026-02-01T00:00:00Z')], c)).toMatchObject({
      picked: 'Lead',
      why: 'lowest-id',
    });
    expect(joinReason('merged', null, VISITOR)).toBe('Joined');
  });
});
