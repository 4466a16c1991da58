import { isPendingLeadId, type TaskRecord } from '../domain';
import type { JoinLedger } from './ledger';

/**
 * R21 at the edge: journeys are per person (domain/person-journeys.ts), so a plan that holds one
 * cookie of a person must hold the person's other cookies too — else that cookie would get its own
 * FT and LC back. Which cookies those are comes from the store's ledger, not the org: the WhoIds the
 * given visitors' Tasks named when last planned (`join_tasks.who_id`) and the WhoIds the Tasks being
 * planned name now, then every visitor with a ledgered Task naming one of them. A converted Lead and
 * its Contact are one person (R14): both Ids are looked up.
 */
export async function personCookies(
  ledger: JoinLedger,
  visitors: Iterable<string>,
  whoIds: Iterable<string>,
  conversions: ReadonlyMap<string, string> = NO_CONVERSIONS,
): Promise<string[]> {
  const given = new Set(visitors);
  const people = new Set(whoIds);
  if (given.size) {
    const ledgers = await ledger.visitors([...given]);
    const taskIds = [...ledgers.values()].flatMap((l) => l.tasks);
    for (const t of (await ledger.tasks(taskIds)).values()) if (t.who) people.add(t.who);
  }
  for (const who of [...people]) {
    const contact = conversions.get(who);
    if (contact) people.add(contact);
  }
  for (const [lead, contact] of conversions) if (people.has(contact)) people.add(lead);
  const named = await ledger.visitorsNaming([...people]);
  const others = new Set<string>();
  for (const list of named.values()) for (const v of list) if (!given.has(v)) others.add(v);
  return [...others].sort();
}

/** The WhoId a Task names (null: none, or a Lead the batch has not created yet). */
export function whoIdOf(task: TaskRecord): string | null {
  return typeof task.WhoId === 'string' && task.WhoId && !isPendingLeadId(task.WhoId) ? task.WhoId : null;
}

/** The WhoIds these Tasks name. */
export function whoIdsOf(tasks: Iterable<TaskRecord>): string[] {
  const out = new Set<string>();
  for (const t of tasks) {
    const who = whoIdOf(t);
    if (who) out.add(who);
  }
  return [...out];
}

const NO_CONVERSIONS: ReadonlyMap<string, string> = new Map();
