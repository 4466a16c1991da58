import { defaultChannelRules, planJoin, type TouchpointRecord } from '../../src/domain';
import { personsOf } from '../../src/domain/person-journeys';
import { callTask, event, sessionsOf } from './builders';

/**
 * Issue 22 item 5 (R21): a person with two cookies — a laptop that came from a Google ad, a phone
 * that came from organic search a day later — and a call from each, both Tasks on the same Lead.
 */
const rules = defaultChannelRules();
const LAPTOP = 'b0000000000000000000000000000001';
const PHONE = 'b0000000000000000000000000000002';
const STRANGER = 'b0000000000000000000000000000003';
const LEAD = '00QAa00000Pe5onAAA';

const sessions = sessionsOf([
  event({
    visitorId: LAPTOP,
    receivedAt: '2026-03-10T12:00:00Z',
    url: 'https://www.example.com/?gclid=abc',
    referrer: 'https://www.google.com/',
  }),
  event({ visitorId: LAPTOP, receivedAt: '2026-03-10T12:05:00Z', url: 'https://www.example.com/pricing' }),
  event({
    visitorId: PHONE,
    receivedAt: '2026-03-11T09:00:00Z',
    url: 'https://www.example.com/',
    referrer: 'https://www.bing.com/',
  }),
  event({
    visitorId: PHONE,
    receivedAt: '2026-03-12T09:00:00Z',
    url: 'https://www.example.com/',
    referrer: 'https://www.facebook.com/',
  }),
  event({ visitorId: STRANGER, receivedAt: '2026-03-10T12:00:00Z', url: 'https://www.example.com/' }),
]);
const tasks = [
  callTask({ BizibleId__c: LAPTOP, WhoId: LEAD, CreatedDate: '2026-03-10T12:10:00.000+0000' }),
  callTask({ BizibleId__c: PHONE, WhoId: LEAD, CreatedDate: '2026-03-12T09:10:00.000+0000' }),
  callTask({ BizibleId__c: STRANGER, WhoId: null, CreatedDate: '2026-03-10T12:10:00.000+0000' }),
];

const sum = (
  tps: TouchpointRecord[],
  f: 'First_Touch_Percent__c' | 'Lead_Creation_Percent__c' | 'U_Shaped_Percent__c',
) => Math.round(tps.reduce((n, t) => n + (t[f] as number), 0) * 100) / 100;
const holding = (tps: TouchpointRecord[], pos: string) =>
  tps.filter((t) => (t.Position__c ?? '').split(', ').includes(pos));

describe('journeys per person (R21)', () => {
  test('per person: one FT and one LC over both cookies; each model sums to 100 over the person', () => {
    const plan = planJoin({ tasks, sessionsByVisitor: sessions, rules, journeys: 'per-person' });
    const person = plan.touchpoints.filter((t) => t.BizibleId__c === LAPTOP || t.BizibleId__c === PHONE);
    expect(new Set(person.map((t) => t.BizibleId__c))).toEqual(new Set([LAPTOP, PHONE]));
    expect(holding(person, 'FT')).toHaveLength(1);
    expect(holding(person, 'LC')).toHaveLength(1);
    // The laptop's ad session came first and converted first: FT and LC; the phone's call is PostLC.
    expect(holding(person, 'FT')[0]).toMatchObject({ BizibleId__c: LAPTOP, Channel__c: 'Paid Search' });
    expect(holding(person, 'LC')[0].BizibleId__c).toBe(LAPTOP);
    expect(holding(person, 'PostLC').map((t) => t.BizibleId__c)).toEqual([PHONE]);
    for (const f of ['First_Touch_Percent__c', 'Lead_Creation_Percent__c', 'U_Shaped_Percent__c'] as const)
      expect(sum(person, f)).toBe(100);
    // The unknown visitor keeps its own journey.
    const stranger = plan.touchpoints.filter((t) => t.BizibleId__c === STRANGER);
    expect(holding(stranger, 'FT')).toHaveLength(1);
    expect(sum(stranger, 'U_Shaped_Percent__c')).toBe(100);
  });

  test('per cookie: each cookie its own FT and LC — what per person (the default) fixes', () => {
    const plan = planJoin({ tasks, sessionsByVisitor: sessions, rules, journeys: 'per-cookie' });
    const person = plan.touchpoints.filter((t) => t.BizibleId__c === LAPTOP || t.BizibleId__c === PHONE);
    expect(holding(person, 'FT')).toHaveLength(2);
    expect(holding(person, 'LC')).toHaveLength(2);
    // Same records otherwise: only positions and percentages differ.
    const perPerson = planJoin({ tasks, sessionsByVisitor: sessions, rules });
    const strip = (t: TouchpointRecord) => ({
      ...t,
      Position__c: null,
      First_Touch_Percent__c: 0,
      Lead_Creation_Percent__c: 0,
      U_Shaped_Percent__c: 0,
    });
    expect(perPerson.touchpoints.map(strip)).toEqual(plan.touchpoints.map(strip));
    expect(perPerson.tasks).toEqual(plan.tasks);
  });

  test('a converted Lead and its Contact are one person (R14)', () => {
    const CONTACT = '003Aa00000Pe5onAAA';
    const converted = [{ ...tasks[0], WhoId: LEAD }, { ...tasks[1], WhoId: CONTACT }, tasks[2]];
    const plan = planJoin({
      tasks: converted,
      sessionsByVisitor: sessions,
      rules,
      journeys: 'per-person',
      conversions: new Map([[LEAD, CONTACT]]),
    });
    const person = plan.touchpoints.filter((t) => t.BizibleId__c === LAPTOP || t.BizibleId__c === PHONE);
    expect(holding(person, 'FT')).toHaveLength(1);
    expect(holding(person, 'LC')).toHaveLength(1);
    expect(sum(person, 'U_Shaped_Percent__c')).toBe(100);
  });

  test('a cookie whose calls name two people keeps its own journey (decided)', () => {
    const persons = personsOf(
      new Map([
        ['v1', new Set(['00Q1'])],
        ['v2', new Set(['00Q1'])],
        ['v3', new Set(['00Q1', '0032'])],
        ['v4', new Set<string>()],
      ]),
    );
    expect(persons).toEqual(new Map([['00Q1', ['v1', 'v2']]]));
  });
});
