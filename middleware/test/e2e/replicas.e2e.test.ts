import crypto from 'node:crypto';
import { Connection } from 'jsforce';
import { Client } from 'pg';
import { note } from '../note';
import { callRailWebhook, describeWithPostgres, replicaSuite, startReplica } from './replicas';

/**
 * Scale-out (docs/operations.md, "Running more than one replica"): two `serve` processes behind one "load
 * balancer" (this test, spreading requests) on one PostgreSQL and one org. One replica is killed with SIGKILL
 * mid-burst and started again. Every acknowledged call must end as exactly one Task with exactly one
 * touchpoint, every acknowledged event must be stored once, and no two join runs — one per replica — may
 * overlap (they hold the store's join lock).
 */
const maybe = describeWithPostgres();

jest.setTimeout(120_000);

const CALLS = 300;
const EVENTS = 3000;
const EVENTS_PER_REQUEST = 10;
const SECRETS = {
  CALLRAIL_SIGNING_KEY: crypto.randomBytes(24).toString('base64url'),
  CTM_WEBHOOK_SECRET: crypto.randomBytes(24).toString('base64url'),
  INVOCA_WEBHOOK_TOKEN: crypto.randomBytes(24).toString('base64url'),
  DIALOGTECH_WEBHOOK_TOKEN: crypto.randomBytes(24).toString('base64url'),
  GENERIC_WEBHOOK_TOKEN: crypto.randomBytes(24).toString('base64url'),
  ADMIN_TOKEN: crypto.randomBytes(24).toString('base64url'),
};
/** One POST; null when the replica did not answer (killed): not acknowledged. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<number | null> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(20_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null;
  }
}

const hex32 = (prefix: string, n: number) => (prefix + n.toString(16)).padStart(32, '0').slice(-32);

maybe('two serve replicas on one PostgreSQL, one killed mid-burst', () => {
  const suite = replicaSuite('ct_replicas', ['A', 'B']);
  const { replicas } = suite;

  it('every acknowledged call → one Task with one touchpoint, every acknowledged event stored once, joins never overlap', async () => {
    const { db, org } = suite;
    const env = (name: string): NodeJS.ProcessEnv =>
      suite.env(name, {
        ...SECRETS,
        COLLECT_RATE_LIMIT: '1000000',
        COLLECT_NEW_VISITORS_PER_MINUTE: '0',
        LOG_LEVEL: 'info',
      });
    await Promise.all(replicas.map((r) => startReplica(r, env(r.name))));

    // The burst: calls and events interleaved, alternating replicas (a round-robin balancer).
    const callIds: string[] = [];
    const ackedCalls = new Set<string>();
    const ackedEvents: string[] = [];
    const now = Date.now();
    type Job = () => Promise<void>;
    const jobs: Job[] = [];
    for (let i = 0; i < CALLS; i++) {
      const id = `CAL${crypto.randomBytes(8).toString('hex')}`;
      callIds.push(id);
      // Half the callers browsed just before calling (merged), half never did (standalone).
      const visitor = hex32('c', i);
      const { body, headers } = callRailWebhook(SECRETS.CALLRAIL_SIGNING_KEY, {
        id,
        startTime: new Date(now - 60_000),
        caller: `+1555${String(1000000 + i).slice(-7)}`,
        custom: { _biz_uid: visitor },
      });
      jobs.push(async () => {
        const r = replicas[i % 2];
        const status = await post(`${r.url}/webhooks/callrail`, body, headers);
        if (status !== null && status >= 200 && status < 300) ackedCalls.add(`callrail:${id}`);
      });
    }
    for (let k = 0; k < EVENTS / EVENTS_PER_REQUEST; k++) {
      const visitor = hex32('c', k % (CALLS / 2)); // the first half of the callers
      const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, j) => ({
        type: 'page_view',
        visitorId: visitor,
        url: `https://www.example.com/p${j}?utm_source=google&utm_medium=cpc&gclid=g${k % (CALLS / 2)}`,
        referrer: 'https://www.google.com/',
        eventId: `evt_${k}_${j}_${crypto.randomBytes(4).toString('hex')}`,
        clientTime: now - 5 * 60_000 + j * 1000,
      }));
      jobs.push(async () => {
        const r = replicas[k % 2];
        const status = await post(`${r.url}/collect`, JSON.stringify({ events }), {
          'content-type': 'application/json',
          'user-agent':
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        });
        if (status === 204) ackedEvents.push(...events.map((e) => e.eventId));
      });
    }
    // Interleave the two kinds, run 16 at a time; kill A halfway and restart it soon after.
    const order = jobs
      .map((job, i) => ({ job, key: (i * 7919) % jobs.length }))
      .sort((a, b) => a.key - b.key);
    let next = 0;
    const worker = async () => {
      while (next < order.length) {
        const { job } = order[next++];
        await job();
      }
    };
    const killer = (async () => {
      while (next < order.length / 2) await new Promise((r) => setTimeout(r, 20));
      replicas[0].proc!.kill('SIGKILL');
      await new Promise((r) => replicas[0].proc!.once('exit', r));
      await startReplica(replicas[0], env('A'));
    })();
    await Promise.all([...Array.from({ length: 16 }, worker), killer]);
    note(
      `acknowledged: ${ackedCalls.size}/${CALLS} calls, ${ackedEvents.length}/${EVENTS} events (replica A was killed and restarted mid-burst)`,
    );
    expect(ackedCalls.size).toBeGreaterThan(CALLS / 2);
    expect(ackedEvents.length).toBeGreaterThan(EVENTS / 2);

    // Every acknowledged event is stored exactly once (event_id is the key).
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM events WHERE event_id = ANY($1::text[])',
        [ackedEvents],
      );
      expect(Number(rows[0].n)).toBe(ackedEvents.length);
    } finally {
      await pg.end();
    }

    // Every acknowledged call ends as exactly one joined Task with exactly one touchpoint.
    const conn = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      version: '62.0',
    });
    type TaskRow = Record<string, unknown> & {
      Id: string;
      Vendor_Call_Id__c: string;
      Call_Join_Status__c: string | null;
      Call_Touchpoint__c: string | null;
    };
    const allQuery = async <T extends Record<string, unknown>>(soql: string): Promise<T[]> => {
      const out: T[] = [];
      let res = await conn.query<T>(soql);
      out.push(...res.records);
      while (!res.done && res.nextRecordsUrl) {
        res = await conn.queryMore<T>(res.nextRecordsUrl);
        out.push(...res.records);
      }
      return out;
    };
    // Settled: every acknowledged call has a joined Task, and two reads a second apart agree.
    let tasks: TaskRow[] = [];
    let previous = '';
    const until = Date.now() + 75_000;
    for (;;) {
      tasks = await allQuery<TaskRow>(
        "SELECT Id, Vendor_Call_Id__c, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE Vendor_Call_Id__c LIKE 'callrail:%'",
      );
      const snapshot = JSON.stringify(
        tasks.map((t) => [t.Id, t.Call_Join_Status__c, t.Call_Touchpoint__c]).sort(),
      );
      const joined = [...ackedCalls].every((id) =>
        tasks.some((t) => t.Vendor_Call_Id__c === id && t.Call_Touchpoint__c),
      );
      if ((joined && snapshot === previous) || Date.now() > until) break;
      previous = snapshot;
      await new Promise((r) => setTimeout(r, 1500));
    }
    const perCall = new Map<string, TaskRow[]>();
    for (const t of tasks) perCall.set(t.Vendor_Call_Id__c, [...(perCall.get(t.Vendor_Call_Id__c) ?? []), t]);
    for (const id of ackedCalls) {
      const list = perCall.get(id) ?? [];
      expect({ id, tasks: list.length }).toEqual({ id, tasks: 1 });
      expect(['Merged', 'Standalone']).toContain(list[0].Call_Join_Status__c);
    }
    const touchpoints = await allQuery<{ Id: string; Task_Id__c: string | null }>(
      'SELECT Id, Task_Id__c FROM Touchpoint__c WHERE Task_Id__c != null',
    );
    const tpPerTask = new Map<string, number>();
    for (const tp of touchpoints) tpPerTask.set(tp.Task_Id__c!, (tpPerTask.get(tp.Task_Id__c!) ?? 0) + 1);
    for (const t of tasks) {
      expect({ task: t.Id, touchpoints: tpPerTask.get(t.Id) ?? 0 }).toEqual({ task: t.Id, touchpoints: 1 });
      expect(touchpoints.find((tp) => tp.Id === t.Call_Touchpoint__c)?.Task_Id__c).toBe(t.Id);
    }

    // No two holders of the join lock overlapped — join runs and the calls pipeline's batch writes:
    // each replica's (from its log) are disjoint from the other's.
    const runs = replicas.flatMap((r) =>
      r.logs
        .filter(
          (l) =>
            l.includes('"join run finished"') ||
            l.includes('"join run stopped"') ||
            l.includes('"call batch written"'),
        )
        .map((l) => JSON.parse(l) as { time: string; durationMs: number })
        .map((j) => ({ replica: r.name, end: Date.parse(j.time), start: Date.parse(j.time) - j.durationMs })),
    );
    // Both replicas claim from the one outbox, so which of them writes the batches is up to timing;
    // the check needs at least two holders of the lock to mean anything.
    expect(runs.length).toBeGreaterThan(1);
    const a = runs.filter((r) => r.replica === 'A');
    const overlaps = a.flatMap((x) =>
      runs.filter((y) => y.replica === 'B' && x.start < y.end && y.start < x.end).map((y) => [x, y]),
    );
    note(
      `join runs and call batches: ${runs.length} (A ${runs.filter((r) => r.replica === 'A').length}, B ${runs.filter((r) => r.replica === 'B').length}); overlapping: ${overlaps.length}`,
    );
    expect(overlaps).toEqual([]);
  });
});
