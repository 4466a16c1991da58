import { type VendorAdapter, vendorSecret } from './adapter';
import {
  bool,
  capturedVisitorId,
  directionFrom,
  firstText,
  instant,
  namespacedId,
  outcomeFromStatus,
  phone,
  seconds,
  text,
  type Fields,
} from './fields';
import { PayloadError, type AdapterResult } from './normalized-call';
import type { ParseOptions } from './options';
import { verifyCtm } from './signatures';

/**
 * CallTrackingMetrics start- and end-of-call webhooks (JSON). Signed: `X-CTM-Signature` =
 * Base64(HMAC-SHA1(secret, X-CTM-Time + raw body)); X-CTM-Time must be within the replay window.
 * Both deliveries carry the same call id, so the end-of-call one completes the Task the start created.
 */
export const calltrackingmetrics: VendorAdapter = {
  vendor: 'calltrackingmetrics',
  ...vendorSecret('ctmWebhookSecret'),
  authenticate: (d, secret, options) =>
    verifyCtm(
      d.rawBody,
      d.headers['x-ctm-signature'],
      d.headers['x-ctm-time'],
      secret,
      d.nowMs,
      options.ctmClockWindowSeconds,
    ),
  parse: parseCtm,
};

export function parseCtm(f: Fields, options: ParseOptions): AdapterResult {
  const direction = text(f, 'direction');
  if (direction && /^msg_|^sms|text/i.test(direction))
    return { kind: 'ignored', reason: `not a call (${direction})` };
  const rawId = firstText(f, ['id', 'sid']);
  if (rawId === null) throw new PayloadError('id', 'is required (the CTM call id)');
  const notes: string[] = [];
  const status = firstText(f, ['dial_status', 'status', 'call_status']);
  const outcome =
    bool(f, 'is_voicemail') === true || bool(f, 'voicemail') === true
      ? 'voicemail'
      : outcomeFromStatus(status);
  const started = f.unix_time ?? f.called_at;
  if (started === undefined || started === null || started === '') {
    throw new PayloadError('unix_time', 'is required (or called_at)');
  }
  return {
    kind: 'call',
    notes,
    call: {
      vendor: 'calltrackingmetrics',
      vendorCallId: namespacedId('calltrackingmetrics', rawId, 'id'),
      startedAt: instant(started, f.unix_time !== undefined ? 'unix_time' : 'called_at'),
      durationSeconds: seconds(f, 'duration') ?? seconds(f, 'talk_time') ?? 0,
      direction: directionFrom(direction, 'direction'),
      outcome: outcome ?? ((seconds(f, 'talk_time') ?? 0) > 0 ? 'answered' : 'missed'),
      callerNumber: phone(
        f,
        ['caller_number', 'caller_number_complete', 'caller_number_format'],
        options.phoneRegion,
      ),
      trackingNumber: phone(f, ['tracking_number', 'tracking_number_format'], options.phoneRegion),
      source: firstText(f, ['source', 'tracking_source']),
      campaign: firstText(f, ['campaign', 'tracking_label']),
      recordingUrl: firstText(f, ['audio', 'recording_url']),
      visitorId: capturedVisitorId(f, 'custom_fields', options.visitorIdKey, notes),
    },
  };
}
