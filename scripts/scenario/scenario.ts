import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Connection } from 'jsforce';
import { simulate } from '../../middleware/src/cli/commands/simulate';
import { projectFile } from '../../middleware/src/project-root';
import { queryAllRows } from './query-all';
import { taskFields } from '../../middleware/src/join';
import { soqlList } from '../../middleware/src/salesforce/soql';
import { DEFAULT_BIZIBLE_ID_FIELD } from '../../middleware/src/domain';
import type { SalesforceRecord } from '../../middleware/src/domain/types';
import { callRailPayload, postSignedCallRail } from '../../middleware/src/web/demo-site';

/**
 * The shared end-to-end scenario (scripts/scenario/calls-scenario.json): loads sessions through a
 * running server's POST /collect and calls through its signed CallRail webhook, waits for the join,
 * reads Web_Session__c, Touchpoint__c and the Tasks back with SOQL and compares them with what
 * `simulate` predicts for the same events and Tasks. Used by `npm test` (local org) and by
 * scripts/scratch-org-e2e.sh (a scratch org), so both runs check the same thing.
 */

export interface ScenarioEvent {
  type: 'page_view' | 'form_submit';
  path: string;
  referrer: string | null;
  email?: string;
  /** Event time = load time minus this (≤ 240 s: within the sessionizer's 5-minute client skew). */
  secondsBeforeLoad: number;
}
export interface ScenarioCall {
  name: string;
  /** Visitor name (its generated _biz_uid is sent), or null for a call without the cookie. */
  visitor: string | null;
  minutesAfterLastEvent?: number;
  minutesAfterLoad?: number;
  durationSeconds: number;
  expect: { status: string; channel?: string };
}
export interface Scenario {
  description: string;
  site: string;
  visitors: { name: string; events: ScenarioEvent[] }[];
  calls: ScenarioCall[];
}

/** Read from the source tree (also when running from dist/, which holds no JSON). */
export const SCENARIO_FILE = projectFile('scripts', 'scenario', 'calls-scenario.json');

export function readScenario(file = SCENARIO_FILE): Scenario {
  const scenario = JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario;
  for (const v of scenario.visitors) {
    for (const e of v.events) {
      if (!(e.secondsBeforeLoad > 0 && e.secondsBeforeLoad <= 240)) {
        throw new Error(
          `${file}: visitor ${v.name}: secondsBeforeLoad must be 1..240 (the client-time skew the server accepts)`,
        );
      }
    }
  }
  return scenario;
}

/** One simulate event line (and the /collect event built from the same values). */
export interface EventLine {
  type: string;
  visitorId: string;
  url: string;
  referrer: string | null;
  receivedAt: string;
  clientTime: string;
  email?: string;
  eventId: string;
}

export interface LoadedScenario {
  runId: string;
  loadAt: number;
  visitorIds: Map<string, string>;
  events: EventLine[];
  /** Vendor call ids (namespaced the way the CallRail adapter stores them) by call name. */
  callIds: Map<string, string>;
}

export interface LoadTarget {
  /** Base URL of a running `serve`. */
  baseUrl: string;
  callrailSigningKey: string;
  now?: () => number;
}

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function hex(seed: string, n: number): string {
  return crypto.createHash('sha256').update(seed).digest('hex').slice(0, n);
}

/** Posts the scenario's events through /collect and its calls through the signed CallRail webhook. */
export async function loadScenario(scenario: Scenario, target: LoadTarget): Promise<LoadedScenario> {
  const now = target.now ?? Date.now;
  const runId = crypto.randomBytes(4).toString('hex');
  const loadAt = now();
  const visitorIds = new Map<string, string>();
  const idOf = (name: string) => {
    let id = visitorIds.get(name);
    if (!id) visitorIds.set(name, (id = hex(`${runId}:${name}`, 32)));
    return id;
  };
  const events: EventLine[] = [];
  const lastEventAt = new Map<string, number>();
  for (const v of scenario.visitors) {
    const visitorId = idOf(v.name);
    const batch = v.events.map((e, i) => {
      const at = loadAt - e.secondsBeforeLoad * 1000;
      lastEventAt.set(v.name, Math.max(lastEventAt.get(v.name) ?? 0, at));
      const iso = new Date(at).toISOString();
      const line: EventLine = {
        type: e.type,
        visitorId,
        url: scenario.site + e.path,
        referrer: e.referrer ? e.referrer.replace('{site}', scenario.site) : null,
        // simulate: receivedAt = clientTime, so both sides sessionize on the same instant (R4).
        receivedAt: iso,
        clientTime: iso,
        ...(e.email ? { email: e.email } : {}),
        eventId: `scn-${runId}-${v.name}-${i}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64),
      };
      events.push(line);
      return {
        type: line.type,
        visitorId,
        url: line.url,
        referrer: line.referrer ?? '',
        clientTime: at,
        email: line.email,
        eventId: line.eventId,
      };
    });
    const res = await fetch(`${target.baseUrl}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ events: batch }),
    });
    if (res.status >= 300)
      throw new Error(`POST /collect for ${v.name} answered ${res.status}: ${await res.text()}`);
  }

  const callIds = new Map<string, string>();
  for (const call of scenario.calls) {
    const base =
      call.minutesAfterLastEvent !== undefined && call.visitor && lastEventAt.has(call.visitor)
        ? (lastEventAt.get(call.visitor) as number) + call.minutesAfterLastEvent * 60_000
        : loadAt + (call.minutesAfterLoad ?? 0) * 60_000;
    const id = `SCN${runId}${call.name}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 60);
    const payload = callRailPayload({
      id,
      visitorId: call.visitor ? idOf(call.visitor) : '',
      startedAt: new Date(base),
      durationSeconds: call.durationSeconds,
    }) as Record<string, unknown>;
    if (!call.visitor) delete payload.custom;
    const res = await postSignedCallRail(
      `${target.baseUrl}/webhooks/callrail`,
      target.callrailSigningKey,
      payload,
    );
    if (res.status >= 300)
      throw new Error(`CallRail webhook for ${call.name} answered ${res.status}: ${res.text}`);
    callIds.set(call.name, `callrail:${id}`);
  }
  return { runId, loadAt, visitorIds, events, callIds };
}

type Row = Record<string, unknown>;

/** All rows, without the REST `attributes` member, so they compare with plain records. */
async function queryAll(conn: Connection, soql: string): Promise<Row[]> {
  const rows = await queryAllRows<Row>(conn, soql);
  return rows.map(({ attributes: _a, ...rest }) => rest);
}

/** What the join reads, plus what the scenario compares: the vendor call id and the join's results. */
const taskFieldsRead = (bizibleIdField: string) => [
  ...taskFields(bizibleIdField),
  'Vendor_Call_Id__c',
  'Call_Join_Status__c',
  'Call_Join_Detail__c',
  'Call_Touchpoint__c',
];
export async function readTasks(
  conn: Connection,
  loaded: LoadedScenario,
  bizibleIdField = DEFAULT_BIZIBLE_ID_FIELD,
): Promise<Row[]> {
  return queryAll(
    conn,
    `SELECT ${taskFieldsRead(bizibleIdField).join(', ')} FROM Task WHERE Vendor_Call_Id__c IN (${soqlList([
      ...loaded.callIds.values(),
    ])})`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every scenario call is a Task with a final join status (or the time is up). */
export async function waitForJoin(
  conn: Connection,
  loaded: LoadedScenario,
  opts: { timeoutMs: number; trigger?: () => Promise<unknown>; bizibleIdField?: string },
): Promise<Row[]> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const tasks = await readTasks(conn, loaded, opts.bizibleIdField);
    const done =
      tasks.length === loaded.callIds.size &&
      tasks.every((t) => t.Call_Join_Status__c && t.Call_Join_Status__c !== 'Pending');
    if (done) return tasks;
    if (Date.now() > deadline) {
      throw new Error(
        `after ${opts.timeoutMs} ms: ${tasks.length}/${loaded.callIds.size} Tasks, statuses ${JSON.stringify(
          tasks.map((t) => t.Call_Join_Status__c),
        )}`,
      );
    }
    if (tasks.length === loaded.callIds.size && opts.trigger) await opts.trigger().catch(() => undefined);
    await sleep(500);
  }
}

/** What `simulate` predicts for the scenario's events and the Tasks as the org holds them. */
export function predict(
  loaded: LoadedScenario,
  tasks: Row[],
  bizibleIdField = DEFAULT_BIZIBLE_ID_FIELD,
): SalesforceRecord[] {
  const result = simulate({
    events: { name: 'scenario-events.ndjson', text: loaded.events.map((e) => JSON.stringify(e)).join('\n') },
    tasks: { name: 'scenario-tasks.ndjson', text: tasks.map((t) => JSON.stringify(t)).join('\n') },
    bizibleIdField,
  });
  if (!result.ok) throw new Error(`simulate rejected the scenario: ${result.errors.join('; ')}`);
  return result.lines.map((l) => JSON.parse(l) as SalesforceRecord);
}

/** Instants compare as instants ("…000+0000" from the org vs "…000Z" from simulate). */
function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value)
  ) {
    return new Date(value).toISOString();
  }
  return value;
}

export interface Comparison {
  compared: number;
  differences: string[];
}

/**
 * Reads back the records simulate predicts and compares every predicted field. Lookups are
 * compared through the external ids they point to (Web_Session__r / Call_Touchpoint__r).
 */
export async function compareWithOrg(
  conn: Connection,
  predicted: SalesforceRecord[],
  tasks: Row[],
): Promise<Comparison> {
  const differences: string[] = [];
  let compared = 0;
  const sessions = predicted.filter((r) => r.sobject === 'Web_Session__c');
  const touchpoints = predicted.filter((r) => r.sobject === 'Touchpoint__c');
  const taskUpdates = predicted.filter((r) => r.sobject === 'Task');

  const fieldsOf = (records: Row[]) =>
    [...new Set(records.flatMap((r) => Object.keys(r)))].filter((f) => f !== 'sobject' && !f.endsWith('__r'));

  const sessionRows = sessions.length
    ? await queryAll(
        conn,
        `SELECT Id, ${fieldsOf(sessions as unknown as Row[]).join(', ')} FROM Web_Session__c WHERE Session_Key__c IN (${soqlList(
          sessions.map((s) => (s as { Session_Key__c: string }).Session_Key__c),
        )})`,
      )
    : [];
  const sessionKeyById = new Map(sessionRows.map((r) => [r.Id as string, r.Session_Key__c as string]));
  const tpFields = fieldsOf(touchpoints as unknown as Row[]);
  const tpRows = touchpoints.length
    ? await queryAll(
        conn,
        `SELECT Id, Web_Session__c, ${tpFields.join(', ')} FROM Touchpoint__c WHERE Touchpoint_Key__c IN (${soqlList(
          touchpoints.map((t) => (t as { Touchpoint_Key__c: string }).Touchpoint_Key__c),
        )})`,
      )
    : [];
  const tpKeyById = new Map(tpRows.map((r) => [r.Id as string, r.Touchpoint_Key__c as string]));

  const check = (label: string, expected: Row, actual: Row | undefined, fields: string[]) => {
    compared++;
    if (!actual) {
      differences.push(`${label}: missing in the org`);
      return;
    }
    for (const f of fields) {
      const want = normalize(expected[f]);
      const got = normalize(actual[f]);
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        differences.push(`${label}.${f}: simulate ${JSON.stringify(want)}, org ${JSON.stringify(got)}`);
      }
    }
  };

  for (const s of sessions as unknown as Row[]) {
    const actual = sessionRows.find((r) => r.Session_Key__c === s.Session_Key__c);
    check(`Web_Session__c ${String(s.Session_Key__c)}`, s, actual, fieldsOf([s]));
  }
  for (const t of touchpoints as unknown as Row[]) {
    const actual = tpRows.find((r) => r.Touchpoint_Key__c === t.Touchpoint_Key__c);
    check(`Touchpoint__c ${String(t.Touchpoint_Key__c)}`, t, actual, fieldsOf([t]));
    const wantSession = (t.Web_Session__r as { Session_Key__c: string } | null)?.Session_Key__c ?? null;
    const gotSession = actual?.Web_Session__c
      ? (sessionKeyById.get(actual.Web_Session__c as string) ?? 'outside the scenario')
      : null;
    if (actual && wantSession !== gotSession) {
      differences.push(
        `Touchpoint__c ${String(t.Touchpoint_Key__c)}.Web_Session__c: simulate ${wantSession}, org ${gotSession}`,
      );
    }
  }
  for (const u of taskUpdates as unknown as Row[]) {
    const actual = tasks.find((r) => r.Id === u.Id);
    check(`Task ${String(u.Id)}`, u, actual, ['Call_Join_Status__c', 'Call_Join_Detail__c']);
    const want = (u.Call_Touchpoint__r as { Touchpoint_Key__c: string } | null)?.Touchpoint_Key__c ?? null;
    const got = actual?.Call_Touchpoint__c
      ? (tpKeyById.get(actual.Call_Touchpoint__c as string) ?? 'outside the scenario')
      : null;
    if (actual && want !== got)
      differences.push(`Task ${String(u.Id)}.Call_Touchpoint__c: simulate ${want}, org ${got}`);
  }
  return { compared, differences };
}

/** The scenario's own expectations (status and channel per call), independent of simulate. */
export async function checkExpectations(
  conn: Connection,
  scenario: Scenario,
  loaded: LoadedScenario,
  tasks: Row[],
): Promise<string[]> {
  const problems: string[] = [];
  const tpIds = tasks.map((t) => t.Call_Touchpoint__c).filter((id): id is string => typeof id === 'string');
  const tps = tpIds.length
    ? await queryAll(conn, `SELECT Id, Channel__c FROM Touchpoint__c WHERE Id IN (${soqlList(tpIds)})`)
    : [];
  for (const call of scenario.calls) {
    const task = tasks.find((t) => t.Vendor_Call_Id__c === loaded.callIds.get(call.name));
    if (!task) {
      problems.push(`${call.name}: no Task`);
      continue;
    }
    if (task.Call_Join_Status__c !== call.expect.status) {
      problems.push(
        `${call.name}: status ${String(task.Call_Join_Status__c)}, expected ${call.expect.status}`,
      );
    }
    if (call.expect.channel) {
      const channel = tps.find((t) => t.Id === task.Call_Touchpoint__c)?.Channel__c ?? null;
      if (channel !== call.expect.channel)
        problems.push(`${call.name}: channel ${String(channel)}, expected ${call.expect.channel}`);
    }
  }
  return problems;
}
