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
import type { EventStore, KeyValueState } from '../store/types';

/**
 * The pure engine (domain/join.ts) on these Tasks and their visitors' sessions from the store: the
 * plan step of a join run (runner.ts) and of a batch of calls (calls/batch-write.ts).
 * Callers without sessions whose browsers the bot filter dropped get a detail that says so.
 */
export async function planVisitors(
  store: KeyValueState & Pick<EventStore, 'sessionsForVisitors'>,
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
  },
): Promise<JoinPlan> {
  const ids = [...new Set(visitors)];
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
  });
}
