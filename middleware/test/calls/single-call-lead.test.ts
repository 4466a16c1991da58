import { upsertCallTask } from '../../src/calls/single-call';
import pino from 'pino';
import type { Logger } from '../../src/log';
import { silentLogger } from '../../src/log';
import type { NormalizedCall } from '../../src/vendors/normalized-call';
import { BASE } from '../salesforce/fixtures';
import { joinSession, type JoinSession } from '../salesforce/helpers';

/**
 * Issue 22 (R18, R19) on the single-call path (a call whose batch graph failed is written on its own,
 * calls/single-call.ts): with UNKNOWN_CALLER=create-lead it finds or creates the caller's one Lead as a
 * batch does — the same store record of number → Lead under the join lock — and a rep's link stays.
 */
function call(id: string, number: string): NormalizedCall {
  return {
    vendor: 'callrail',
    vendorCallId: `callrail:${id}`,
    startedAt: new Date(BASE + 20 * 60_000).toISOString(),
    durationSeconds: 40,
    direction: 'inbound',
    outcome: 'answered',
    callerNumber: number,
    trackingNumber: '+14155550000',
    source: 'Google Ads',
    campaign: null,
    recordingUrl: null,
    visitorId: null,
  };
}

/** A real logger whose lines are kept. */
function recordingLogger(): { log: Logger; lines: { msg: string }[] } {
  const lines: { msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('single-call path with UNKNOWN_CALLER=create-lead (SQLite store, local org)', () => {
  let s: JoinSession;
  beforeAll(async () => {
    s = await joinSession('ct-single-lead-');
  });
  afterAll(async () => {
    await s?.close();
  });

  const write = (c: NormalizedCall, log: Logger = silentLogger) =>
    upsertCallTask(s.gateway.for('calls', { maxAttempts: 1 }), c, {
      bizibleIdField: 'BizibleId__c',
      unknownCaller: 'create-lead',
      logger: log,
      store: s.store,
    });
  const leadsOf = (number: string) =>
    s.gateway.query<{ Id: string; LastName: string; LeadSource: string }>(
      `SELECT Id, LastName, LeadSource FROM Lead WHERE Phone = '${number}'`,
    );
  const whoOf = async (taskId: string) =>
    (await s.gateway.query<{ WhoId: string | null }>(`SELECT WhoId FROM Task WHERE Id = '${taskId}'`))[0]
      .WhoId;

  it('an unknown caller gets one Lead, the Task is linked to it, and a second call links to the same Lead', async () => {
    const number = '+14155550201';
    const { log, lines } = recordingLogger();
    const first = await write(call('SL1', number), log);
    const leads = await leadsOf(number);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ LastName: 'Caller +1 415 555 0201', LeadSource: 'Phone Inquiry' });
    expect(first.whoId).toBe(leads[0].Id);
    expect(await whoOf(first.taskId)).toBe(leads[0].Id);
    // The log says the Lead was created, not that the Task was left without WhoId.
    expect(lines.map((l) => l.msg).join('\n')).toMatch(/a Lead was created for it and the Task linked/);
    expect(lines.map((l) => l.msg).join('\n')).not.toMatch(/left without WhoId/);

    const second = await write(call('SL2', number));
    expect(await leadsOf(number)).toHaveLength(1);
    expect(await whoOf(second.taskId)).toBe(leads[0].Id);
  });

  it("a repeat delivery of a call a rep linked keeps the rep's link and creates no Lead", async () => {
    const number = '+14155550202';
    const contact = await s.gateway.create('Contact', { LastName: 'Rep-linked' });
    const task = await s.gateway.create('Task', {
      Subject: 'Call',
      TaskSubtype: 'Call',
      Vendor_Call_Id__c: 'callrail:SL3',
      WhoId: contact.id,
    });
    const again = await write(call('SL3', number));
    expect(again.taskId).toBe(task.id);
    expect(await whoOf(task.id)).toBe(contact.id);
    expect(await leadsOf(number)).toHaveLength(0);
  });
});
