import { VENDORS } from '../vendors/normalized-call';

/**
 * The "waiting for the call" page (/tasks/by-call/:vendor/:callId), pure parts. Its id is checked
 * like a webhook's call id (vendors/fields.ts namespacedId): anything else is a 404, never an org
 * query (issue 24: a newline answered 500). While the Task is not there the page reloads itself
 * with a growing pause, 1 s doubling to 30 s, and stops after WAIT_LIMIT_MS: an open tab costs about
 * 25 org requests, not 3,600 an hour; the answer is shared by every tab for WAIT_CACHE_MS.
 */
export const WAIT_CACHE_MS = 1_000;
export const WAIT_LIMIT_MS = 10 * 60_000;
const MAX_PAUSE_S = 30;

export function vendorCallIdOf(vendor: string, callId: string): string | null {
  if (!(VENDORS as readonly string[]).includes(vendor)) return null;
  return /^[A-Za-z0-9._:-]{1,200}$/.test(callId) ? `${vendor}:${callId}` : null;
}

/** The n-th reload's pause in seconds (n from 0), or null once the page has waited WAIT_LIMIT_MS. */
export function nextPause(n: number): number | null {
  let waited = 0;
  for (let i = 0; i <= n; i++) {
    const pause = Math.min(2 ** i, MAX_PAUSE_S);
    if (i === n) return waited + pause * 1000 > WAIT_LIMIT_MS ? null : pause;
    waited += pause * 1000;
  }
  return null;
}

/** The reload count carried in the page's own URL (`?n=`), 0 when absent or odd. */
export function reloadCount(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : 0;
  return Math.min(n, 1000);
}
