import { createHmac, randomBytes } from 'node:crypto';
import type { KeyValueState } from './types';

/**
 * The suppression list's hashing (issue 23, docs/privacy.md; the list itself: tracking/suppression.ts):
 * only salted hashes of erased or opted-out values are kept, never the values. Here so the join
 * (join/plan.ts, R8) can find a batch's suppressed cookies the same way.
 */

export type SubjectKind = 'email' | 'phone' | 'cookie';

/** Hex HMAC-SHA256 of "<kind>:<normalized value>": equal values give equal hashes under one salt. */
export function subjectHash(kind: SubjectKind, value: string, salt: string): string {
  return createHmac('sha256', salt).update(`${kind}:${value}`).digest('hex');
}

const SALT_STATE_KEY = 'privacy.salt';

/**
 * PRIVACY_SALT when set; else a random salt made once and kept in the store (state row), so every
 * process sharing the store hashes alike.
 */
export async function privacySalt(store: KeyValueState, configured: string | null): Promise<string> {
  if (configured) return configured;
  const kept = await store.getState(SALT_STATE_KEY);
  if (kept) return kept;
  await store.setState(SALT_STATE_KEY, randomBytes(32).toString('base64'));
  // Another process may have written its own at the same moment: the stored one wins for all.
  return (await store.getState(SALT_STATE_KEY)) as string;
}
