import fs from 'node:fs';

/**
 * Ctrl-C before a command has its own signal handlers. Node spends about a second loading the CLI's
 * modules before `serve` can listen for SIGINT/SIGTERM; a signal then used to end the process
 * silently (exit 130). bin/call-touchpoints.js loads this small module first (it imports nothing
 * heavy): it says "starting…" at once and, should a signal come before the command takes over, says
 * so and exits 0 — nothing had started, so nothing is left running (docs/operations.md "Stopping").
 */

const STOPPED = 'stopped cleanly before start-up finished (nothing left running).';

let early: ((signal: NodeJS.Signals) => void) | null = null;
let said = false;

/** Never blocks and never throws: a terminal or log reader that went away cannot hold the exit. */
function say(text: string): void {
  try {
    fs.writeSync(1, text);
  } catch {
    // the reader is gone; exiting is what matters
  }
}

/** Called by the bin before it loads the CLI, for commands that have a start-up (serve). */
export function catchEarlySignals(command: string): void {
  if (early) return;
  say(`call-touchpoints ${command}: starting…\n`);
  said = true;
  early = (signal) => {
    say(`\n${signal}: stopping start-up…\n${STOPPED}\n`);
    process.exit(0);
  };
  process.on('SIGINT', early);
  process.on('SIGTERM', early);
}

/**
 * The command's own handlers are registered: the early ones go. Returns true when "starting…" was
 * already said (so the command does not say it twice).
 */
export function signalsTakenOver(): boolean {
  if (early) {
    process.off('SIGINT', early);
    process.off('SIGTERM', early);
    early = null;
  }
  return said;
}

export const STOPPED_DURING_START_UP = STOPPED;
