import { pendingLeadId } from '../domain';
import type { KeyValueState } from '../store/types';

/**
 * Never two Leads for one number (R19, `UNKNOWN_CALLER=create-lead`). The store remembers, per caller
 * number, the Lead we created (or the record a duplicate rule matched) and a pending claim while the
 * Lead's graph is in flight. It is read and written only under the join lock (lock.ts), which every
 * batch of calls holds from before it decides to the ledger commit — on PostgreSQL across replicas —
 * so two batches never both decide to create a Lead for one number:
 *
 * - The caller lookup (calls/caller-lookup.ts) is SOQL on Phone/MobilePhone, which sees committed
 *   records at once (no search index: SOSL lags minutes behind new records). A later batch finds the
 *   Lead there.
 * - The lookup runs before the lock. A batch that looked up while another batch created the Lead
 *   finds it here instead: the other batch recorded it before it let go of the lock.
 * - A claim left pending (its process died between the graph and this record) is older than any
 *   lookup made after that: such a lookup would have found the Lead had it been created, so the new
 *   batch creates it. A claim newer than the batch's lookup leaves the call unlinked this once.
 *
 * Kept in the store's key/value state, key `caller-lead:<E.164>`. What is remembered counts for a day
 * (`REMEMBER_MS`); after that the lookup alone decides (a Lead deleted or renumbered by a rep is not
 * linked again for ever).
 */

export const REMEMBER_MS = 24 * 60 * 60_000;

interface Remembered {
  /** The Lead created, or the record a duplicate rule matched; null: a pending or released claim. */
  whoId: string | null;
  how: 'created' | 'matched' | 'pending';
  /** When it was recorded (ms); a released claim has 0. */
  at: number;
}

export type CallerDecision =
  /** Link to what the store remembers (a Lead we created, a duplicate rule's match). */
  | { kind: 'link'; whoId: string; how: 'created' | 'matched' }
  /** Create one Lead, named by this pending Id until the org gives it one. */
  | { kind: 'create'; pendingId: string }
  /** Another writer's claim on this number is unsettled: leave the call unlinked this time. */
  | { kind: 'wait' };

const keyOf = (number: string) => `caller-lead:${number}`;

function read(raw: string | null): Remembered | null {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as Remembered;
    return typeof r?.at === 'number' ? r : null;
  } catch {
    return null;
  }
}

/**
 * Under the join lock: per number no Lead or Contact had at `lookedUpAt`, link, create or wait; a
 * create is claimed (pending) before the graph is sent.
 */
export async function decideCallers(
  store: KeyValueState,
  numbers: Iterable<string>,
  lookedUpAt: number,
  now: number,
): Promise<Map<string, CallerDecision>> {
  const out = new Map<string, CallerDecision>();
  let creates = 0;
  for (const number of new Set(numbers)) {
    const r = read(await store.getState(keyOf(number)));
    if (r?.whoId && r.how !== 'pending' && now - r.at < REMEMBER_MS) {
      out.set(number, { kind: 'link', whoId: r.whoId, how: r.how });
      continue;
    }
    if (r?.how === 'pending' && r.at >= lookedUpAt) {
      out.set(number, { kind: 'wait' });
      continue;
    }
    await store.setState(keyOf(number), JSON.stringify({ whoId: null, how: 'pending', at: now }));
    out.set(number, { kind: 'create', pendingId: pendingLeadId(creates++) });
  }
  return out;
}

/** What became of a claimed create: the Lead's Id, a duplicate rule's match, or nothing (released). */
export type CreateOutcome = { whoId: string; how: 'created' | 'matched' } | null;

/** Under the same lock, after the write: remember the Lead (or match), or release the claim. */
export async function settleCallers(
  store: KeyValueState,
  outcomes: ReadonlyMap<string, CreateOutcome>,
  now: number,
): Promise<void> {
  for (const [number, o] of outcomes) {
    const value: Remembered = o
      ? { whoId: o.whoId, how: o.how, at: now }
      : { whoId: null, how: 'pending', at: 0 };
    await store.setState(keyOf(number), JSON.stringify(value));
  }
}
