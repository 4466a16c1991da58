import { eventIdFor, type TrackedEvent } from '../../src/domain';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { SalesforcePort } from '../../src/salesforce/port';

/** Visitors (32 hex chars, like `_biz_uid`) and a small journey per visitor. */
export const V = {
  adClick: 'a0000000000000000000000000000001',
  organic: 'a0000000000000000000000000000002',
  formThenCall: 'a0000000000000000000000000000003',
  neverSeen: 'a0000000000000000000000000000004',
  lateSession: 'a0000000000000000000000000000005',
};

const MIN = 60_000;
export const BASE = Date.UTC(2026, 2, 10, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

export interface EventLine {
  type: 'page_view' | 'form_submit';
  visitorId: string;
  url: string;
  referrer: string | null;
  receivedAt: string;
}

/** The fixture events as simulate reads an events file (one JSON object per line). */
export function eventsFile(): { name: string; text: string } {
  return {
    name: 'events.ndjson',
    text: eventLines()
      .map((l) => JSON.stringify(l))
      .join('\n'),
  };
}

export function eventLines(): EventLine[] {
  const e = (
    type: EventLine['type'],
    visitorId: string,
    at: number,
    url: string,
    referrer: string | null = null,
  ) => ({
    type,
    visitorId,
    url,
    referrer,
    receivedAt: iso(at),
  });
  return [
    // Ad click 12:00, pricing 12:05, call 12:20 → merged (R5, R6).
    e(
      'page_view',
      V.adClick,
      BASE,
      'https://www.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0abc',
      'https://www.google.com/',
    ),
    e('page_view', V.adClick, BASE + 5 * MIN, 'https://www.example.com/pricing'),
    // Organic visit 12:00, call 14:00 → no session in the window: standalone (R8).
    e('page_view', V.organic, BASE, 'https://www.example.com/blog/post', 'https://www.bing.com/'),
    // Form fill on day 1, call in a later session on day 2 → form is LC, call is PostLC (R9).
    e('page_view', V.formThenCall, BASE, 'https://www.example.com/', 'https://www.facebook.com/'),
    e('form_submit', V.formThenCall, BASE + 3 * MIN, 'https://www.example.com/contact'),
    e(
      'page_view',
      V.formThenCall,
      BASE + 24 * 60 * MIN,
      'https://www.example.com/?utm_source=newsletter&utm_medium=email',
    ),
  ];
}

/** Events as the store takes them (same conversion as the simulate command). */
export function trackedEvents(lines: EventLine[] = eventLines()): TrackedEvent[] {
  return lines.map((l) => {
    const e = {
      type: l.type,
      visitorId: l.visitorId,
      url: l.url,
      referrer: l.referrer,
      receivedAt: Date.parse(l.receivedAt),
      clientTime: null,
      email: null,
    };
    return { ...e, eventId: eventIdFor(e) };
  });
}

export function taskInputs(): Record<string, unknown>[] {
  return [
    {
      Subject: 'Call from ad',
      Type: 'Call',
      TaskSubtype: 'Call',
      BizibleId__c: V.adClick,
      Call_Started_At__c: iso(BASE + 20 * MIN),
      CallDurationInSeconds: 180,
    },
    {
      Subject: 'Call later',
      Type: 'Call',
      BizibleId__c: V.organic,
      Call_Started_At__c: iso(BASE + 120 * MIN),
    },
    {
      Subject: 'Second-day call',
      Type: null,
      CallType: 'Inbound',
      BizibleId__c: V.formThenCall,
      Call_Started_At__c: iso(BASE + 24 * 60 * MIN + 10 * MIN),
    },
    {
      Subject: 'Unknown visitor',
      Type: 'Call',
      BizibleId__c: V.neverSeen,
      Call_Started_At__c: iso(BASE + 30 * MIN),
    },
    { Subject: 'No cookie', Type: 'Call', TaskSubtype: 'Call', Call_Started_At__c: iso(BASE + 40 * MIN) },
    { Subject: 'Send letter', Type: 'Other' },
  ];
}

export const TASK_FIELDS =
  'Id, Type, TaskSubtype, CallType, CreatedDate, SystemModstamp, CallDurationInSeconds, Call_Started_At__c, WhoId, BizibleId__c';

export async function createTasks(conn: OrgConnection, tasks: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < tasks.length; i += 200) {
    const res = (await conn.conn
      .sobject('Task')
      .create(tasks.slice(i, i + 200) as never[], { allOrNone: true })) as unknown as {
      id: string;
      success: boolean;
    }[];
    for (const r of res) {
      if (!r.success) throw new Error('task create failed');
      ids.push(r.id);
    }
  }
  return ids;
}

/** The Tasks as the REST API returns them: the simulate input. */
export async function tasksNdjson(gateway: SalesforcePort): Promise<string> {
  const rows = await gateway.query<Record<string, unknown>>(`SELECT ${TASK_FIELDS} FROM Task ORDER BY Id`);
  return rows.map(({ attributes: _a, ...r }) => JSON.stringify(r)).join('\n');
}

const norm = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) ? Date.parse(v) : (v ?? null);

/** What the org holds, in the shape of the plan records, for a field-by-field comparison. */
export async function orgRecords(
  gateway: SalesforcePort,
  plan: { webSessions: any[]; touchpoints: any[]; tasks: any[] },
) {
  const wsFields = Object.keys(plan.webSessions[0] ?? { Session_Key__c: 1 }).filter((f) => f !== 'sobject');
  const tpFields = Object.keys(plan.touchpoints[0] ?? { Touchpoint_Key__c: 1 }).filter(
    (f) => f !== 'sobject' && f !== 'Web_Session__r',
  );
  const ws = await gateway.query<any>(`SELECT ${wsFields.join(', ')} FROM Web_Session__c`);
  const tp = await gateway.query<any>(
    `SELECT ${tpFields.join(', ')}, Web_Session__r.Session_Key__c FROM Touchpoint__c`,
  );
  const tasks = await gateway.query<any>(
    'SELECT Id, Call_Join_Status__c, Call_Join_Reason__c, Call_Join_Detail__c, Call_Touchpoint__r.Touchpoint_Key__c ' +
      'FROM Task WHERE Call_Join_Status__c != null',
  );
  return { ws, tp, tasks, wsFields, tpFields };
}

/** Every planned record is in the org with the same values, and nothing else is. */
export async function expectOrgMatchesPlan(
  gateway: SalesforcePort,
  plan: { webSessions: any[]; touchpoints: any[]; tasks: any[] },
) {
  const { ws, tp, tasks, wsFields, tpFields } = await orgRecords(gateway, plan);
  expect(ws.map((r: any) => r.Session_Key__c).sort()).toEqual(
    plan.webSessions.map((r) => r.Session_Key__c).sort(),
  );
  expect(tp.map((r: any) => r.Touchpoint_Key__c).sort()).toEqual(
    plan.touchpoints.map((r) => r.Touchpoint_Key__c).sort(),
  );
  for (const p of plan.webSessions) {
    const o = ws.find((r: any) => r.Session_Key__c === p.Session_Key__c);
    for (const f of wsFields) expect([f, norm(o[f])]).toEqual([f, norm(p[f])]);
  }
  for (const p of plan.touchpoints) {
    const o = tp.find((r: any) => r.Touchpoint_Key__c === p.Touchpoint_Key__c);
    for (const f of tpFields)
      expect([p.Touchpoint_Key__c, f, norm(o[f])]).toEqual([p.Touchpoint_Key__c, f, norm(p[f])]);
    expect(o.Web_Session__r?.Session_Key__c ?? null).toEqual(p.Web_Session__r?.Session_Key__c ?? null);
  }
  expect(tasks.map((t: any) => t.Id).sort()).toEqual(plan.tasks.map((t) => t.Id).sort());
  for (const p of plan.tasks) {
    const o = tasks.find((t: any) => t.Id === p.Id);
    // R23: the reason too (simulate = join).
    expect([p.Id, o.Call_Join_Status__c, o.Call_Join_Reason__c, o.Call_Join_Detail__c]).toEqual([
      p.Id,
      p.Call_Join_Status__c,
      p.Call_Join_Reason__c,
      p.Call_Join_Detail__c,
    ]);
    expect(o.Call_Touchpoint__r?.Touchpoint_Key__c ?? null).toEqual(
      p.Call_Touchpoint__r?.Touchpoint_Key__c ?? null,
    );
  }
}
