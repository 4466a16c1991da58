import { LightningElement, api } from 'lwc';
import LABELS from 'c/callTouchpointLabels';
import { durationText, formatLabel, formatTime } from 'c/callTouchpointFormat';

/**
 * Where the visitor came from: no referrer is "direct" only without an ad click id or UTM tags (an
 * ad click whose browser withheld the referrer is not a direct arrival). Same rule as the preview's
 * arrivalText (middleware/src/web/panel-data.ts).
 */
function arrivalText(s) {
  if (s.referrerPage) {
    return formatLabel(LABELS.fromReferrer, s.referrerPage);
  }
  const clickId = s.clickId ? s.clickId.split(/[=:]/)[0] : null;
  const tags = [s.utmSource, s.utmMedium].filter(Boolean).join(' / ');
  const what = [clickId, tags, s.utmCampaign].filter(Boolean).join(', ');
  return what ? formatLabel(LABELS.taggedArrival, what) : LABELS.noReferrer;
}

/**
 * Landing page → pages → call, in time order, with the time between consecutive steps. A call may
 * come during the session (before its last activity), so the steps are sorted by time.
 */
export default class CallTouchpointTimeline extends LightningElement {
  /** PanelData.session. */
  @api session;
  /** PanelData.callTime (ISO instant) and subject of the Task. */
  @api callTime;
  @api subject;

  labels = LABELS;

  get steps() {
    const s = this.session;
    const events = [];
    if (s.startedAt) {
      events.push({
        key: 'start',
        title: LABELS.sessionStarted,
        time: s.startedAt,
        text: formatLabel(LABELS.landedOn, s.landingPage || LABELS.unknownPage),
        subtext: arrivalText(s),
      });
    }
    if (s.lastActivityAt && s.lastActivityAt !== s.startedAt) {
      events.push({
        key: 'activity',
        title: LABELS.lastActivity,
        time: s.lastActivityAt,
        text: formatLabel(LABELS.pageActivity, s.pageViews || 0, s.formSubmits || 0),
        subtext: '',
      });
    }
    if (this.callTime) {
      events.push({
        key: 'call',
        title: LABELS.callStep,
        time: this.callTime,
        text: this.subject || '',
        subtext: '',
      });
    }
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    return events.map((event, index) => ({
      ...event,
      // The call's own day is in the panel's header: a step shows its date only on another day.
      when: formatTime(event.time, this.callTime),
      hasSubtext: Boolean(event.subtext),
      hasGap: index > 0,
      gap:
        index === 0
          ? ''
          : formatLabel(
              LABELS.minutesLater,
              durationText(Date.parse(event.time) - Date.parse(events[index - 1].time)),
            ),
    }));
  }
}
