/**
 * Benchmark (not a test): org API requests the join spends keeping Opportunity touchpoints current
 * (R13–R17), counted by the local org's request counter.
 *
 *   npm run build && node dist/scripts/bench-opportunities.js [--opportunities 1000]
 *
 * Setup (not counted): N Accounts with 2 Contacts each, 3 Touchpoint__c per Contact, N Opportunities
 * (one per Account, created at the 4th touch's date, half closed won) with both Contacts as roles.
 * 1. backfill: the first `join --once` plans every Opportunity.
 * 2. re-run: `join --once` again (R11: writes nothing; one poll round and the Task read).
 * 3. idle: one Opportunity poll round with nothing changed (what serve spends every
 *    OPPORTUNITY_POLL_SECONDS while Task discovery runs on CDC) → × rounds per day.
 * 4. change: 10 Opportunities closed won, one poll round.
 */
import { DEFAULT_OPPORTUNITY_POLL_SECONDS } from '../middleware/src/join/config';
import { type OrgConnection } from '../middleware/src/salesforce/connection';
import { runJoinOnce, type JoinDeps } from '../middleware/src/join';
import { createRecords, runBenchScript, wholeNumberFlag, withJoinBench } from './bench/join-bench';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

async function setUp(conn: OrgConnection, n: number): Promise<string[]> {
  const accounts = await createRecords(
    conn,
    'Account',
    Array.from({ length: n }, (_, i) => ({ Name: `Account ${i}` })),
  );
  const contacts = await createRecords(
    conn,
    'Contact',
    accounts.flatMap((a, i) => [0, 1].map((k) => ({ LastName: `Person ${i}-${k}`, AccountId: a }))),
  );
  await createRecords(
    conn,
    'Touchpoint__c',
    contacts.flatMap((c, j) =>
      [0, 1, 2].map((k) => ({
        Touchpoint_Key__c: `bench-${j}-${k}`,
        BizibleId__c: (j + 1).toString(16).padStart(32, '0'),
        Contact__c: c,
        Touchpoint_Date__c: iso(BASE + (Math.floor(j / 2) % 30) * DAY + (j % 2) * 3_600_000 + k * 2 * DAY),
        Touchpoint_Type__c: k === 1 ? 'Call' : 'Web Visit',
        Channel__c: k === 1 ? 'Paid Search' : 'Organic Search',
        Position__c: k === 0 ? 'FT, LC' : k === 1 ? 'PostLC' : null,
      })),
    ),
  );
  const opps = await createRecords(
    conn,
    'Opportunity',
    accounts.map((a, i) => ({
      Name: `Deal ${i}`,
      AccountId: a,
      Amount: 1000 + i,
      StageName: i % 2 ? 'Closed Won' : 'Prospecting',
      CloseDate: iso(BASE + ((i % 30) + 20) * DAY).slice(0, 10),
      CreatedDate: iso(BASE + (i % 30) * DAY + 3 * DAY),
    })),
  );
  await createRecords(
    conn,
    'OpportunityContactRole',
    opps.flatMap((o, i) => [
      { OpportunityId: o, ContactId: contacts[2 * i], IsPrimary: true },
      { OpportunityId: o, ContactId: contacts[2 * i + 1] },
    ]),
  );
  return opps;
}

export async function main(argv: string[]): Promise<void> {
  const n = wholeNumberFlag(argv, '--opportunities', 1000);
  await withJoinBench('ct-bench-opp-', async ({ org, store, conn, gateway }) => {
    const deps: JoinDeps = { gateway, store, opportunities: { mapping: 'account' } };
    process.stdout.write(`setting up ${n} Opportunities in a local org (${org.instanceUrl})…\n`);
    const opps = await setUp(conn, n);

    const measure = async (what: Parameters<typeof runJoinOnce>[1]) => {
      org.resetApiRequests();
      const s = await runJoinOnce(deps, what);
      return { requests: org.apiRequests(), summary: s };
    };
    const t0 = Date.now();
    const backfill = await measure({ pollOpportunities: true });
    const seconds = (Date.now() - t0) / 1000;
    const line = (label: string, r: Awaited<ReturnType<typeof measure>>) =>
      process.stdout.write(
        `${label}: ${r.requests} API requests; ${r.summary.opportunities.planned} Opportunities planned, ` +
          `${r.summary.written.opportunityTouchpoints} opportunity touchpoints written, ${r.summary.failed.length} failed\n`,
      );
    line(`backfill (${seconds.toFixed(1)} s)`, backfill);
    const rerun = await measure({ pollOpportunities: true });
    line('re-run', rerun);
    // Serve with Task CDC: the Opportunity timer's run reads no Tasks.
    const idle = await measure({ onlyVisitors: true, pollOpportunities: true });
    const perDay = Math.round((DAY / 1000 / DEFAULT_OPPORTUNITY_POLL_SECONDS) * idle.requests);
    line(`idle poll round (× ${DAY / 1000 / DEFAULT_OPPORTUNITY_POLL_SECONDS} a day = ${perDay})`, idle);
    const closing = opps.filter((_, i) => i % 2 === 0).slice(0, 10);
    for (const id of closing)
      await conn.conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
    const change = await measure({ onlyVisitors: true, pollOpportunities: true });
    line('10 Opportunities closed won, one poll round', change);
    process.stdout.write(
      `BENCH_RESULT ${JSON.stringify({
        opportunities: n,
        backfill: {
          requests: backfill.requests,
          written: backfill.summary.written.opportunityTouchpoints,
          failed: backfill.summary.failed.length,
          seconds,
        },
        rerun: { requests: rerun.requests, written: rerun.summary.written.opportunityTouchpoints },
        idle: { requestsPerRound: idle.requests, perDay },
        change: { requests: change.requests, written: change.summary.written.opportunityTouchpoints },
      })}\n`,
    );
  });
}

if (require.main === module) runBenchScript('bench-opportunities', main);
