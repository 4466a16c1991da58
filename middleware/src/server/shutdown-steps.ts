import type { Logger } from '../log';

/**
 * What serve started, in start order, each with its undo (startServer). A stop between start-up steps
 * undoes exactly what started; shutdown runs the undos in reverse: stop accepting, calls pipeline,
 * join, org, store.
 */

export class StartAbortedError extends Error {
  constructor() {
    super('start-up stopped by a signal');
  }
}

export interface ShutdownSteps {
  /** Registers a started part's undo, then checks the signal. */
  onClose(step: string, run: () => Promise<void>): void;
  /** Throws StartAbortedError when the start-up signal fired (Ctrl-C during start-up). */
  checkpoint(): void;
  /** Runs the undos, last started first; a failing one is logged and the next still runs. */
  cleanup(): Promise<void>;
  /** The undo running now ("join", "store", …), null before cleanup (cli/bounded-stop.ts). */
  stepNow(): string | null;
}

export function shutdownSteps(logger: Logger, signal?: AbortSignal): ShutdownSteps {
  const cleanups: { step: string; run: () => Promise<void> }[] = [];
  let stepNow: string | null = null;
  const checkpoint = () => {
    if (signal?.aborted) throw new StartAbortedError();
  };
  return {
    checkpoint,
    onClose(step, run) {
      cleanups.push({ step, run });
      checkpoint();
    },
    async cleanup() {
      for (const { step, run } of cleanups.reverse()) {
        stepNow = step;
        const started = Date.now();
        await run().catch((err: unknown) => logger.error({ step, err: String(err) }, 'shutdown step failed'));
        logger.info({ step, ms: Date.now() - started }, 'shutdown step done');
      }
      cleanups.length = 0;
    },
    stepNow: () => stepNow,
  };
}
