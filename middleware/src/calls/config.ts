import { envSchema, integer, setting } from '../env-setting';

/** How webhook calls are written to Salesforce. */
export interface CallSettings {
  /**
   * CALL_BATCH_WINDOW_MS: the window in which webhook calls are collected into one batch written to
   * Salesforce (0: each call at once; default 1000).
   */
  callBatchWindowMs: number;
}

export const DEFAULT_CALL_BATCH_WINDOW_MS = 1000;

export const callSettings = envSchema(
  {
    CALL_BATCH_WINDOW_MS: setting(
      integer(0, 1000),
      DEFAULT_CALL_BATCH_WINDOW_MS,
      (name, value) =>
        `${name} must be a whole number of milliseconds from 0 to 1000 (got "${value}"); ` +
        '0 writes each call at once, 1000 (the default) collects calls for up to a second',
    ),
  },
  (s): CallSettings => ({ callBatchWindowMs: s.CALL_BATCH_WINDOW_MS }),
);
