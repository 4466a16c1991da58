import {
  eventIdFor,
  sessionize,
  type TaskRecord,
  type TrackedEvent,
  type WebSession,
} from '../../src/domain';

/** Test data builders: events and Tasks shaped like real input. */
export const VISITOR = 'a1f3c9e07b2d4c5e8f9a0b1c2d3e4f50';

export const at = (iso: string): number => Date.parse(iso);

export function event(
  partial: Partial<Omit<TrackedEvent, 'receivedAt'>> & { receivedAt: number | string },
): TrackedEvent {
  const e = {
    type: partial.type ?? 'page_view',
    visitorId: partial.visitorId ?? VISITOR,
    url: partial.url ?? 'https://www.example.com/',
    referrer: partial.referrer ?? null,
    receivedAt: typeof partial.receivedAt === 'string' ? at(partial.receivedAt) : partial.receivedAt,
    clientTime: partial.clientTime ?? null,
    email: partial.email ?? null,
  } as Omit<TrackedEvent, 'eventId'>;
  return { ...e, eventId: partial.eventId ?? eventIdFor(e) };
}

export function sessionsOf(events: TrackedEvent[]): Map<string, WebSession[]> {
  const map = new Map<string, WebSession[]>();
  for (const s of sessionize(events)) {
    const list = map.get(s.visitorId) ?? [];
    list.push(s);
    map.set(s.visitorId, list);
  }
  return map;
}

let taskSeq = 0;
export function callTask(partial: Partial<TaskRecord> & { CreatedDate: string }): TaskRecord {
  taskSeq++;
  return {
    Id: `00TAa00000B${String(taskSeq).padStart(4, '0')}EAA`,
    Type: 'Call',
    TaskSubtype: 'Call',
    CallDurationInSeconds: null,
    Call_Started_At__c: null,
    WhoId: '00QAa00000Lx9ZpMAJ',
    BizibleId__c: VISITOR,
    ...partial,
  };
}
