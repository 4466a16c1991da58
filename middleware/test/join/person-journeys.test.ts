import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCallPipeline } from '../../src/calls/pipeline';
import { simulate } from '../../src/cli/commands/simulate';
import { runJoinOnce } from '../../src/join';
import { silentLogger } from '../../src/log';
import { createStore, type Store } from '../../src/store';
import { outboxKey } from '../../src/vendors/call-progress';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import {
  BASE,
  expectOrgMatchesPlan,
  tasksNdjson,
  trackedEvents,
  type EventLine,
} from '../salesforce/fixtures';
import { localOrgSession, orgRequestsByKind, requestsBetween } from '../salesforce/helpers';

/**
 * Issue 22 item 5 (R21), against the local org: one person, two cookies — a phone that browsed from
 * organic search the day before, a laptop that came from a Google ad and called — and a second call
 * from the phone, both calls from the person's number, so both Tasks name the person's Contact. After
 * the join the person has exactly one FT and one LC across both cookies' Touchpoint__c records, each
 * model sums to 100 over the person, a re-run writes nothing, and `simulate` predicts the same records.
 */
const LAPTOP = 'c0000000000000000000000000000001';
const PHONE = 'c0000000000000000000000000000002';
const STRANGER = 'c0000000000000000000000000000003';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const NUMBER = '+14155550777';
const iso = (ms: number) => new Date(ms).toISOString();

const lines: EventLine[] = [
  {
    type: 'page_view',
    visitorId: PHONE,
    url: 'https://www.example.com/blog/post',
    referrer: 'https://www.bing.com/',
    receivedAt: iso(BASE - DAY),
  },
  {
    type: 'page_view',
    visitorId: LAPTOP,
    url: 'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=Cj0person',
    referrer: 'https://www.google.com/',
    receivedAt: iso(BASE),
  },
  {
    type: 'page_view',
    visitorId: LAPTOP,
    url: 'https://www.example.com/pricing',
    referrer: null,
    receivedAt: iso(BASE + 5 * MIN),
  },
  {
    type: 'page_view',
    visitorId: PHONE,
    url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email',
    referrer: null,
    receivedAt: iso(BASE + DAY),
  },
  {
    type: 'page_view',
    visitorId: STRANGER,
    url: 'https://www.example.com/',
    referrer: 'https://www.bing.com/',
    receivedAt: iso(BASE),
  },
];

interface Tp {
  BizibleId__c: string;
  Position__c: string | null;
  First_Touch_Percent__c: number;
  Lead_Creation_Percent__c: number;
  U_Shaped_Percent__c: number;
  Contact__c: string | null;
  Touchpoint_Date__c: string;
}

const holding = (tps: Tp[], pos: string) =>
  tps.filter((t) => (t.Position__c ?? '').split(', ').includes(pos));
const sum = (tps: Tp[], f: 'First_Touch_Percent__c' | 'Lead_Creation_Percent__c' | 'U_Shaped_Percent__c') =>
  Math.round(tps.reduce((n, t) => n + Number(t[f]), 0) * 100) / 100;

describe('journeys per person (R21) in the org', () => {
  let session: Awaited<ReturnType<typeof localOrgSession>>;
  let store: Store;
  let dir: string;
  beforeEach(async () => {
    session = await localOrgSession({ preload: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-person-'));
    store = await createStore({ dataDir: dir });
    await store.appendEvents(trackedEvents(lines));
  });
  afterEach(async () => {
    await store?.close();
    await session?.org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const touchpoints = async (visitors = [LAPTOP, PHONE]) =>
    session.gateway.query<Tp>(
      'SELECT BizibleId__c, Position__c, First_Touch_Percent__c, Lead_Creation_Percent__c, U_Shaped_Percent__c, ' +
        `Contact__c, Touchpoint_Date__c FROM Touchpoint__c WHERE BizibleId__c IN ('${visitors.join("','")}')`,
    );
  const expectOnePerson = async (contactId: string) => {
    const person = await touchpoints();
    expect(new Set(person.map((t) => t.BizibleId__c))).toEqual(new Set([LAPTOP, PHONE]));
    expect(holding(person, 'FT')).toHaveLength(1);
    expect(holding(person, 'LC')).toHaveLength(1);
    // The phone's organic visit the day before is the person's first touch; the laptop's ad session
    // with the first call is the lead creation; the phone's call the day after comes after it.
    expect(holding(person, 'FT')[0].BizibleId__c).toBe(PHONE);
    expect(holding(person, 'LC')[0].BizibleId__c).toBe(LAPTOP);
    expect(holding(person, 'PostLC').map((t) => t.BizibleId__c)).toEqual([PHONE]);
    for (const f of ['First_Touch_Percent__c', 'Lead_Creation_Percent__c', 'U_Shaped_Percent__c'] as const)
      expect(sum(person, f)).toBe(100);
    // The calls' touchpoints name the person.
    expect(person.filter((t) => t.Contact__c === contactId)).toHaveLength(2);
    return person;
  };
  const rerunWritesNothing = async () => {
    const again = await runJoinOnce({ gateway: session.gateway, store }, { full: true });
    expect(again.failed).toEqual([]);
    expect(again.written).toEqual({
      webSessions: 0,
      touchpoints: 0,
      opportunityTouchpoints: 0,
      tasks: 0,
      deleted: 0,
    });
  };
  const simulateEqualsJoin = async () => {
    const result = simulate({
      events: { name: 'events.ndjson', text: lines.map((l) => JSON.stringify(l)).join('\n') },
      tasks: { name: 'tasks.ndjson', text: await tasksNdjson(session.gateway) },
    });
    if (!result.ok) throw new Error(result.errors.join('; '));
    await expectOrgMatchesPlan(session.gateway, result.plan);
  };

  test('webhook calls, one batch each: the second cookie joins the person, the first loses its FT', async () => {
    const contact = await session.gateway.create('Contact', { LastName: 'Two-Cookies', Phone: NUMBER });
    const call = (id: string, visitorId: string, at: number): NormalizedCall => ({
      vendor: 'callrail',
      vendorCallId: `callrail:${id}`,
      startedAt: iso(at),
      durationSeconds: 60,
      direction: 'inbound',
      outcome: 'answered',
      callerNumber: NUMBER,
      trackingNumber: '+14155550000',
      source: 'Google Ads',
      campaign: null,
      recordingUrl: null,
      visitorId,
    });
    const deliver = async (c: NormalizedCall) => {
      await store.enqueue(CALL_OUTBOX_KIND, outboxKey(c), JSON.stringify(c), Date.now());
      const pipeline = startCallPipeline({
        store,
        salesforce: session.gateway,
        logger: silentLogger,
        windowMs: 0,
        pollMs: 10,
      });
      try {
        for (let k = 0; k < 200 && (await store.outboxDepth(CALL_OUTBOX_KIND)) > 0; k++) {
          pipeline.kick();
          await pipeline.drain();
        }
      } finally {
        await pipeline.stop();
      }
    };

    await deliver(call('P1', LAPTOP, BASE + 20 * MIN));
    // One cookie known so far: the laptop's ad session is FT and LC.
    expect((await touchpoints()).map((t) => [t.BizibleId__c, t.Position__c])).toEqual([[LAPTOP, 'FT, LC']]);

    // The phone was not tied to the person before this call: the laptop's Tasks are read by one query.
    const before2 = await orgRequestsByKind(session.org);
    await deliver(call('P2', PHONE, BASE + DAY + 10 * MIN));
    const cost2 = requestsBetween(before2, await orgRequestsByKind(session.org));
    const person = await expectOnePerson(contact.id);
    expect(person.find((t) => t.BizibleId__c === LAPTOP)?.Position__c).toBe('LC');

    // A third call from the phone: the ledger ties the phone to the person before the batch reads,
    // so the laptop's Tasks come with the batch's own query (one request fewer); one FT, one LC.
    const before3 = await orgRequestsByKind(session.org);
    await deliver(call('P3', PHONE, BASE + DAY + 40 * MIN));
    const cost3 = requestsBetween(before3, await orgRequestsByKind(session.org));
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(cost3)).toBe(total(cost2) - 1);
    expect(holding(await touchpoints(), 'FT')).toHaveLength(1);
    expect(holding(await touchpoints(), 'LC')).toHaveLength(1);

    await rerunWritesNothing();
    await simulateEqualsJoin();
  });

  test('join --once reads the second Task alone and re-plans the first cookie from the ledger', async () => {
    const contact = await session.gateway.create('Contact', { LastName: 'Two-Cookies', Phone: NUMBER });
    const task = (visitor: string, at: number) => ({
      Subject: 'Call',
      Type: 'Call',
      TaskSubtype: 'Call',
      BizibleId__c: visitor,
      Call_Started_At__c: iso(at),
      WhoId: contact.id,
    });
    const write = (rec: Record<string, unknown>) => session.gateway.create('Task', rec);
    await write(task(LAPTOP, BASE + 20 * MIN));
    await write({ ...task(STRANGER, BASE + 10 * MIN), WhoId: null });
    const first = await runJoinOnce({ gateway: session.gateway, store });
    expect(first.failed).toEqual([]);
    expect((await touchpoints()).map((t) => t.Position__c)).toEqual(['FT, LC']);

    await write(task(PHONE, BASE + DAY + 10 * MIN));
    const second = await runJoinOnce({ gateway: session.gateway, store });
    expect(second.failed).toEqual([]);
    // Only the phone's Task is new; the laptop's is planned with it because the ledger ties the
    // laptop to the person (the stranger's is not).
    expect(second.tasksPlanned).toBe(2);
    await expectOnePerson(contact.id);
    // The unknown visitor keeps its own journey.
    const stranger = await touchpoints([STRANGER]);
    expect(stranger.map((t) => t.Position__c)).toEqual(['FT, LC']);

    // Page views of the laptop re-plan it for its sessions' sake: its person comes along, so the
    // laptop does not get an FT of its own back.
    const replanned = await runJoinOnce(
      { gateway: session.gateway, store },
      { visitorIds: [LAPTOP], onlyVisitors: true },
    );
    expect(replanned.written.touchpoints).toBe(0);
    await expectOnePerson(contact.id);

    await rerunWritesNothing();
    await simulateEqualsJoin();
  });
});
