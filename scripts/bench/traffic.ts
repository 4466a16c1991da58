import crypto from 'node:crypto';

/**
 * Synthetic but realistic traffic for the benchmarks that drive a running `serve`: tracking
 * events as the snippet posts them to /collect and CallRail webhooks as CallRail signs them.
 */

/** A browser's user agent: /collect drops bots (isbot), and Node's default UA may look like one. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export interface CollectEvent {
  type: 'page_view' | 'form_submit';
  visitorId: string;
  url: string;
  referrer: string | null;
}

/** `_biz_uid`: 32 lowercase hex characters. */
export function newVisitorId(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** A paid-search arrival (gclid + UTM tags, Google referrer): the typical call-driving session. */
export function adClickPageView(visitorId: string, campaign = 'spring_promo'): CollectEvent {
  const gclid = crypto.randomBytes(12).toString('base64url');
  return {
    type: 'page_view',
    visitorId,
    url: `https://www.example-plumbing.com/emergency?utm_source=google&utm_medium=cpc&utm_campaign=${campaign}&gclid=${gclid}`,
    referrer: 'https://www.google.com/',
  };
}

/** A later page of the same visit (no referrer change: extends the session, R4). */
export function innerPageView(visitorId: string, n: number): CollectEvent {
  return {
    type: 'page_view',
    visitorId,
    url: `https://www.example-plumbing.com/services/page-${n}`,
    referrer: 'https://www.example-plumbing.com/emergency',
  };
}

/** POST /collect {"events": [...]}; resolves with the HTTP status (204 = all stored). */
export async function postCollect(baseUrl: string, events: CollectEvent[]): Promise<number> {
  const res = await fetch(`${baseUrl}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA },
    body: JSON.stringify({ events }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A CallRail post-call webhook for a call that ended just now, carrying the visitor's cookie. */
export function callRailDelivery(
  signingKey: string,
  call: { id: string; visitorId: string; startedAt: Date; durationSeconds: number; callerNumber?: string },
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    resource_id: call.id,
    answered: true,
    direction: 'inbound',
    duration: String(call.durationSeconds),
    start_time: call.startedAt.toISOString(),
    customer_phone_number: call.callerNumber ?? '+15555550123',
    tracking_phone_number: '+15555550100',
    source_name: 'Google Ads',
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'spring_promo',
    landing_page_url: 'https://www.example-plumbing.com/emergency',
    recording: null,
    custom: { _biz_uid: call.visitorId },
  });
  const signature = crypto.createHmac('sha1', signingKey).update(body).digest('base64');
  return { body, headers: { 'content-type': 'application/json', signature } };
}
