import { defaultChannelRules, planJoin, callTouchpointKey, sessionTouchpointKey } from '../../src/domain';
import { callTask, event, sessionsOf, VISITOR } from './builders';

/** The cases of the Marketo Measure "Call Tracking Integration" page, as named tests
 * (the rules R1–R12: docs/join-rules.md). */
const rules = defaultChannelRules();
const googleAdClick = (time: string) =>
  event({
    url: 'https://www.example.com/pricing?gclid=Cj0KCQiAhomeBhDgARIsAGxQ5kVd',
    referrer: 'https://www.google.com/',
    receivedAt: time,
  });

describe('doc cases', () => {
  test('ad click at 12:17 and a call at 13:05 do not merge: a standalone call touchpoint (R5, R8)', () => {
    const call = callTask({
      CreatedDate: '2026-03-10T13:09:00.000+0000',
      Call_Started_At__c: '2026-03-10T13:05:00.000+0000',
    });
    const plan = planJoin({
      tasks: [call],
      sessionsByVisitor: sessionsOf([googleAdClick('2026-03-10T12:17:00Z')]),
      rules,
    });
    const task = plan.tasks[0];
    expect(task.Call_Join_Status__c).toBe('Standalone');
    expect(task.Call_Touchpoint__r).toEqual({ Touchpoint_Key__c: callTouchpointKey(call.Id) });
    expect(task.Call_Join_Detail__c).toBe(
      'No web session in the 30-minute window: the nearest session (Paid Search, last activity 12:17 UTC) ended 18 min before the call at 13:05 UTC.',
    );
    const standalone = plan.touchpoints.find((t) => t.Touchpoint_Key__c === callTouchpointKey(call.Id))!;
    expect(standalone).toMatchObject({
      Touchpoint_Type__c: 'Call',
      Medium__c: 'Call',
      Source__c: 'CRM Activity',
      Channel__c: 'Other',
      Web_Session__r: null,
      Landing_Page__c: null,
      Click_Id__c: null,
      Merge_Status__c: 'Standalone',
      Task_Id__c: call.Id,
      Touchpoint_Date__c: '2026-03-10T13:05:00.000Z',
      Position__c: 'LC',
    });
    expect(plan.summary).toEqual({ tasks: 1, merged: 0, standalone: 1, missingId: 0 });
  });

  test('a call 10 minutes after a paid Google ad click merges: Type and Medium from Task.Type, channel from the session (R5, R6)', () => {
    const events = [
      googleAdClick('2026-03-10T12:07:00Z'),
      event({
        url: 'https://www.example.com/pricing/enterprise',
        referrer: 'https://www.example.com/pricing',
        receivedAt: '2026-03-10T12:12:00Z',
      }),
    ];
    const call = callTask({
      Type: 'Phone Call',
      CreatedDate: '2026-03-10T12:26:00.000+0000',
      CallDurationInSeconds: 240,
    });
    const plan = planJoin({ tasks: [call], sessionsByVisitor: sessionsOf(events), rules });
    expect(plan.tasks[0].Call_Join_Status__c).toBe('Merged');
    expect(plan.tasks[0].Call_Join_Detail__c).toBe(
      'Merged with the Paid Search session that started 12:07 UTC (landing page /pricing); the call came 10 min after the last page view.',
    );
    expect(plan.touchpoints).toHaveLength(1);
    const tp = plan.touchpoints[0];
    expect(tp).toMatchObject({
      Touchpoint_Type__c: 'Phone Call',
      Medium__c: 'Phone Call',
      Channel__c: 'Paid Search',
      Subchannel__c: 'Google Ads',
      Landing_Page__c: 'https://www.example.com/pricing?gclid=Cj0KCQiAhomeBhDgARIsAGxQ5kVd',
      Referrer_Page__c: 'https://www.google.com/',
      Click_Id__c: 'gclid=Cj0KCQiAhomeBhDgARIsAGxQ5kVd',
      Touchpoint_Date__c: '2026-03-10T12:22:00.000Z',
      Merge_Status__c: 'Merged',
      Task_Id__c: call.Id,
      Lead__c: '00QAa00000Lx9ZpMAJ',
      Contact__c: null,
    });
    expect(plan.tasks[0].Call_Touchpoint__r).toEqual({ Touchpoint_Key__c: tp.Touchpoint_Key__c });
    expect(tp.Web_Session__r).toEqual({ Session_Key__c: plan.webSessions[0].Session_Key__c });
    expect(plan.webSessions[0]).toMatchObject({
      Channel__c: 'Paid Search',
      Click_Id__c: 'gclid=Cj0KCQiAhomeBhDgARIsAGxQ5kVd',
      Page_Views__c: 2,
    });
  });

  test('empty Task.Type gives touchpoint type "Web Visit" (R7)', () => {
    const call = callTask({ Type: null, TaskSubtype: 'Call', CreatedDate: '2026-03-10T12:20:00.000+0000' });
    const plan = planJoin({
      tasks: [call],
      sessionsByVisitor: sessionsOf([googleAdClick('2026-03-10T12:07:00Z')]),
      rules,
    });
    expect(plan.tasks[0].Call_Join_Status__c).toBe('Merged');
    expect(plan.touchpoints[0].Touchpoint_Type__c).toBe('Web Visit');
    expect(plan.touchpoints[0].Merge_Status__c).toBe('Merged');
  });

  test('no BizibleId gives no touchpoint and status Missing BizibleId (R2)', () => {
    const call = callTask({ BizibleId__c: null, CreatedDate: '2026-03-10T12:20:00.000+0000' });
    const blank = callTask({ BizibleId__c: '   ', CreatedDate: '2026-03-10T12:21:00.000+0000' });
    const plan = planJoin({
      tasks: [call, blank],
      sessionsByVisitor: sessionsOf([googleAdClick('2026-03-10T12:07:00Z')]),
      rules,
    });
    expect(plan.touchpoints).toEqual([]);
    expect(plan.webSessions).toEqual([]);
    for (const t of plan.tasks) {
      expect(t.Call_Join_Status__c).toBe('Missing BizibleId');
      expect(t.Call_Touchpoint__r).toBeNull();
      expect(t.Call_Join_Detail__c).toMatch(/_biz_uid/);
    }
    expect(plan.summary.missingId).toBe(2);
  });

  test('before/after journey: visit + call, then a later form fill → call touchpoint "FT, LC", form "PostLC" (R9)', () => {
    const events = [
      googleAdClick('2026-03-10T12:07:00Z'),
      event({
        url: 'https://www.example.com/blog',
        referrer: 'https://www.google.com/',
        receivedAt: '2026-03-12T09:20:00Z',
      }),
      event({
        type: 'form_submit',
        url: 'https://www.example.com/demo',
        referrer: 'https://www.example.com/blog',
        receivedAt: '2026-03-12T09:25:00Z',
      }),
    ];
    const withCall = planJoin({
      tasks: [callTask({ CreatedDate: '2026-03-10T12:15:00.000+0000' })],
      sessionsByVisitor: sessionsOf(events),
      rules,
    });
    expect(
      withCall.touchpoints.map((t) => [t.Touchpoint_Type__c, t.Position__c, t.U_Shaped_Percent__c]),
    ).toEqual([
      ['Call', 'FT, LC', 100],
      ['Web Form', 'PostLC', 0],
    ]);
    // Without the call, the form fill is the lead creation and the ad visit is a plain FT web visit.
    const without = planJoin({ tasks: [], sessionsByVisitor: sessionsOf(events), rules });
    expect(
      without.touchpoints.map((t) => [t.Touchpoint_Type__c, t.Position__c, t.U_Shaped_Percent__c]),
    ).toEqual([
      ['Web Visit', 'FT', 50],
      ['Web Form', 'LC', 50],
    ]);
    expect(without.touchpoints[0].Touchpoint_Key__c).toBe(withCall.touchpoints[0].Touchpoint_Key__c);
    expect(withCall.touchpoints[0].Touchpoint_Key__c).toBe(
      sessionTouchpointKey(sessionsOf(events).get(VISITOR)![0].sessionKey),
    );
  });
});
