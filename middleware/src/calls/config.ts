import { choice, envSchema, integer, setting } from '../env-setting';

/** How webhook calls are written to Salesforce. */
export interface CallSettings {
  /**
   * CALL_BATCH_WINDOW_MS: the window in which webhook calls are collected into one batch written to
   * Salesforce (0: each call at once; default 1000).
   */
  callBatchWindowMs: number;
  /**
   * UNKNOWN_CALLER: what a call from a number no Lead or Contact has does — `leave` (the Task stays
   * without WhoId, the default) or `create-lead` (one Lead per number, never two: join/caller-leads.ts).
   */
  unknownCaller: UnknownCaller;
}

export type UnknownCaller = 'leave' | 'create-lead';

/**
 * Decided: `leave` by default. Creating records in a customer's CRM is a choice the admin makes: a
 * vendor that already creates Leads (CallTrackingMetrics' find-or-create) would otherwise race ours,
 * and new Leads start the org's own lead routing, assignment and alerts (docs/configuration.md).
 */
export const DEFAULT_UNKNOWN_CALLER: UnknownCaller = 'leave';

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
    UNKNOWN_CALLER: choice<UnknownCaller>(
      { leave: 'leave', 'create-lead': 'create-lead' },
      DEFAULT_UNKNOWN_CALLER,
      (name, value) =>
        `${name} must be "leave" (a call from an unknown number stays without WhoId) or "create-lead" ` +
        `(such a call creates one Lead per number), got "${value}"`,
    ),
  },
  (s): CallSettings => ({ callBatchWindowMs: s.CALL_BATCH_WINDOW_MS, unknownCaller: s.UNKNOWN_CALLER }),
);
