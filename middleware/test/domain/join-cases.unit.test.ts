import { defaultChannelRules, parseChannelSheet, planJoin, type JoinInput } from '../../src/domain';
import { UNKNOWN_CALL_TIME_DETAIL } from '../../src/domain/detail';
import { at, callTask, event, sessionsOf, VISITOR } from './builders';

/**
 * Outcomes of the join that the rest of the domain tests do not show on their own, one case each.
 * (They replace a recorded 10 MB plan of seeded random input; the properties in join.test.ts keep
 * the breadth.)
 */
const MIN = 60_000;
const T0 = at('2026-03-10T12:00:00Z');
const utc = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const plan = (input: Partial<JoinInput> & Pick<JoinInput, 'tasks'>) =>
  planJoin({ sessionsByVisitor: new Map(), rules: defaultChannelRules(), ...input });

describe('join: one outcome per case', () => {
  test('a call Task without a usable date stays Pending and tells the admin what to check', () => {
    const task = callTask({ CreatedDate: 'not a date' });
    const { tasks, touchpoints } = plan({ tasks: [task] });
    expect(tasks).toEqual([
      expect.objectContaining({
        Id: task.Id,
        Call_Join_Status__c: 'Pending',
        Call_Join_Detail__c: UNKNOWN_CALL_TIME_DETAIL,
      }),
    ]);
    expect(touchpoints).toEqual([]);
  });

  test('a caller never tracked on the website gets a standalone call touchpoint that says so', () => {
    const { tasks, touchpoints } = plan({ tasks: [callTask({ CreatedDate: utc(T0) })] });
    expect(tasks[0].Call_Join_Status__c).toBe('Standalone');
    expect(tasks[0].Call_Join_Detail__c).toBe(
      'No web session for this BizibleId: the visitor was never tracked on the website. Recorded as a standalone call touchpoint (call at 2026-03-10 12:00 UTC).',
    );
    // The only touchpoint of the visitor is first touch and lead creation at once.
    expect(touchpoints).toEqual([
      expect.objectContaining({ Touchpoint_Type__c: 'Call', Position__c: 'FT, LC', Web_Session__r: null }),
    ]);
  });

  test('touchpoint type is the Task\'s Type as written by the vendor ("Phone Call") (R6)', () => {
    const { touchpoints } = plan({ tasks: [callTask({ CreatedDate: utc(T0), Type: 'Phone Call' })] });
    expect(touchpoints[0]).toMatchObject({ Touchpoint_Type__c: 'Phone Call', Medium__c: 'Phone Call' });
  });

  test('with an offline row in the channel sheet, a standalone call is classified by it (R8)', () => {
    const rules = parseChannelSheet(
      [
        'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website',
        'Phone,Inbound,,Call;Phone Call,CRM Activity,,',
        'Direct,,,,,,',
      ].join('\n'),
    );
    const { touchpoints } = plan({ tasks: [callTask({ CreatedDate: utc(T0) })], rules });
    expect(touchpoints[0]).toMatchObject({ Channel__c: 'Phone', Subchannel__c: 'Inbound' });
  });

  test("a merged call takes the session's channel, and a form earlier in the session keeps first touch", () => {
    const events = [
      event({
        receivedAt: T0,
        url: 'https://www.example.com/?gclid=abc',
        referrer: 'https://www.google.com/',
      }),
      event({ receivedAt: T0 + 2 * MIN, type: 'form_submit', url: 'https://www.example.com/contact' }),
    ];
    const { tasks, touchpoints } = plan({
      tasks: [callTask({ CreatedDate: utc(T0 + 10 * MIN) })],
      sessionsByVisitor: sessionsOf(events),
    });
    expect(tasks[0].Call_Join_Status__c).toBe('Merged');
    expect(tasks[0].Call_Join_Detail__c).toBe(
      "Merged with the Paid Search session that started 12:00 UTC (landing page /); the call came 8 min after the last page view. Linked to the session's existing Web Form touchpoint.",
    );
    expect(
      touchpoints.map((t) => [t.BizibleId__c, t.Touchpoint_Type__c, t.Channel__c, t.Position__c]),
    ).toEqual([[VISITOR, 'Web Form', 'Paid Search', 'FT, LC']]);
  });
});
