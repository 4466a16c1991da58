import type {
  JoinPlan,
  OpportunityTouchpointRecord,
  TaskUpdateRecord,
  TouchpointRecord,
  WebSessionRecord,
} from '../domain';
import type { SfRecord } from '../salesforce/port';
import { recordHash, type TaskLedger, type VisitorLedger } from './ledger';

/**
 * The join's diff step, pure: the plan for some visitors against what the ledger says was last
 * written for them → only the records to upsert, the Task updates to send and the records to
 * delete (those of a planned visitor that dropped out of the plan: the plan is complete per
 * visitor, R11). Reading before it is read.ts, writing after it write.ts and commit.ts.
 */

/**
 * The ledger keys of the records the join writes: `ws:<Session_Key__c>`, `tp:<Touchpoint_Key__c>`.
 * The prefix names the object and the external id the record is upserted by.
 */
export const RECORD_KEYS = {
  'ws:': { sobject: 'Web_Session__c', extIdField: 'Session_Key__c' },
  'tp:': { sobject: 'Touchpoint__c', extIdField: 'Touchpoint_Key__c' },
  // The key is the external id itself: `otp:<Opportunity Id>/<Touchpoint_Key__c>` (R13–R17), kept
  // in the ledger under the Opportunity (`opp:<Opportunity Id>`, opportunity-step.ts).
  'otp:': { sobject: 'Opportunity_Touchpoint__c', extIdField: 'Opportunity_Touchpoint_Key__c' },
} as const;
export type RecordKeyPrefix = keyof typeof RECORD_KEYS;

/** The object, external id field and value a ledger key stands for. */
export function recordOfKey(key: string): {
  prefix: RecordKeyPrefix;
  sobject: string;
  extIdField: string;
  extId: string;
} {
  const prefix = (Object.keys(RECORD_KEYS) as RecordKeyPrefix[]).find((p) => key.startsWith(p));
  if (!prefix) throw new Error(`not a ledger record key: ${key}`);
  return { prefix, ...RECORD_KEYS[prefix], extId: extIdOfKey(prefix, key) };
}

/** The external id value a ledger key stands for (`otp:` keys are their own external id). */
export function extIdOfKey(prefix: RecordKeyPrefix, key: string): string {
  return prefix === 'otp:' ? key : key.slice(prefix.length);
}

/** A Web_Session__c or Touchpoint__c to upsert, with its ledger key and hash. */
export interface PendingUpsert {
  visitor: string;
  /** `ws:<Session_Key__c>` / `tp:<Touchpoint_Key__c>`. */
  key: string;
  hash: string;
  rec: SfRecord;
}

export interface PendingTaskUpdate {
  id: string;
  /** Hash of the join's fields written (the ledger's `out`); null: the call's own fields only. */
  hash: string | null;
  rec: SfRecord;
}

export interface PendingDelete {
  visitor: string;
  key: string;
  /** Salesforce Id from the ledger; null for entries written before Ids were kept. */
  id: string | null;
}

export interface JoinDiff {
  webSessions: PendingUpsert[];
  touchpoints: PendingUpsert[];
  /** Opportunity_Touchpoint__c (opportunity-step.ts; `visitor` is `opp:<Opportunity Id>`), after touchpoints. */
  opportunityTouchpoints?: PendingUpsert[];
  tasks: PendingTaskUpdate[];
  deletes: PendingDelete[];
}

/** A planned record as the API takes it: no `sobject`, cleared lookups instead of null references. */
export function toSf(
  rec: WebSessionRecord | TouchpointRecord | TaskUpdateRecord | OpportunityTouchpointRecord,
): SfRecord {
  const { sobject, ...rest } = rec;
  const out: SfRecord = { ...rest };
  // A null relationship reference is not valid in the API: clear the lookup field itself.
  if ('Web_Session__r' in out && out.Web_Session__r === null) {
    delete out.Web_Session__r;
    out.Web_Session__c = null;
  }
  if ('Call_Touchpoint__r' in out && out.Call_Touchpoint__r === null) {
    delete out.Call_Touchpoint__r;
    out.Call_Touchpoint__c = null;
  }
  if (sobject === 'Task') out.attributes = { type: 'Task' };
  return out;
}

/**
 * `visitors`: the visitors planned in this run (each has an entry in `visitorLedgers`, empty for a
 * visitor never written). Records of other visitors in the plan are written but never deleted.
 */
export function diffPlan(
  plan: Pick<JoinPlan, 'webSessions' | 'touchpoints' | 'tasks'>,
  visitorLedgers: ReadonlyMap<string, VisitorLedger>,
  taskLedgers: ReadonlyMap<string, TaskLedger | null>,
): JoinDiff {
  const diff: JoinDiff = { webSessions: [], touchpoints: [], tasks: [], deletes: [] };
  const planned = new Map<string, Set<string>>([...visitorLedgers.keys()].map((v) => [v, new Set()]));
  const collect = (rec: WebSessionRecord | TouchpointRecord, key: string, into: PendingUpsert[]) => {
    const visitor = rec.BizibleId__c;
    const sf = toSf(rec);
    const hash = recordHash(sf);
    planned.get(visitor)?.add(key);
    if (visitorLedgers.get(visitor)?.records[key]?.h !== hash) into.push({ visitor, key, hash, rec: sf });
  };
  for (const ws of plan.webSessions) collect(ws, `ws:${ws.Session_Key__c}`, diff.webSessions);
  for (const tp of plan.touchpoints) collect(tp, `tp:${tp.Touchpoint_Key__c}`, diff.touchpoints);
  for (const u of plan.tasks) {
    const sf = toSf(u);
    const hash = recordHash(sf);
    if (taskLedgers.get(u.Id)?.out !== hash) diff.tasks.push({ id: u.Id, hash, rec: sf });
  }
  for (const [v, led] of visitorLedgers)
    for (const [key, entry] of Object.entries(led.records))
      if (!planned.get(v)!.has(key)) diff.deletes.push({ visitor: v, key, id: entry.id });
  return diff;
}

const withoutIdentity = ({ Id: _id, attributes: _a, ...rest }: SfRecord): SfRecord => rest;

/**
 * The diff with a batch of calls' own Task fields (calls/batch-write.ts: the call's fields, WhoId)
 * written in the same update as the join's: one update per Task. A Task with call fields and no
 * join change gets an update of its own (hash null: the join's output is unchanged).
 */
export function withCallUpdates(diff: JoinDiff, callUpdates: ReadonlyMap<string, SfRecord>): JoinDiff {
  const join = new Map(diff.tasks.map((t) => [t.id, t]));
  const tasks: PendingTaskUpdate[] = [];
  for (const id of new Set([...join.keys(), ...callUpdates.keys()])) {
    const j = join.get(id);
    const fields = { ...(callUpdates.get(id) ?? {}), ...(j ? withoutIdentity(j.rec) : {}) };
    if (Object.keys(fields).length === 0) continue;
    tasks.push({ id, hash: j?.hash ?? null, rec: { attributes: { type: 'Task' }, Id: id, ...fields } });
  }
  return { ...diff, tasks };
}
