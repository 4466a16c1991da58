import {
  type CallerOutcome,
  defaultChannelRules,
  planJoin,
  type ChannelRules,
  type JoinOptions,
  type JoinPlan,
  type TaskRecord,
} from '../domain';
import { automatedVisitors } from '../store/automated';
import type { ErasureStore, EventStore, KeyValueState } from '../store/types';
import { privacySalt, subjectHash } from '../store/privacy-salt';

/**
 * The pure engine (domain/join.ts) on these Tasks and their visitors' sessions from the store: the
 * plan step of a join run (runner.ts) and of a batch of calls (calls/batch-write.ts).
 * Callers without sessions whose browsers the bot filter dropped get a detail that says so.
 * R8/R23: a visitor on the suppression list (consent withdrawn, Global Privacy Control, erased) is
 * planned without its sessions — they are not read — and its calls stand alone as `No_Consent`.
 */
export async function planVisitors(
  store: KeyValueState & Pick<EventStore, 'sessionsForVisitors'> & Pick<ErasureStore, 'suppressedHashes'>,
  tasks: readonly TaskRecord[],
  visitors: Iterable<string>,
  opts: {
    rules?: ChannelRules;
    bizibleIdField: string;
    joinOptions?: Partial<JoinOptions>;
    /** R14: Lead Id → converted Contact Id (opportunity-state.ts). */
    conversions?: ReadonlyMap<string, string>;
    /** R23: Task Id → how this run found the call's person (domain/join-reason.ts). */
    callers?: ReadonlyMap<string, CallerOutcome | null>;
    /** PRIVACY_SALT (null or unset: the store's salt), to find the suppressed visitors (R8). */
    privacySalt?: string | null;
  },
): Promise<JoinPlan> {
  const all = [...new Set(visitors)];
  const optedOut = await suppressedVisitors(store, all, opts.privacySalt ?? null);
  const ids = optedOut.size ? all.filter((v) => !optedOut.has(v)) : all;
  const sessionsByVisitor = ids.length ? await store.sessionsForVisitors(ids) : new Map();
  const sessionless = ids.filter((v) => !sessionsByVisitor.get(v)?.length);
  return planJoin({
    tasks: [...tasks],
    sessionsByVisitor,
    rules: opts.rules ?? defaultChannelRules(),
    bizibleIdField: opts.bizibleIdField,
    options: opts.joinOptions,
    automatedVisitors: sessionless.length ? await automatedVisitors(store, sessionless) : undefined,
    conversions: opts.conversions,
    callers: opts.callers,
    optedOutVisitors: optedOut.size ? optedOut : undefined,
  });
}

/** The visitors among `ids` whose cookie is on the suppression list (one store read; no salt needed when it is empty). */
async function suppressedVisitors(
  store: KeyValueState & Pick<ErasureStore, 'suppressedHashes'>,
  ids: readonly string[],
  configured: string | null,
): Promise<ReadonlySet<string>> {
  if (!ids.length) return NONE;
  const hashes = new Set(await store.suppressedHashes());
  if (!hashes.size) return NONE;
  const salt = await privacySalt(store, configured);
  return new Set(ids.filter((v) => hashes.has(subjectHash('cookie', v, salt))));
}

const NONE: ReadonlySet<string> = new Set();
