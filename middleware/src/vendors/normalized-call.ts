import { z } from 'zod';
import { VISITOR_ID } from '../tracking/cookie';

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
  vendorCallId: z.string().min(3).max(255),
  /** Call start, UTC ISO-8601 instant (R3: never local wall-clock). */
  startedAt: z.iso.datetime(),
  durationSeconds: z.number().int().min(0),
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
