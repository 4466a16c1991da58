import { type VendorAdapter, vendorSecret } from './adapter';
import {
  bool,
  capturedVisitorId,
  directionFrom,
  firstText,
  instant,
  namespacedId,
  phone,
  seconds,
  text,
  type Fields,
} from './fields';
import { PayloadError, type AdapterResult } from './normalized-call';
import type { ParseOptions } from './options';
import { verifyCallRail } from './signatures';

/**
 * CallRail post-call / call-modified webhooks (JSON). Signed: header `Signature` =
 * Base64(HMAC-SHA1(company signing key, raw body)). A call-modified delivery carries the same id, so it
 * updates the Task the post-call delivery created.
 */
export const callrail: VendorAdapter = {
  vendor: 'callrail',
  ...vendorSecret('callrailSigningKey'),
  authenticate: (delivery, secret) => verifyCallRail(delivery.rawBody, delivery.headers['signature'], secret),
  parse: parseCallRail,
};

export function parseCallRail(f: Fields, options: ParseOptions): AdapterResult {
  // API v3 ids look like "CAL8154…" (resource_id); the legacy payload has a numeric id.
  const rawId = firstText(f, ['resource_id', 'id']);
  if (rawId === null) throw new PayloadError('id', 'is required (the CallRail call id)');
  const notes: string[] = [];
  const voicemail = bool(f, 'voicemail') === true || text(f, 'call_type') === 'voicemail';
  const answered = bool(f, 'answered') === true;
  // Cookie capture lands in `custom` (a string or an object); some accounts map it to a named field.
  return {
    kind: 'call',
    notes,
    call: {
      vendor: 'callrail',
      vendorCallId: namespacedId('callrail', rawId, 'id'),
      startedAt: instant(f.start_time ?? f.created_at, 'start_time'),
      durationSeconds: seconds(f, 'duration') ?? 0,
      direction: directionFrom(text(f, 'direction'), 'direction'),
      outcome: voicemail ? 'voicemail' : answered ? 'answered' : 'missed',
      callerNumber: phone(f, ['customer_phone_number', 'callernum'], options.phoneRegion),
      trackingNumber: phone(f, ['tracking_phone_number', 'trackingnum'], options.phoneRegion),
      source: firstText(f, ['source_name', 'source', 'formatted_tracking_source']),
      campaign: firstText(f, ['campaign', 'utm_campaign']),
      recordingUrl: firstText(f, ['recording_player', 'recording']),
      visitorId: capturedVisitorId(f, 'custom', options.visitorIdKey, notes),
    },
  };
}
