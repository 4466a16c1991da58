import type { Connection } from 'jsforce';
import { BASE, createTasks, V } from '../salesforce/fixtures';
import type { JoinSession } from '../salesforce/helpers';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The two callers of the Opportunity join tests, in the org of `session`: an Account "Acme"; person A, a
 * Lead, who clicks an ad at 12:00 and calls at 12:20 (merged, A's FT and LC); person B, a Contact of
 * the Account, who fills a form on day 1 at 12:03 (B's FT, LC) and calls on day 2 (PostLC). Their
 * Tasks carry BizibleId and WhoId.
 */
export async function opportunityCallers(
  session: JoinSession,
): Promise<{ account: string; lead: string; contactB: string }> {
  const conn = session.conn.conn as unknown as Connection;
  const account = ((await conn.sobject('Account').create({ Name: 'Acme' })) as { id: string }).id;
  const lead = ((await conn.sobject('Lead').create({ LastName: 'Able', Company: 'Acme' })) as { id: string })
    .id;
  const contactB = (
    (await conn.sobject('Contact').create({ LastName: 'Baker', AccountId: account })) as { id: string }
  ).id;
  await createTasks(session.conn, [
    {
      Subject: 'Call A',
      Type: 'Call',
      BizibleId__c: V.adClick,
      Call_Started_At__c: iso(BASE + 20 * MIN),
      WhoId: lead,
    },
    {
      Subject: 'Call B',
      Type: 'Call',
      BizibleId__c: V.formThenCall,
      Call_Started_At__c: iso(BASE + 24 * 60 * MIN + 10 * MIN),
      WhoId: contactB,
    },
  ]);
  return { account, lead, contactB };
}
