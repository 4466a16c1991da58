import { LightningElement, api } from 'lwc';
import LABELS from 'c/callTouchpointLabels';
import { durationText, formatLabel, formatTime, shortPage } from 'c/callTouchpointFormat';

// Status from Call_Join_Status__c (design R2, R5, R8).
const STATUS_STANDALONE = 'Standalone';

/** Marketo Measure's position codes (Touchpoint__c.Position__c), spelled out with their help text. */
const POSITIONS = {
  FT: { name: LABELS.positionFt, help: LABELS.positionFtHelp },
  LC: { name: LABELS.positionLc, help: LABELS.positionLcHelp },
  PostLC: { name: LABELS.positionPostLc, help: LABELS.positionPostLcHelp },
};

/** The top of an ok panel: what the call became, in one line and one sentence, and when it came. */
export default class CallTouchpointHeader extends LightningElement {
  /** PanelData of CallTouchpointController with state ok (touchpoint set, session when merged). */
  @api panel;

  labels = LABELS;

  get touchpoint() {
    return this.panel.touchpoint;
  }

  get session() {
    return this.panel.session;
  }

  get statusText() {
    return this.panel.joinStatus === STATUS_STANDALONE || !this.session
      ? LABELS.statusStandalone
      : LABELS.statusMerged;
  }

  get callTime() {
    return formatTime(this.panel.callTime);
  }

  /** "Call from Paid Search · google / cpc · Spring Promo" (type from Task.Type, the rest from the session, R6). */
  get summaryLine() {
    const tp = this.touchpoint;
    const s = this.session;
    const parts = [
      formatLabel(
        LABELS.summaryFrom,
        tp.touchpointType || LABELS.callFallback,
        tp.channel || LABELS.unknownChannel,
      ),
    ];
    const sourceMedium = s ? [s.utmSource, s.utmMedium].filter(Boolean).join(' / ') : '';
    const source = sourceMedium || tp.source;
    if (source) {
      parts.push(source);
    }
    if (tp.campaign) {
      parts.push(tp.campaign);
    }
    return parts.join(' · ');
  }

  /**
   * "Paid Search touchpoint, campaign Spring Promo: the caller's web session landed on
   * www.example.com/pricing 24 minutes before the call." — which session, which touchpoint.
   */
  get sentence() {
    const tp = this.touchpoint;
    const channel = tp.channel || LABELS.unknownChannel;
    const touchpoint = tp.campaign
      ? formatLabel(LABELS.sentenceTouchpointCampaign, channel, tp.campaign)
      : formatLabel(LABELS.sentenceTouchpoint, channel);
    const s = this.session;
    if (!s) {
      return formatLabel(LABELS.sentenceStandalone, touchpoint);
    }
    // A call within the clock-skew tolerance before the first page view counts as no time before it.
    const before = Math.max(0, Date.parse(this.panel.callTime) - Date.parse(s.startedAt)) || 0;
    return formatLabel(
      LABELS.sentenceMerged,
      touchpoint,
      shortPage(s.landingPage) || LABELS.unknownPage,
      durationText(before),
    );
  }

  get positions() {
    return String(this.touchpoint.position || '')
      .split(/[,;]/)
      .map((code) => code.trim())
      .filter(Boolean)
      .map((code) => ({
        code,
        name: (POSITIONS[code] || {}).name || code,
        help: (POSITIONS[code] || {}).help || code,
      }));
  }

  get hasPositions() {
    return this.positions.length > 0;
  }
}
