import type { KeyValueState } from './types';

/**
 * Visitors whose events /collect dropped as automated traffic (the bot filter): remembered so the
 * join can say why a caller has no web session, instead of blaming the vendor's cookie capture.
 * Kept as state rows (`tracking.automated.<visitorId>` = first drop, ISO) in both stores; written
 * once per visitor, so a crawler hammering /collect costs one write per id, not one per request.
 */
const key = (visitorId: string) => `tracking.automated.${visitorId}`;

export async function markAutomated(
  store: KeyValueState,
  visitorIds: Iterable<string>,
  at: number,
): Promise<void> {
  for (const v of new Set(visitorIds)) {
    if ((await store.getState(key(v))) === null) await store.setState(key(v), new Date(at).toISOString());
  }
}

/** Of these visitors, those whose events were dropped as automated traffic. */
export async function automatedVisitors(
  store: KeyValueState,
  visitorIds: Iterable<string>,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const v of new Set(visitorIds)) if ((await store.getState(key(v))) !== null) out.add(v);
  return out;
}
