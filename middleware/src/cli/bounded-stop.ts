/**
 * A bounded stop for serve (issue 24, docs/operations.md "Stopping"): the first SIGTERM/SIGINT
 * starts a clean shutdown with a deadline (SHUTDOWN_DEADLINE_S); past it the process exits 1 saying
 * which step hung; a second signal exits 1 at once. Nothing here may wait on the terminal or a log
 * collector: lines go out through `say`, which must never block (see log-output.ts), and exiting
 * does not wait for them.
 */
export interface BoundedStop {
  deadlineMs: number;
  /** The clean shutdown (ServerHandle.close). */
  close(): Promise<void>;
  /** The shutdown step running now, for the message when it hangs. */
  step(): string | null;
  say(line: string): void;
  exit(code: number): void;
}

export function boundedStop(s: BoundedStop): (signal: string) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) {
      s.say(`${signal} again: exiting now${s.step() ? ` (while stopping: ${s.step()})` : ''}.`);
      s.exit(1);
      return;
    }
    stopping = true;
    s.say(
      `${signal}: stopping within ${Math.round(s.deadlineMs / 1000)} s (no new Salesforce request starts; unfinished work stays for the next start; a second ${signal} exits at once)…`,
    );
    const timer = setTimeout(() => {
      s.say(
        `stop deadline of ${Math.round(s.deadlineMs / 1000)} s passed while stopping: ${s.step() ?? 'unknown step'}; exiting with code 1 (SHUTDOWN_DEADLINE_S).`,
      );
      s.exit(1);
    }, s.deadlineMs);
    s.close().then(
      () => {
        clearTimeout(timer);
        s.say('stopped cleanly.');
        s.exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        s.say(`stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
        s.exit(1);
      },
    );
  };
}
