import type { RecordResult } from '../salesforce/port';
import { extIdOfKey, RECORD_KEYS, type JoinDiff, type PendingDelete } from './diff';
import { IN_CHUNK } from './read';
import type { SalesforcePort } from '../salesforce/port';
import { soqlList } from '../salesforce/soql';

/**
 * The join's write step: a diff (diff.ts) sent to the org — sessions, touchpoints (they
 * reference sessions by key), Tasks (they reference touchpoints by key), then deletes of what
 * dropped out of the plan — in composite requests (one carries up to 1,000 records of all kinds,
 * in this order).
 */

/**
 * The one writer interface: a diff sent to the org, the org's answer per record of the diff — by
 * sObject Collections (collectionWriter, here: a join run) or by one Composite Graph per visitor
 * (graphs.ts: a batch of calls). What the answers mean for the ledger is commit.ts's, for both.
 */
export interface JoinWriter {
  write(diff: JoinDiff, opts?: WriteOptions): Promise<JoinWriteResults>;
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Records sent so far (progress). */
  tick?: (n: number) => void;
}

/** Per record of the diff, in the diff's order. */
export interface JoinWriteResults {
  webSessions: RecordResult[];
  touchpoints: RecordResult[];
  /** Per `diff.opportunityTouchpoints` entry (absent: none in the diff). */
  opportunityTouchpoints?: RecordResult[];
  tasks: RecordResult[];
  /** Per `diff.deletes` entry; null: not in the org (no Id kept, none found), nothing to delete. */
  deletes: (RecordResult | null)[];
}

/** The join run's writer: composite requests of collections, up to 1,000 records each. */
export function collectionWriter(gw: SalesforcePort): JoinWriter {
  return { write: (diff, opts) => writeJoinDiff(gw, diff, opts) };
}

async function writeJoinDiff(
  gw: SalesforcePort,
  diff: JoinDiff,
  opts: WriteOptions = {},
): Promise<JoinWriteResults> {
  const ids = diff.deletes.some((d) => !d.id)
    ? await resolveIds(gw, diff.deletes, opts.signal)
    : diff.deletes.map((d) => d.id);
  const withId = diff.deletes.flatMap((d, i) => (ids[i] ? [{ i, id: ids[i] as string }] : []));
  const otps = diff.opportunityTouchpoints ?? [];
  const [webSessions, touchpoints, opportunityTouchpoints, tasks, deleted] = await gw.write(
    [
      { kind: 'upsert', ...RECORD_KEYS['ws:'], records: diff.webSessions.map((w) => w.rec) },
      { kind: 'upsert', ...RECORD_KEYS['tp:'], records: diff.touchpoints.map((w) => w.rec) },
      // After the touchpoints they reference by key (Touchpoint__r), in the same requests.
      { kind: 'upsert', ...RECORD_KEYS['otp:'], records: otps.map((w) => w.rec) },
      { kind: 'update', records: diff.tasks.map((w) => w.rec) },
      { kind: 'delete', ids: withId.map((d) => d.id) },
    ],
    opts.tick,
    { signal: opts.signal },
  );
  opts.tick?.(diff.deletes.length - withId.length);
  const deletes: (RecordResult | null)[] = diff.deletes.map(() => null);
  withId.forEach((d, j) => (deletes[d.i] = deleted[j]));
  return { webSessions, touchpoints, opportunityTouchpoints, tasks, deletes };
}

/** Ids of stale records the ledger has no Id for (written before Ids were kept), per delete. */
async function resolveIds(
  gw: SalesforcePort,
  deletes: readonly PendingDelete[],
  signal?: AbortSignal,
): Promise<(string | null)[]> {
  const ids = deletes.map((d) => d.id);
  for (const prefix of ['otp:', 'tp:', 'ws:'] as const) {
    const { sobject, extIdField: field } = RECORD_KEYS[prefix];
    const missing = deletes.flatMap((d, i) => (!d.id && d.key.startsWith(prefix) ? [i] : []));
    for (let c = 0; c < missing.length; c += IN_CHUNK) {
      const chunk = missing.slice(c, c + IN_CHUNK);
      const rows = await gw.query<{ Id: string; [k: string]: unknown }>(
        `SELECT Id, ${field} FROM ${sobject} WHERE ${field} IN (${soqlList(chunk.map((i) => extIdOfKey(prefix, deletes[i].key)))})`,
        undefined,
        { signal },
      );
      const found = new Map(rows.map((r) => [String(r[field]), r.Id]));
      for (const i of chunk) ids[i] = found.get(extIdOfKey(prefix, deletes[i].key)) ?? null;
    }
  }
  return ids;
}
