import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@call-touchpoints/local-org';
import { auditEntry } from '../../src/erasure';
import { JOIN_LOCK } from '../../src/join';
import { createStore } from '../../src/store';
import { spawnCli } from '../cli-process';
import { portTo } from '../salesforce/helpers';
import { A, B, buildScenario, C, PHONE_TYPED } from './scenario';
import { connect } from '../../src/salesforce/connection';
import { loadConfig } from '../../src/config';

/**
 * Issue 23, "killed mid-erasure and restarted, it finishes with the same result": the real CLI
 * process (`npm run build` first) is killed with SIGKILL after the store step, while the org answers
 * slowly; `erase --resume` then finishes it. Everything it leaves — store and org — is compared with
 * an identical world erased in one go.
 */
jest.setTimeout(300_000);

const SALT = 'kill-test-salt-0123456789abcdefghijklmnop';

interface World {
  org: LocalOrg;
  dir: string;
  env: Record<string, string>;
}

async function world(): Promise<World> {
  const org = await startLocalOrg({ port: 0, dataDir: null, preload: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-erase-kill-'));
  const conn = await connect(
    loadConfig({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken }),
  );
  const gw = await portTo(org.instanceUrl, org.accessToken);
  const store = await createStore({ dataDir: dir });
  await buildScenario(conn.conn, gw, store);
  await store.close();
  return {
    org,
    dir,
    env: {
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: org.accessToken,
      CALL_TOUCHPOINTS_DATA_DIR: dir,
      PRIVACY_SALT: SALT,
      OPPORTUNITY_MAPPING: 'account',
    },
  };
}

/** What a world holds after the erasure, ids and all (both worlds number records alike). */
async function snapshot(w: World) {
  const gw = await portTo(w.org.instanceUrl, w.org.accessToken);
  const all = async (soql: string) =>
    (await gw.createAndQuery({ queries: [soql], includeDeleted: true })).rows[0].map(
      ({ attributes: _a, ...r }) => r,
    );
  const org = {
    webSessions: await all('SELECT Id, BizibleId__c, IsDeleted FROM Web_Session__c ORDER BY Id'),
    touchpoints: await all('SELECT Id, BizibleId__c, IsDeleted FROM Touchpoint__c ORDER BY Id'),
    opportunityTouchpoints: await all(
      'SELECT Id, Contact__c, W_Shaped_Percent__c, U_Shaped_Percent__c, IsDeleted FROM Opportunity_Touchpoint__c ORDER BY Id',
    ),
    leads: await all('SELECT Id, Phone, MobilePhone, IsDeleted FROM Lead ORDER BY Id'),
    contacts: await all('SELECT Id, Phone, MobilePhone, IsDeleted FROM Contact ORDER BY Id'),
    tasks: await all(
      'SELECT Id, Subject, Description, BizibleId__c, Call_Join_Status__c, IsDeleted FROM Task ORDER BY Id',
    ),
  };
  const store = await createStore({ dataDir: w.dir });
  try {
    const sessions = await store.sessionsForVisitors([A, B, C]);
    const [entry] = (await store.erasures({ limit: 10 })).map(auditEntry);
    return {
      org,
      store: {
        events: await store.countEvents(),
        sessions: [A, B, C].map((v) => sessions.get(v)?.length ?? 0),
        outbox: await store.outboxDepth(),
        ledger: [...(await store.joinVisitors([A, B, C])).keys()],
        erasures: (await store.erasures({ limit: 10 })).length,
      },
      audit: { status: entry.status, counts: entry.counts, recipients: entry.recipients, notes: entry.notes },
    };
  } finally {
    await store.close();
  }
}

describe('erase, killed with SIGKILL mid-way and resumed (real process)', () => {
  const worlds: World[] = [];
  afterAll(async () => {
    for (const w of worlds) {
      await w.org.close();
      fs.rmSync(w.dir, { recursive: true, force: true });
    }
  });

  it('finishes with the same result as an erasure that ran in one go', async () => {
    const [straight, killed] = [await world(), await world()];
    worlds.push(straight, killed);

    const once = spawnCli(['erase', '--phone', PHONE_TYPED, '--operator', 'tester'], straight.env);
    expect([await once.exited, once.stderr()]).toEqual([0, '']);
    expect(once.stdout()).toMatch(/done\s+requested/);

    killed.org.setFaults({ latencyMs: 1500 });
    const first = spawnCli(['erase', '--phone', PHONE_TYPED, '--operator', 'tester'], killed.env);
    await first.waitFor(/step store done/, 120_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(137);
    killed.org.clearFaults();

    const log = spawnCli(['erase', '--log'], killed.env);
    expect(await log.exited).toBe(0);
    expect(log.stdout()).toMatch(/in progress \(after step store\)/);

    const resumed = spawnCli(['erase', '--resume'], killed.env);
    expect([await resumed.exited, resumed.stderr()]).toEqual([0, '']);
    expect(resumed.stdout()).toMatch(/step done done/);

    const [a, b] = [await snapshot(straight), await snapshot(killed)];
    expect(b).toEqual(a);
    expect(a.audit.status).toBe('done');
    expect(a.store.sessions).toEqual([0, 0, 1]);
    expect(a.org.webSessions.filter((r) => r.BizibleId__c === A || r.BizibleId__c === B)).toEqual([]);
    // The converted Lead is gone; the Contacts hold no longer the erased number.
    expect(a.org.leads).toEqual([]);
    expect(a.org.contacts.map((c) => c.Phone)).toEqual([null, '(415) 555-9876']);
  });

  it('on SQLite, waits for the join lock a serve on the same data directory holds', async () => {
    const w = await world();
    worlds.push(w);
    // This test process stands for serve: it holds the store's join lock (a join run in progress).
    const serveStore = await createStore({ dataDir: w.dir });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = serveStore.withLock(JOIN_LOCK, async () => {
      held();
      await gate;
    });
    await new Promise<void>((r) => (held = r));
    try {
      const cli = spawnCli(['erase', '--phone', PHONE_TYPED, '--operator', 'tester'], w.env);
      await cli.waitFor(/step suppressed done/, 120_000);
      // The store step needs the join lock: it waits (the CLI asks every 100 ms meanwhile).
      await new Promise((r) => setTimeout(r, 1500));
      expect(cli.stdout()).not.toMatch(/step store done/);
      expect(cli.running()).toBe(true);
      release();
      await holding;
      expect([await cli.exited, cli.stderr()]).toEqual([0, '']);
      expect(cli.stdout()).toMatch(/step done done/);
    } finally {
      release();
      await holding;
      await serveStore.close();
    }
  });
});
