/**
 * The one retry policy for Salesforce requests (the gateway's per-request retries and the outbox
 * worker's rescheduling): capped exponential backoff with "equal jitter", and which failures are
 * the network's rather than the request's.
 */

/** Delay before retry n+1 (n = retries so far): base·2^n capped at max, half fixed, half random. */
export function backoffDelay(retries: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retries, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Connection-level failures (refused, reset, DNS, unreachable, timed out): the org was not reached. */
export function isNetworkErrorCode(code: string): boolean {
  return /^(ECONN|ENOTFOUND|EAI_AGAIN|ENET|EHOST|ETIMEDOUT|EPIPE|UND_ERR)/.test(code);
}
