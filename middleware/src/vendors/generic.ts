import { authenticateByToken, type VendorAdapter, vendorSecret } from './adapter';
import {
  directionFrom,
  findVisitorValue,
  instant,
  namespacedId,
  outcomeFromStatus,
  phone,
  requiredText,
  seconds,
  text,
  visitorId,
  type Fields,
} from './fields';
import { ownValue } from '../prototype-keys';
import { PayloadError, type AdapterResult, type VendorName } from './normalized-call';
import type { FieldMap, VendorOptions } from './options';

/**
 * Any vendor that can send a templated webhook (JSON, form fields or query parameters): the field map
 * says which parameter holds which value (GENERIC_FIELD_MAP). Shared-secret authentication.
 */
export const generic: VendorAdapter = {
  vendor: 'generic',
  ...vendorSecret('genericWebhookToken'),
  authenticate: authenticateByToken,
  parse: (f, options) => parseMapped('generic', f, options.genericFieldMap, options),
};

export function parseMapped(
  vendor: VendorName,
  f: Fields,
  map: FieldMap,
  options: Pick<VendorOptions, 'phoneRegion'>,
): AdapterResult {
  const notes: string[] = [];
  const outcomeText = text(f, map.outcome);
  const outcome = outcomeFromStatus(outcomeText);
  if (outcomeText !== null && outcome === null) {
    throw new PayloadError(
      map.outcome,
      `must be answered, missed or voicemail, got ${JSON.stringify(outcomeText)}`,
    );
  }
  const duration = seconds(f, map.duration) ?? 0;
  if (ownValue(f, map.startTime) === undefined) throw new PayloadError(map.startTime, 'is required');
  return {
    kind: 'call',
    notes,
    call: {
      vendor,
      vendorCallId: namespacedId(vendor, requiredText(f, map.callId), map.callId),
      startedAt: instant(ownValue(f, map.startTime), map.startTime, map.startTimeOffset),
      durationSeconds: duration,
      direction: directionFrom(text(f, map.direction), map.direction),
      outcome: outcome ?? (duration > 0 ? 'answered' : 'missed'),
      callerNumber: phone(f, [map.callerNumber], options.phoneRegion),
      trackingNumber: phone(f, [map.trackingNumber], options.phoneRegion),
      source: text(f, map.source),
      campaign: text(f, map.campaign),
      recordingUrl: text(f, map.recordingUrl),
      visitorId: visitorId(findVisitorValue(ownValue(f, map.visitorId)), map.visitorId, notes),
    },
  };
}
