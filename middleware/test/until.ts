/**
 * Polls `probe` until it answers something other than null/undefined (every `everyMs`), or fails
 * naming `what` after `timeoutMs`: for tests that wait on another process or a background worker.
 */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Polls `probe` until it answers something truthy (every `everyMs`), or fails naming `what` after
 * `timeoutMs`: for tests that wait on a stream, a background worker or the org.
 */
export async function untilTruthy<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  return until(what, timeoutMs, async () => (await probe()) || null, everyMs);
}
