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
 * 5. Change Data Capture (Task, Opportunity, OpportunityContactRole and Lead selected, the watch and
 *    the discovery as serve wires them, CALL_BATCH_WINDOW_MS batches): requests in an idle window
 *    (the Opportunity poll is off: 0 expected) → a day; then 50 Opportunities closed won one after
 *    another, each timed from the update to the Opportunity touchpoints showing the Closed position
 *    (freshness: p50, p95, max).
 */
import { DEFAULT_OPPORTUNITY_POLL_SECONDS } from '../middleware/src/join/config';
import { type OrgConnection } from '../middleware/src/salesforce/connection';
import { runJoinOnce, startJoinWatch, type JoinDeps } from '../middleware/src/join';
import { startTaskDiscovery } from '../middleware/src/salesforce/cdc/startTaskDiscovery';
import { silentLogger } from '../middleware/src/log';
import type { LocalOrg } from '@call-touchpoints/local-org';
import { loadConfig } from '../middleware/src/config';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Phase 5: idle cost and change → Opportunity touchpoints freshness with Change Data Capture. */
async function cdcPhase(
  org: LocalOrg,
  conn: OrgConnection,
  deps: JoinDeps,
  open: string[],
): Promise<{
  idle: { requests: number; windowS: number; perDay: number };
  freshness: Record<string, number>;
}> {
  for (const e of ['Task', 'Opportunity', 'OpportunityContactRole', 'Lead'])
    await conn.conn.metadata.upsert('PlatformEventChannelMember', {
      fullName: `ChangeEvents_${e}ChangeEvent`,
      eventChannel: 'ChangeEvents',
      selectedEntity: `${e}ChangeEvent`,
    } as never);
  const config = loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken });
  const watch = startJoinWatch(deps, {
    intervalMs: 60_000,
    opportunityIntervalMs: config.opportunityPollSeconds * 1000,
  });
  const discovery = await startTaskDiscovery({
    config,
    org: conn,
    store: deps.store,
    join: watch,
    pollIntervalMs: 60_000,
    batchMs: config.callBatchWindowMs,
    logger: silentLogger,
    local: { endpoint: org.pubsubEndpoint!, certPem: org.pubsubCertPem!, orgId: org.orgId },
  });
  try {
    for (let i = 0; discovery?.opportunities?.status().mode !== 'cdc'; i++) {
      if (i > 200)
        throw new Error(`Opportunity CDC did not start: ${discovery?.opportunities?.status().reason}`);
      await sleep(50);
    }
    await sleep(2000); // the watch's first run (a catch-up poll round) finishes
    const windowS = 10;
    org.resetApiRequests();
    await sleep(windowS * 1000);
    const idle = org.apiRequests();
    const latencies: number[] = [];
    const joinBefore = deps.gateway.requestCount();
    for (const id of open) {
      const t0 = Date.now();
      await conn.conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
      for (;;) {
        const r = await conn.conn.query(
          `SELECT Id FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${id}' AND Position__c LIKE '%Closed%'`,
        );
        if (r.totalSize > 0) break;
        if (Date.now() - t0 > 60_000) throw new Error(`Opportunity ${id} not re-planned within 60 s`);
        await sleep(20);
      }
      latencies.push(Date.now() - t0);
    }
    const joinRequests = deps.gateway.requestCount() - joinBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      idle: { requests: idle, windowS, perDay: Math.round((idle * DAY) / (windowS * 1000)) },
      freshness: {
        changes: sorted.length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        maxMs: sorted[sorted.length - 1],
        // The join's own requests per change (the timing loop's reads are not the join's).
        requestsPerChange: Math.round((joinRequests / sorted.length) * 10) / 10,
      },
    };
  } finally {
    await discovery?.stop();
    await watch.stop();
  }
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
    const open = opps.filter((_, i) => i % 2 === 0).slice(10, 60);
    const cdc = await cdcPhase(org, conn, deps, open);
    process.stdout.write(
      `Change Data Capture: idle ${cdc.idle.requests} API requests in ${cdc.idle.windowS} s (${cdc.idle.perDay} a day); ` +
        `${cdc.freshness.changes} Opportunities closed won one by one, change → Opportunity touchpoints ` +
        `p50 ${cdc.freshness.p50Ms} ms, p95 ${cdc.freshness.p95Ms} ms, max ${cdc.freshness.maxMs} ms, ` +
        `${cdc.freshness.requestsPerChange} join requests per change\n`,
    );
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
        cdc,
      })}\n`,
    );
  });
}

if (require.main === module) runBenchScript('bench-opportunities', main);
