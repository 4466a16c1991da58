import { clockUtc, dayUtc, humanDuration, sameDayUtc } from './time';
import type { ChannelAssignment, WebSession } from './types';

/** Call_Join_Detail__c is Text(255). */
export const JOIN_DETAIL_MAX = 255;

/**
 * The sentences a sales rep reads on the Task (Call_Join_Detail__c). UTC clock times; the ISO
 * date is added when the session lies on another day than the call. Always ≤ 255 characters.
 */
export const MISSING_BIZIBLE_ID_DETAIL =
  "Missing BizibleId: the call-tracking vendor did not send the _biz_uid cookie. Ask your Salesforce admin to check the vendor's cookie capture.";

/** R8/R23: how every No_Consent detail starts; a Task without BizibleId remembers its reason by it. */
export const NO_CONSENT_PREFIX = 'No tracking consent:';

/** R8/R23: a webhook call whose cookie is on the suppression list: its BizibleId was never written. */
export const NO_CONSENT_CALL_DETAIL = `${NO_CONSENT_PREFIX} the visitor withdrew tracking consent (or their browser sent Global Privacy Control), so their website cookie was not written to this call and no web visit is joined to it.`;

/** R8/R23: a call whose BizibleId names a cookie on the suppression list. */
export const NO_CONSENT_DETAIL = `${NO_CONSENT_PREFIX} the visitor of this BizibleId withdrew tracking consent (or their browser sent Global Privacy Control), so their web visits are not joined to this call.`;

/** R8/R23: the detail of a Task without BizibleId written for a call whose cookie was suppressed. */
export function isNoConsentDetail(detail: unknown): boolean {
  return typeof detail === 'string' && detail.includes(NO_CONSENT_PREFIX);
}

export const UNKNOWN_CALL_TIME_DETAIL =
  'Call time unknown: the Task has no valid Call_Started_At__c or CreatedDate, so it cannot be joined yet. Ask your Salesforce admin to check the call-tracking integration.';

/**
 * The caller's browser was tracked, but as an automated one (its user agent says headless/crawler/
 * curl), so its page views were dropped: the cookie did reach the vendor, nothing is wrong there.
 */
export const AUTOMATED_TRAFFIC_DETAIL =
  'No web session: this BizibleId was seen on the website, but its page views were dropped as automated traffic (bot user agent). Testing with a headless browser? Set TRACKING_BOT_FILTER=off.';

function when(ms: number, callAt: number): string {
  return sameDayUtc(ms, callAt) ? clockUtc(ms) : `${dayUtc(ms)} ${clockUtc(ms)}`;
}

function pathOf(landingPage: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(landingPage);
  const path = m ? m[1] || '/' : landingPage;
  return path.length > 60 ? path.slice(0, 57) + '...' : path;
}

export function limitDetail(text: string): string {
  return text.length <= JOIN_DETAIL_MAX ? text : text.slice(0, JOIN_DETAIL_MAX - 3) + '...';
}

/**
 * The sentence from its parts, joined into one flat string: a template literal alone leaves a
 * rope of a dozen small strings, and a plan keeps one detail per Task (hundreds of thousands).
 */
function detailText(...parts: string[]): string {
  return limitDetail(parts.join(''));
}

/** R5/R6: merged with a session. `existingType` when the session already had a touchpoint (R9). */
export function mergedDetail(
  session: WebSession,
  channel: ChannelAssignment,
  callAt: number,
  existingType: string | null,
): string {
  const head = `Merged with the ${channel.channel} session that started ${when(session.startedAt, callAt)} (landing page ${pathOf(session.landingPage)}); `;
  let how: string;
  if (callAt < session.startedAt)
    how = `the call came ${humanDuration(session.startedAt - callAt)} before its first page view (within the clock-skew tolerance).`;
  else if (callAt <= session.lastActivityAt)
    how = `the call came while the visitor was on the site (last page view ${when(session.lastActivityAt, callAt)}).`;
  else how = `the call came ${humanDuration(callAt - session.lastActivityAt)} after the last page view.`;
  const tail = existingType ? ` Linked to the session's existing ${existingType} touchpoint.` : '';
  return detailText(head, how, tail);
}

/** R8: no session in the window. */
export function standaloneDetail(
  nearest: {
    session: WebSession;
    channel: ChannelAssignment;
    side: 'before' | 'after';
    missedByMs: number;
  } | null,
  callAt: number,
  windowMinutes: number,
  /** The visitor's web events were dropped as automated traffic (bot filter). */
  automated = false,
): string {
  if (!nearest && automated)
    return detailText(
      AUTOMATED_TRAFFIC_DETAIL,
      ` Standalone call touchpoint (call at ${dayUtc(callAt)} ${clockUtc(callAt)}).`,
    );
  if (!nearest)
    return detailText(
      'No web session for this BizibleId: the visitor was never tracked on the website. ',
      `Recorded as a standalone call touchpoint (call at ${dayUtc(callAt)} ${clockUtc(callAt)}).`,
    );
  const { session, channel, side, missedByMs } = nearest;
  const missed =
    side === 'before'
      ? `the nearest session (${channel.channel}, last activity ${when(session.lastActivityAt, callAt)}) ended ${humanDuration(missedByMs)} before the call at ${clockUtc(callAt)}.`
      : `the nearest session (${channel.channel}) started ${when(session.startedAt, callAt)}, ${humanDuration(missedByMs)} after the call at ${clockUtc(callAt)}.`;
  return detailText(`No web session in the ${windowMinutes}-minute window: `, missed);
}
