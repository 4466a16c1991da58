import fs from 'node:fs';
import pino from 'pino';

/**
 * Where serve's logs and terminal lines go, such that a log reader that stopped reading or went away
 * never holds the process (issue 24: a stop hung on one pending write to stderr). Logs are written
 * to stderr asynchronously (pino's sonic-boom, sync: false): a write that cannot go through waits in
 * libuv's thread pool, never on the main thread; at most MAX_BUFFERED bytes wait, later lines are
 * dropped. Terminal lines (`say`) are asynchronous writes to stdout, never awaited.
 */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** At exit, logs still waiting get this long to drain, then are given up. */
const EXIT_DRAIN_MS = 1_000;

export interface LogOutput {
  destination: pino.DestinationStream;
  /** Writes a line to stdout without ever blocking or throwing. */
  say(line: string): void;
  /** Lets waiting log lines drain for at most EXIT_DRAIN_MS, then makes sure exit will not wait on them. */
  release(): Promise<void>;
}

export function logOutput(): LogOutput {
  let giveUp = false;
  const dest = pino.destination({
    dest: 2,
    sync: false,
    minLength: 0,
    maxLength: MAX_BUFFERED,
    // A full pipe or socket answers EAGAIN: retried from a timer, not a busy loop; given up at exit.
    retryEAGAIN: () => !giveUp,
  });
  // A gone reader (EPIPE) or a given-up write: logging stops, the process goes on.
  dest.on('error', () => undefined);
  // Terminal lines: one write in flight at a time (in order), the rest queued up to MAX_BUFFERED.
  let queued = '';
  let writing = false;
  const next = (): void => {
    if (writing || queued === '') return;
    const text = queued;
    queued = '';
    writing = true;
    try {
      fs.write(1, text, (err) => {
        writing = false;
        if (!err) next();
      });
    } catch {
      writing = false; // stdout closed: nothing to say it to
    }
  };
  return {
    destination: dest,
    say(line) {
      if (queued.length < MAX_BUFFERED) queued += `${line}\n`;
      next();
    },
    async release() {
      // sonic-boom keeps whether a write is in flight in `_writing` (read only, to skip an idle wait).
      if ((dest as unknown as { _writing?: boolean })._writing) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, EXIT_DRAIN_MS);
          dest.once('drain', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      giveUp = true;
      // Destroyed: pino's exit hook skips its synchronous flush, which would block on a full pipe.
      dest.destroy();
    },
  };
}
