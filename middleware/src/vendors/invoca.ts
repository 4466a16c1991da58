import { authenticateByToken, type VendorAdapter, vendorSecret } from './adapter';
import {
  capturedVisitorId,
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

/**
 * Invoca post-call webhooks. The body is a template the customer builds from Invoca's transaction
 * fields; Invoca documents no signature, so a shared secret authenticates it. The call id is
 * complete_call_id, not transaction_id: a correction arrives as a new transaction of the same call
 * and must update the same Task.
 */
export const invoca: VendorAdapter = {
  vendor: 'invoca',
  ...vendorSecret('invocaWebhookToken'),
  authenticate: authenticateByToken,
  parse: parseInvoca,
};

export function parseInvoca(f: Fields, options: ParseOptions): AdapterResult {
  const rawId = text(f, 'complete_call_id');
  if (rawId === null) throw new PayloadError('complete_call_id', 'is required (Invoca Call Record ID)');
  const type = text(f, 'transaction_type');
  if (type && !/^call$/i.test(type))
    return { kind: 'ignored', reason: `transaction_type ${type} is not a call` };
  const notes: string[] = [];
  const customData = f.custom_data;
  const duration = seconds(f, 'duration') ?? 0;
  const connected = seconds(f, 'connect_duration');
  const result = text(f, 'call_result_description_detail') ?? '';
  return {
    kind: 'call',
    notes,
    call: {
      vendor: 'invoca',
      vendorCallId: namespacedId('invoca', rawId, 'complete_call_id'),
      startedAt: instant(
        f.start_time_utc ?? f.start_time_local,
        f.start_time_utc !== undefined ? 'start_time_utc' : 'start_time_local',
      ),
      durationSeconds: duration,
      direction: 'inbound',
      outcome: /voice\s?mail/i.test(result)
        ? 'voicemail'
        : (connected ?? duration) > 0
          ? 'answered'
          : 'missed',
      callerNumber: phone(f, ['calling_phone_number'], options.phoneRegion),
      // The promo number dialed; templates often include it as dialed_phone_number.
      trackingNumber: phone(
        f,
        ['dialed_phone_number', 'promo_number', 'call_source_description'],
        options.phoneRegion,
      ),
      source:
        firstText(f, ['utm_source']) ??
        (typeof customData === 'object' && customData ? text(customData as Fields, 'utm_source') : null) ??
        firstText(f, ['media_type']),
      campaign: firstText(f, ['advertiser_campaign_name', 'utm_campaign']),
      recordingUrl: firstText(f, ['recording', 'recording_download_url']),
      visitorId: capturedVisitorId(f, 'custom_data', options.visitorIdKey, notes),
    },
  };
}
