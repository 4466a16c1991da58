import { z } from 'zod';
import { VISITOR_ID } from '../tracking/cookie';
import { SALESFORCE_INT_MAX, inSalesforceDateRange } from '../values/salesforce-ranges';
import { safeString } from '../values/safe-string';

/**
 * One phone call as every vendor adapter reports it, whatever the vendor's payload looked like.
 * This is what the webhook stores in the outbox and what becomes a Salesforce Task.
 */

/** Outbox kind for calls waiting to become Tasks. */
export const CALL_OUTBOX_KIND = 'call';

export const VENDORS = ['calltrackingmetrics', 'callrail', 'invoca', 'dialogtech', 'generic'] as const;
export type VendorName = (typeof VENDORS)[number];

export const normalizedCallSchema = z.object({
  vendor: z.enum(VENDORS),
  /** Namespaced by vendor (`callrail:CAL…`, `invoca:<complete_call_id>`): the Task's Vendor_Call_Id__c. */
  vendorCallId: safeString().pipe(z.string().min(3).max(255)),
  /**
   * Call start, UTC ISO-8601 instant (R3: never local wall-clock), inside the range a Salesforce
   * DateTime accepts (values/salesforce-ranges.ts): a date the org refuses is refused here, before 202.
   */
  startedAt: z.iso
    .datetime()
    .refine(
      (v) => inSalesforceDateRange(Date.parse(v)),
      'must be between 1700-01-01 and 4000-12-31 (the dates Salesforce accepts)',
    ),
  /** Task.CallDurationInSeconds is a Salesforce int: at most 2,147,483,647. */
  durationSeconds: z
    .number()
    .int()
    .min(0)
    .max(SALESFORCE_INT_MAX, `must be at most ${SALESFORCE_INT_MAX} seconds (a Salesforce int)`),
  direction: z.enum(['inbound', 'outbound']),
  outcome: z.enum(['answered', 'missed', 'voicemail']),
  /** E.164, null when the caller id was blocked or unparseable. */
  callerNumber: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  /** As the vendor reports them (e.g. "Google Ads", "Spring Promo"). */
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  recordingUrl: z.string().nullable(),
  /** `_biz_uid` captured by the vendor, already validated; becomes BizibleId (R1). */
  visitorId: z.string().regex(VISITOR_ID).nullable(),
  /**
   * The caller number is on the suppression list (erased, docs/privacy.md): set by the webhook, never
   * by an adapter. Its Task gets no field of ours, no caller lookup and no Lead (R24).
   */
  suppressed: z.boolean().optional(),
  /**
   * The vendor's cookie is on the suppression list (consent withdrawn, Global Privacy Control, erased):
   * set by the webhook, never by an adapter, with `visitorId` left out. Its Task says so (R8, R23).
   */
  noConsent: z.boolean().optional(),
});

export type NormalizedCall = z.infer<typeof normalizedCallSchema>;

/** What an adapter makes of one delivery. Notes are log lines (e.g. a malformed visitor id dropped). */
export type AdapterResult =
  | { kind: 'call'; call: NormalizedCall; notes: string[] }
  /** A delivery that is not a call we record (e.g. a CTM text message): answered 200, nothing stored. */
  | { kind: 'ignored'; reason: string };

/** A payload we cannot turn into a call: answered 400 naming the field at fault. */
export class PayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PayloadError';
  }
}

/**
 * Where a webhook hands an admitted call (router.ts): the calls pipeline (calls/pipeline.ts), which
 * stores it in the durable outbox and writes it within its batching window. Resolves once the call
 * is stored; rejects when it could not be (the webhook answers 503 and the vendor retries).
 */
export interface CallIntake {
  accept(call: NormalizedCall, receivedAtMs: number): Promise<void>;
}
