import type { Connection } from 'jsforce';
import { runJoinOnce } from '../../src/join';
import type { SalesforcePort } from '../../src/salesforce/port';
import type { Store } from '../../src/store';

/**
 * The issue-23 caller: two cookies (A, B), two calls from "(415) 555-1234" (Tasks linked to the
 * Contact their Lead was converted to), an Opportunity; and another Contact (Y) of the same Account
 * with cookie C and one call. The join writes their Web Sessions, Touchpoints and the Opportunity's
 * touchpoints (OPPORTUNITY_MAPPING=account: every Contact of its Account).
 */
export const A = 'a'.repeat(31) + '1';
export const B = 'b'.repeat(31) + '2';
export const C = 'c'.repeat(31) + '3';
export const PHONE_TYPED = '(415) 555-1234';
export const E164 = '+14155551234';
export const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

export interface Scenario {
  contactX: string;
  contactY: string;
  leadId: string;
  opportunityId: string;
  taskIds: { a: string; b: string; c: string };
  /** An older Touchpoint of cookie A the join deleted earlier: still in the Recycle Bin. */
  binnedId: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function buildScenario(conn: Connection, gw: SalesforcePort, store: Store): Promise<Scenario> {
  const t0 = Date.now() - 6 * 3600_000;
  const page = (v: string, at: number, n: number, url: string, referrer = 'https://www.google.com/') => ({
    eventId: `${v.slice(0, 8)}-${n}`,
    type: 'page_view' as const,
    visitorId: v,
    url,
    referrer,
    receivedAt: at,
  });
  await store.appendEvents([
    page(A, t0, 1, 'https://example.com/?utm_source=google&utm_medium=cpc&gclid=abc'),
    page(A, t0 + 60_000, 2, 'https://example.com/pricing', 'https://example.com/'),
    page(B, t0 + 3600_000, 1, 'https://example.com/'),
    page(C, t0 + 7200_000, 1, 'https://example.com/?utm_source=newsletter&utm_medium=email'),
  ]);

  const lead = await conn
    .sobject('Lead')
    .create({ LastName: 'Caller', Company: 'Caller Co', Phone: PHONE_TYPED });
  const leadId = (lead as { id: string }).id;
  const [converted] = (await conn.soap.convertLead([
    { leadId, convertedStatus: 'Closed - Converted' } as never,
  ])) as unknown as {
    contactId: string;
    accountId: string;
    opportunityId: string;
    success: boolean | string;
  }[];
  const contactX = converted.contactId;
  const y = await conn.sobject('Contact').create({
    LastName: 'Other',
    AccountId: converted.accountId,
    Phone: '(415) 555-9876',
  });
  const contactY = (y as { id: string }).id;

  const call = (v: string, at: number, who: string, number: string) => ({
    Subject: `Call from ${number}`,
    Type: 'Call',
    TaskSubtype: 'Call',
    Status: 'Completed',
    CallDurationInSeconds: 60,
    Call_Started_At__c: iso(at),
    BizibleId__c: v,
    WhoId: who,
    Description: 'CallRail call CAL1\nOutcome: answered, 60 s\nRecording: https://app.callrail.com/rec/1',
  });
  const created = (await conn
    .sobject('Task')
    .create(
      [
        call(A, t0 + 5 * 60_000, contactX, '+1 415-555-1234'),
        call(B, t0 + 3600_000 + 5 * 60_000, contactX, '+1 415-555-1234'),
        call(C, t0 + 7200_000 + 5 * 60_000, contactY, '+1 415-555-9876'),
      ] as never[],
      { allOrNone: true },
    )) as unknown as { id: string }[];
  const [a, b, c] = created.map((r) => r.id);

  const summary = await runJoinOnce({ gateway: gw, store, opportunities: { mapping: 'account' } });
  if (summary.failed.length) throw new Error(`join failed: ${JSON.stringify(summary.failed)}`);

  // A touchpoint of cookie A the join deleted long ago: in the Recycle Bin, still holding the cookie.
  const old = (await conn.sobject('Touchpoint__c').create({
    Touchpoint_Key__c: `tp:${A}:old`,
    BizibleId__c: A,
  })) as { id: string };
  await conn.sobject('Touchpoint__c').destroy(old.id);

  // A call of the number still in the outbox (parked), with cookie A.
  await store.enqueue(
    'call',
    'callrail:CAL9',
    JSON.stringify({ vendor: 'callrail', vendorCallId: 'CAL9', callerNumber: E164, visitorId: A }),
    Date.now(),
  );
  return {
    contactX,
    contactY,
    leadId,
    opportunityId: converted.opportunityId,
    taskIds: { a, b, c },
    binnedId: old.id,
  };
}
