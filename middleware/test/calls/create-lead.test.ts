import { startCallPipeline } from '../../src/calls/pipeline';
import { runJoinOnce } from '../../src/join';
import pino from 'pino';
import { silentLogger, type Logger } from '../../src/log';
import type { SalesforcePort } from '../../src/salesforce/port';
import { outboxKey } from '../../src/vendors/call-progress';
import { CALL_OUTBOX_KIND, type NormalizedCall } from '../../src/vendors/normalized-call';
import { BASE, V } from '../salesforce/fixtures';
import { joinSession, orgRequestsByKind, requestsBetween, type JoinSession } from '../salesforce/helpers';

/**
 * Issue 22 items 1 and 2 (R18, R19) on SQLite against the local org over HTTP: with
 * UNKNOWN_CALLER=create-lead, five calls from one unknown number within five minutes — in one batch,
 * in five batches — create exactly one Lead and all five Tasks (and their touchpoints) point to it;
 * a blocking duplicate rule links the calls to the record it matched; `leave` creates nothing.
 */
const MIN = 60_000;

function call(n: number, number: string, visitorId: string | null): NormalizedCall {
  return {
    vendor: 'callrail',
    vendorCallId: `callrail:CL${number.slice(-4)}_${n}`,
    startedAt: new Date(BASE + (20 + n) * MIN).toISOString(),
    durationSeconds: 40,
    direction: 'inbound',
    outcome: 'answered',
    callerNumber: number,
    trackingNumber: '+14155550000',
    source: 'Google Ads',
    campaign: null,
    recordingUrl: null,
    visitorId,
  };
}

/** Five calls within five minutes, from three browsers and none. */
const five = (number: string) =>
  [V.adClick, V.organic, null, V.adClick, V.neverSeen].map((v, i) => call(i, number, v));

async function write(
  s: JoinSession,
  calls: NormalizedCall[],
  opts: { batchSize: number; unknownCaller?: 'leave' | 'create-lead'; logger?: Logger },
): Promise<string[]> {
  const fallbacks: string[] = [];
  const pipeline = startCallPipeline({
    store: s.store,
    salesforce: s.gateway,
    logger: opts.logger ?? silentLogger,
    windowMs: 0,
    batchSize: opts.batchSize,
    pollMs: 10,
    backoff: { baseMs: 1, maxMs: 5 },
    unknownCaller: opts.unknownCaller ?? 'create-lead',
    join: { triggerSoon: ({ taskIds = [] }) => void fallbacks.push(...taskIds) },
  });
  try {
    // One batch per `batchSize` calls: enqueue that many, wait until they are written.
    for (let i = 0; i < calls.length; i += opts.batchSize) {
      for (const c of calls.slice(i, i + opts.batchSize))
        await s.store.enqueue(CALL_OUTBOX_KIND, outboxKey(c), JSON.stringify(c), Date.now());
      for (let k = 0; k < 500 && (await s.store.outboxDepth(CALL_OUTBOX_KIND)) > 0; k++) {
        pipeline.kick();
        await pipeline.drain();
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    await pipeline.stop();
  }
  expect(await s.store.outboxDepth(CALL_OUTBOX_KIND)).toBe(0);
  return fallbacks;
}

interface LeadRow {
  Id: string;
  LastName: string;
  Company: string;
  Phone: string;
  LeadSource: string | null;
}

async function callsOf(sf: SalesforcePort, number: string) {
  const suffix = number.slice(-4);
  const tasks = await sf.query<{
    Id: string;
    WhoId: string | null;
    Call_Touchpoint__c: string | null;
    Call_Join_Status__c: string | null;
    Call_Join_Reason__c: string | null;
    Call_Join_Detail__c: string | null;
  }>(
    'SELECT Id, WhoId, Call_Touchpoint__c, Call_Join_Status__c, Call_Join_Reason__c, Call_Join_Detail__c ' +
      `FROM Task WHERE Vendor_Call_Id__c LIKE 'callrail:CL${suffix}_%' ORDER BY Vendor_Call_Id__c`,
  );
  // The touchpoints these calls define (the fixture's browsers are shared with the other tests).
  const tps = await sf.query<{
    Task_Id__c: string | null;
    Lead__c: string | null;
    Contact__c: string | null;
  }>(
    `SELECT Task_Id__c, Lead__c, Contact__c FROM Touchpoint__c WHERE Task_Id__c IN (${tasks
      .map((t) => `'${t.Id}'`)
      .join(', ')})`,
  );
  const leads = await sf.query<LeadRow>(
    `SELECT Id, LastName, Company, Phone, LeadSource FROM Lead WHERE Phone = '${number}'`,
  );
  return { tasks, tps, leads };
}

describe('UNKNOWN_CALLER=create-lead (SQLite store, local org)', () => {
  let s: JoinSession;
  beforeAll(async () => {
    s = await joinSession('ct-create-lead-');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('five calls from one unknown number in one batch: one Lead, all five Tasks and their touchpoints on it', async () => {
    const number = '+14155550101';
    const before = await orgRequestsByKind(s.org);
    const messages: string[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void messages.push(JSON.parse(line).msg) },
    );
    expect(await write(s, five(number), { batchSize: 10, logger })).toEqual([]);
    // The log says the Lead was created for the number (once), not that the Task was left without WhoId.
    expect(messages.filter((m) => /a Lead was created for it and the Task linked/.test(m))).toHaveLength(1);
    expect(messages.filter((m) => /left without WhoId/.test(m))).toEqual([]);
    // The batch's usual two requests: the Lead is a node of the Composite Graph, not a request.
    expect(requestsBetween(before, await orgRequestsByKind(s.org))).toEqual({ composite: 1, graph: 1 });
    const { tasks, tps, leads } = await callsOf(s.gateway, number);
    expect(leads).toHaveLength(1);
    const [lead] = leads;
    expect(lead).toMatchObject({
      LastName: 'Caller +1 415 555 0101',
      Company: 'Unknown (phone caller)',
      Phone: number,
      // The first call merged with the ad click's Paid Search session (R6, R12).
      LeadSource: 'Paid Search',
    });
    expect(tasks).toHaveLength(5);
    expect(tasks.map((t) => t.WhoId)).toEqual(Array(5).fill(lead.Id));
    expect(tps.length).toBeGreaterThan(0);
    expect(tps.every((t) => t.Lead__c === lead.Id && t.Contact__c === null)).toBe(true);
    // R23: the merged calls say the Lead was created for them; the others keep their attribution reason.
    expect(tasks.map((t) => t.Call_Join_Reason__c)).toEqual([
      'Lead_Created',
      'Lead_Created',
      'No_BizibleId',
      'Lead_Created',
      'Never_Tracked',
    ]);
    expect(tasks.every((t) => t.Call_Join_Detail__c?.startsWith('Linked to the Lead Call Touchpoints'))).toBe(
      true,
    );
    // A full join run over the same Tasks writes nothing (R11): the detail remembers the outcome.
    const again = await runJoinOnce({ gateway: s.gateway, store: s.store }, { full: true });
    expect(again.written.tasks).toBe(0);
    expect((await callsOf(s.gateway, number)).tasks).toEqual(tasks);
  });

  it('five calls from one unknown number, one batch each: still one Lead', async () => {
    const number = '+14155550102';
    expect(await write(s, five(number), { batchSize: 1 })).toEqual([]);
    const { tasks, leads } = await callsOf(s.gateway, number);
    expect(leads).toHaveLength(1);
    expect(tasks.map((t) => t.WhoId)).toEqual(Array(5).fill(leads[0].Id));
  });

  it('a blocking duplicate rule: no Lead, the calls link to the record the rule matched', async () => {
    const number = '+14155550103';
    // A Contact whose spelling of the number the caller lookup does not know; the rule compares digits.
    const contact = await s.gateway.create('Contact', { LastName: 'Known', Phone: '415/555-0103' });
    s.org.setDuplicateRules([
      { name: 'Lead_Phone', object: 'Lead', field: 'Phone', matchObjects: ['Lead', 'Contact'] },
    ]);
    try {
      expect(await write(s, five(number), { batchSize: 10 })).toEqual([]);
      // And a later batch: the store remembers the match.
      expect(await write(s, [call(7, number, V.organic)], { batchSize: 1 })).toEqual([]);
    } finally {
      s.org.setDuplicateRules([]);
    }
    const { tasks, tps, leads } = await callsOf(s.gateway, number);
    expect(leads).toHaveLength(0);
    expect(tasks).toHaveLength(6);
    expect(tasks.map((t) => t.WhoId)).toEqual(Array(6).fill(contact.id));
    expect(tps.length).toBeGreaterThan(0);
    expect(tps.every((t) => t.Contact__c === contact.id && t.Lead__c === null)).toBe(true);
    expect(tasks[0]).toMatchObject({ Call_Join_Status__c: 'Merged', Call_Join_Reason__c: 'Duplicate_Rule' });
    expect(tasks[0].Call_Join_Detail__c).toMatch(/^A duplicate rule blocked a new Lead for this number/);
  });

  it('several records with the number: linked to one, and the Task says why (R20, R23)', async () => {
    const number = '+14155550105';
    await s.gateway.create('Lead', { LastName: 'Older', Company: 'A', Phone: number });
    await s.gateway.create('Lead', { LastName: 'Newer', Company: 'B', Phone: '(415) 555-0105' });
    const contact = await s.gateway.create('Contact', { LastName: 'Known', MobilePhone: number });
    expect(await write(s, [call(0, number, V.adClick)], { batchSize: 1 })).toEqual([]);
    const { tasks } = await callsOf(s.gateway, number);
    expect(tasks[0]).toMatchObject({ WhoId: contact.id, Call_Join_Reason__c: 'Several_Matches' });
    expect(tasks[0].Call_Join_Detail__c).toMatch(
      /^3 records share this number; linked to the only Contact among them\. Merged with the Paid Search session/,
    );
    const again = await runJoinOnce({ gateway: s.gateway, store: s.store }, { full: true });
    expect(again.written.tasks).toBe(0);
  });

  it('UNKNOWN_CALLER=leave: no Lead, the Tasks stay without WhoId', async () => {
    const number = '+14155550104';
    const before = await orgRequestsByKind(s.org);
    expect(await write(s, five(number), { batchSize: 10, unknownCaller: 'leave' })).toEqual([]);
    expect(requestsBetween(before, await orgRequestsByKind(s.org))).toEqual({ composite: 1, graph: 1 });
    const { tasks, leads } = await callsOf(s.gateway, number);
    expect(leads).toHaveLength(0);
    expect(tasks.map((t) => t.WhoId)).toEqual(Array(5).fill(null));
    // R23: the merged calls name nobody.
    expect(tasks.map((t) => t.Call_Join_Reason__c)).toEqual([
      'Unknown_Caller',
      'Unknown_Caller',
      'No_BizibleId',
      'Unknown_Caller',
      'Never_Tracked',
    ]);
  });
});
