import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../../src/config';
import { auditEntry, erase, joinReplanner, parseSubject, type ErasureDeps } from '../../src/erasure';
import { runJoinOnce } from '../../src/join';
import { silentLogger } from '../../src/log';
import { createStore, type Store } from '../../src/store';
import { createTempDatabase, type TempDatabase } from '../../src/store/pg-temp-db';
import { createTrackingRouter } from '../../src/tracking';
import { SuppressionList } from '../../src/tracking/suppression';
import { localOrgSession } from '../salesforce/helpers';
import { phoneSpellings } from '../../src/vendors/phone';
import { CLEARED_TASK_FIELDS } from '../../src/erasure/targets';
import { A, B, buildScenario, C, CHROME_UA, E164, PHONE_TYPED, type Scenario } from './scenario';

jest.setTimeout(120_000);

const SALT = 'test-salt-0123456789abcdefghijklmnopqrstuvwxyz';
const SCANNED = ['Lead', 'Contact', 'Task', 'Web_Session__c', 'Touchpoint__c', 'Opportunity_Touchpoint__c'];

type StoreMaker = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

const sqlite: StoreMaker = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-erase-'));
  const store = await createStore({ dataDir: dir });
  return { store, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
};

const postgres: StoreMaker = async () => {
  const db: TempDatabase = await createTempDatabase(process.env.DATABASE_URL!, 'ct_erase');
  const store = await createStore({ databaseUrl: db.url, dataDir: os.tmpdir() });
  return { store, cleanup: () => db.drop() };
};

const stores: [string, StoreMaker | null][] = [
  ['SQLite', sqlite],
  ['PostgreSQL', process.env.DATABASE_URL ? postgres : null],
];

describe.each(stores)('erase --phone against the local org, %s store', (name, makeStore) => {
  if (!makeStore) {
    test.skip(`skipped: set DATABASE_URL=postgres://… to run the ${name} erasure test`, () => undefined);
    return;
  }
  let session: Awaited<ReturnType<typeof localOrgSession>>;
  let store: Store;
  let cleanup: () => Promise<void>;
  let scenario: Scenario;
  let suppression: SuppressionList;
  let deps: ErasureDeps;
  const done: string[] = [];

  beforeAll(async () => {
    session = await localOrgSession({ preload: true });
    ({ store, cleanup } = await makeStore());
    scenario = await buildScenario(session.conn.conn, session.gateway, store);
    suppression = await new SuppressionList(store, SALT).start();
    deps = {
      store,
      gw: session.gateway.for('erase'),
      salt: SALT,
      suppression,
      bizibleIdField: 'BizibleId__c',
      sweepDelayMs: 0,
      onDone: () => void done.push('done'),
      replanOpportunities: joinReplanner({
        gateway: session.gateway.for('erase'),
        store,
        opportunities: { mapping: 'account' },
      }),
    };
  });
  afterAll(async () => {
    suppression?.stop();
    await store?.close();
    await cleanup?.();
    await session?.org.close();
  });

  const queryAll = (soql: string) =>
    session.gateway
      .createAndQuery<Record<string, unknown>>({ queries: [soql], includeDeleted: true })
      .then((r) => r.rows[0]);

  /**
   * "<object>.<field>" of every record (queryAll: deleted ones too) whose value holds the number:
   * any spelling the erasure searches, or its ten digits once everything but digits is dropped.
   */
  async function holdersOfNumber(): Promise<string[]> {
    const spellings = phoneSpellings(E164);
    const out: string[] = [];
    for (const sobject of SCANNED) {
      const described = await session.conn.conn.sobject(sobject).describe();
      const fields = described.fields.filter((f) => !['address', 'location'].includes(String(f.type)));
      const rows = await queryAll(`SELECT ${fields.map((f) => f.name).join(', ')} FROM ${sobject}`);
      for (const r of rows)
        for (const [k, v] of Object.entries(r)) {
          if (typeof v !== 'string') continue;
          if (spellings.some((s) => v.includes(s)) || v.replace(/\D/g, '').includes('4155551234'))
            out.push(`${sobject}.${k}`);
        }
    }
    return out;
  }

  it('a dry run lists what would go, by kind and count, and erases nothing', async () => {
    const dry = await erase(deps, {
      subject: parseSubject({ phone: PHONE_TYPED }),
      requestedBy: 'test',
      deleteTasks: false,
      dryRun: true,
    });
    expect(dry).toMatchObject({
      dryRun: true,
      counts: {
        org: {
          webSessions: 2,
          touchpoints: 2,
          opportunityTouchpoints: 2,
          tasksCleared: 2,
          tasksDeleted: 0,
          personsCleared: 1,
          leadsDeleted: 1,
          purged: 8,
        },
        suppressed: 3,
      },
    });
    expect((dry as { counts: { store: { events: number } } }).counts.store.events).toBe(3);
    expect(await store.countEvents()).toBe(4);
    const kept = await erase(deps, {
      subject: parseSubject({ phone: PHONE_TYPED }),
      requestedBy: 'test',
      deleteTasks: false,
      keepPerson: true,
      dryRun: true,
    });
    expect(kept).toMatchObject({ counts: { org: { personsCleared: 0, leadsDeleted: 0, purged: 7 } } });
  });

  it('erases the number, both cookies and their sessions from the store and the org', async () => {
    // The Lead remembered for the number under UNKNOWN_CALLER=create-lead (join/caller-leads.ts).
    await store.setState('caller-lead:+14155551234', JSON.stringify({ leadId: '00Q000000000001AAA' }));
    const record = await erase(deps, {
      subject: parseSubject({ phone: PHONE_TYPED }),
      requestedBy: 'cli:tester',
      deleteTasks: false,
    });
    expect('dryRun' in record).toBe(false);
    expect(done).toEqual(['done']); // serve drops its page caches here (server/start.ts)

    // Store: nothing of A or B, the outbox item gone; C untouched.
    expect((await store.sessionsForVisitors([A, B])).get(A) ?? []).toEqual([]);
    expect((await store.sessionsForVisitors([A, B])).get(B) ?? []).toEqual([]);
    expect((await store.sessionsForVisitors([C])).get(C)).toHaveLength(1);
    expect(await store.countEvents()).toBe(1);
    expect(await store.outboxDepth()).toBe(0);
    expect([...(await store.joinVisitors([A, B])).keys()]).toEqual([]);
    expect(await store.getState('caller-lead:+14155551234')).toBeNull();

    // Org, Recycle Bin included: no record holds the number, the cookies or their sessions.
    const cookies = `('${A}', '${B}')`;
    expect(await queryAll(`SELECT Id FROM Web_Session__c WHERE BizibleId__c IN ${cookies}`)).toEqual([]);
    expect(await queryAll(`SELECT Id FROM Touchpoint__c WHERE BizibleId__c IN ${cookies}`)).toEqual([]);
    expect(await queryAll(`SELECT Id FROM Touchpoint__c WHERE Id = '${scenario.binnedId}'`)).toEqual([]);
    expect(await queryAll(`SELECT Id FROM Task WHERE BizibleId__c IN ${cookies}`)).toEqual([]);
    expect(await queryAll(`SELECT Id FROM Task WHERE Subject LIKE '%555-1234%'`)).toEqual([]);
    expect(
      await queryAll(`SELECT Id FROM Opportunity_Touchpoint__c WHERE Contact__c = '${scenario.contactX}'`),
    ).toEqual([]);
    // No record of these objects, Recycle Bin included, holds the number in any field or spelling.
    expect(await holdersOfNumber()).toEqual([]);
    // The person's Contact stays, without the number; the converted Lead (read-only) is gone; the
    // other Contact keeps its own number.
    const [x] = await session.gateway.query<Record<string, unknown>>(
      `SELECT Id, Phone, MobilePhone, LastName FROM Contact WHERE Id = '${scenario.contactX}'`,
    );
    expect(x).toMatchObject({ Phone: null, LastName: 'Caller' });
    expect(await queryAll(`SELECT Id FROM Lead WHERE Id = '${scenario.leadId}'`)).toEqual([]);
    const [y] = await session.gateway.query<Record<string, unknown>>(
      `SELECT Phone FROM Contact WHERE Id = '${scenario.contactY}'`,
    );
    expect(y.Phone).toBe('(415) 555-9876');
    // The calls stay, without our fields and without the number.
    const kept = await session.gateway.query<Record<string, unknown>>(
      `SELECT Id, Subject, Description, BizibleId__c, ${CLEARED_TASK_FIELDS.join(', ')} FROM Task WHERE Id IN ('${scenario.taskIds.a}', '${scenario.taskIds.b}')`,
    );
    expect(kept).toHaveLength(2);
    for (const t of kept) {
      expect(t).toMatchObject({ BizibleId__c: null, Call_Touchpoint__c: null, Call_Join_Status__c: null });
      expect(CLEARED_TASK_FIELDS).toContain('Call_Join_Reason__c');
      for (const f of CLEARED_TASK_FIELDS) expect([f, t[f]]).toEqual([f, null]);
      expect(String(t.Subject)).toBe('Call from (number erased)');
      expect(String(t.Description)).not.toMatch(/Recording/);
    }
    // The other Contact's touchpoint and call are untouched.
    expect(
      await session.gateway.query(`SELECT Id FROM Touchpoint__c WHERE BizibleId__c = '${C}'`),
    ).toHaveLength(1);
  });

  it('the join leaves the cleared Tasks alone afterwards', async () => {
    const summary = await runJoinOnce({
      gateway: session.gateway,
      store,
      opportunities: { mapping: 'account' },
    });
    expect(summary.written).toMatchObject({ webSessions: 0, touchpoints: 0, tasks: 0, deleted: 0 });
  });

  it("the other Contact's Opportunity touchpoints still sum to 100 in every model", async () => {
    const rest = await session.gateway.query<Record<string, number | string>>(
      `SELECT Contact__c, First_Touch_Percent__c, Lead_Creation_Percent__c, U_Shaped_Percent__c, W_Shaped_Percent__c, Full_Path_Percent__c
       FROM Opportunity_Touchpoint__c WHERE Opportunity__c = '${scenario.opportunityId}'`,
    );
    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(rest.map((r) => r.Contact__c))).toEqual(new Set([scenario.contactY]));
    for (const model of ['First_Touch', 'Lead_Creation', 'U_Shaped', 'W_Shaped', 'Full_Path'])
      expect([model, rest.reduce((n, r) => n + Number(r[`${model}_Percent__c`] ?? 0), 0)]).toEqual([
        model,
        100,
      ]);
    const [entry] = (await store.erasures({ limit: 10 })).map(auditEntry);
    expect(entry.counts.opportunitiesReplanned).toBe(1);
    expect(entry.notes).toEqual([]);
  });

  it('a new page view from an erased cookie is not stored (204)', async () => {
    const app = express();
    app.use(createTrackingRouter({ store, config: loadConfig({}), logger: silentLogger, suppression }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`;
      const before = await store.countEvents();
      const event = (v: string, id: string) => ({
        type: 'page_view',
        visitorId: v,
        url: 'https://example.com/',
        eventId: id,
      });
      const byBody = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME_UA },
        body: JSON.stringify({ events: [event(A, 'after-0001')] }),
      });
      expect([byBody.status, await byBody.text()]).toEqual([204, '']);
      const byCookie = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME_UA, cookie: `_biz_uid=${B}` },
        body: JSON.stringify({ events: [event(B, 'after-0002')] }),
      });
      expect(byCookie.status).toBe(204);
      expect(await store.countEvents()).toBe(before);
      // Another visitor is still collected.
      const other = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME_UA },
        body: JSON.stringify({ events: [event(C, 'after-0003')] }),
      });
      expect(other.status).toBe(204);
      expect(await store.countEvents()).toBe(before + 1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('the audit log has the request, its counts and recipients, and no number or cookie', async () => {
    const entries = (await store.erasures({ limit: 10 })).map(auditEntry);
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect(e).toMatchObject({
      status: 'done',
      requestedBy: 'cli:tester',
      subjectKind: 'phone',
      counts: {
        org: {
          webSessions: 2,
          touchpoints: 2,
          opportunityTouchpoints: 2,
          tasksCleared: 2,
          personsCleared: 1,
          leadsDeleted: 1,
          purged: 8,
        },
      },
    });
    expect(e.counts.store.events).toBe(3);
    // docs/privacy.md states the cost: about 10–12 org requests for this person.
    const total = Object.values(e.orgRequests).reduce((n, k) => n + k, 0);
    process.stdout.write(`erasure org requests: ${total} ${JSON.stringify(e.orgRequests)}\n`);
    expect(total).toBeLessThanOrEqual(15);
    expect(e.recipients.join(' ')).toMatch(/call-tracking vendor/);
    expect(e.recipients.join(' ')).toMatch(/Marketo Measure/);
    const text = JSON.stringify(entries) + JSON.stringify(await store.erasures({ limit: 10 }));
    for (const secret of ['4155551234', '555-1234', A, B, scenario.contactX])
      expect(text).not.toContain(secret);
    expect(text).not.toContain(E164);
  });
});
