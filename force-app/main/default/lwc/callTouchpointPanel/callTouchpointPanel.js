import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import getPanel from '@salesforce/apex/CallTouchpointController.getPanel';
import LABELS from './labels';

// PanelData.state values returned by CallTouchpointController.
const STATE_OK = 'ok';
const STATE_PENDING = 'pending';

// getPanel is cacheable: the wire serves the client cache until refreshApex asks the server again. A pending
// call is joined within seconds to minutes, so the panel asks again every 5 s, for at most 2 minutes.
const PENDING_REFRESH_MS = 5000;
const PENDING_REFRESH_LIMIT_MS = 120000;

// Status from Call_Join_Status__c (design R2, R5, R8).
const STATUS_STANDALONE = 'Standalone';
// Call_Join_Detail__c of a caller whose page views the bot filter dropped (AUTOMATED_TRAFFIC_DETAIL).
const AUTOMATED_TRAFFIC = /dropped as automated traffic/;

const POSITION_HELP = {
  FT: LABELS.positionFtHelp,
  LC: LABELS.positionLcHelp,
  PostLC: LABELS.positionPostLcHelp,
};

/** What the rep reads when there is no touchpoint to show, per PanelData.state. */
const STATE_TEXT = {
  missingBizibleId: {
    title: LABELS.missingBizibleIdTitle,
    detail: LABELS.missingBizibleIdDetail,
    nextStep: LABELS.missingBizibleIdNextStep,
    useJoinDetail: true,
  },
  pending: {
    title: LABELS.pendingTitle,
    detail: LABELS.pendingDetail,
    nextStep: LABELS.pendingNextStep,
    useJoinDetail: true,
  },
  noTouchpoint: {
    title: LABELS.noTouchpointTitle,
    detail: LABELS.noTouchpointDetail,
    nextStep: LABELS.noTouchpointNextStep,
    useJoinDetail: true,
  },
  noAccess: {
    title: LABELS.noAccessTitle,
    detail: LABELS.noAccessDetail,
    nextStep: LABELS.noAccessNextStep,
    useJoinDetail: false,
  },
  notFound: {
    title: LABELS.notFoundTitle,
    detail: LABELS.notFoundDetail,
    nextStep: LABELS.notFoundNextStep,
    useJoinDetail: false,
  },
};

/** Replaces {0}, {1}… in a custom label, the way labels are written for translators. */
function formatLabel(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (match, index) => String(values[index] ?? ''));
}

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

function minutesBetween(fromIso, toIso) {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60000);
}

/** Apex errors carry body.message; wire/network errors may carry an array or only a status text. */
function errorText(error) {
  if (!error) {
    return '';
  }
  const body = error.body;
  if (Array.isArray(body)) {
    return body.map((item) => item.message).join(', ');
  }
  if (body && typeof body.message === 'string') {
    return body.message;
  }
  return error.statusText || error.message || '';
}

export default class CallTouchpointPanel extends NavigationMixin(LightningElement) {
  @api recordId;
  @api objectApiName;

  labels = LABELS;
  panel;
  error;
  refreshing = false;

  /** The wire's provisioned value, which refreshApex needs. */
  wiredResult;
  pendingSince;
  pendingTimer;

  @wire(getPanel, { taskId: '$recordId' })
  wiredPanel(result) {
    this.wiredResult = result;
    const { data, error } = result;
    if (data) {
      this.panel = data;
      this.error = undefined;
    } else if (error) {
      this.panel = undefined;
      this.error = error;
    }
    this.schedulePendingRefresh();
  }

  disconnectedCallback() {
    this.stopPendingRefresh();
  }

  /** Refresh button: ask the server again instead of the client cache. */
  handleRefresh() {
    return this.refresh();
  }

  refresh() {
    if (!this.wiredResult) {
      return Promise.resolve();
    }
    this.refreshing = true;
    return refreshApex(this.wiredResult).finally(() => {
      this.refreshing = false;
    });
  }

  schedulePendingRefresh() {
    const pending = Boolean(this.panel) && this.panel.state === STATE_PENDING;
    if (!pending) {
      this.stopPendingRefresh();
      this.pendingSince = undefined;
      return;
    }
    const now = Date.now();
    if (this.pendingSince === undefined) {
      this.pendingSince = now;
    }
    if (this.pendingTimer || now - this.pendingSince >= PENDING_REFRESH_LIMIT_MS) {
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation -- bounded polling while the call is pending
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = undefined;
      this.refresh();
    }, PENDING_REFRESH_MS);
  }

  stopPendingRefresh() {
    if (this.pendingTimer) {
      clearTimeout(this.pendingTimer);
      this.pendingTimer = undefined;
    }
  }

  /** No Task to show: the utility bar outside a record, or a record page of another object. */
  get noRecord() {
    return !this.recordId || (Boolean(this.objectApiName) && this.objectApiName !== 'Task');
  }

  /** Nothing to refresh outside a Task, and one refresh at a time. */
  get refreshDisabled() {
    return this.noRecord || this.refreshing;
  }

  get isLoading() {
    return !this.noRecord && !this.panel && !this.error;
  }

  get hasError() {
    return Boolean(this.error);
  }

  get errorDetail() {
    return errorText(this.error);
  }

  get isOk() {
    return Boolean(this.panel) && this.panel.state === STATE_OK && Boolean(this.panel.touchpoint);
  }

  get hasStateMessage() {
    return Boolean(this.panel) && !this.isOk;
  }

  get stateMessage() {
    const text = STATE_TEXT[this.panel.state] || STATE_TEXT.noTouchpoint;
    const detail = text.useJoinDetail && this.panel.joinDetail ? this.panel.joinDetail : text.detail;
    return { title: text.title, detail, nextStep: text.nextStep };
  }

  get touchpoint() {
    return this.panel.touchpoint;
  }

  get session() {
    return this.panel.session;
  }

  get hasSession() {
    return Boolean(this.panel.session);
  }

  get isStandalone() {
    return this.isOk && !this.hasSession;
  }

  get standaloneDetail() {
    return this.panel.joinDetail || LABELS.standaloneDetail;
  }

  /** The vendor's cookie capture is not the cause when the join says the browser was automated. */
  get standaloneNextStep() {
    return AUTOMATED_TRAFFIC.test(this.panel.joinDetail || '')
      ? LABELS.automatedNextStep
      : LABELS.standaloneNextStep;
  }

  get statusText() {
    return this.panel.joinStatus === STATUS_STANDALONE || !this.hasSession
      ? LABELS.statusStandalone
      : LABELS.statusMerged;
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

  get positions() {
    return String(this.touchpoint.position || '')
      .split(/[,;]/)
      .map((code) => code.trim())
      .filter(Boolean)
      .map((code) => ({ code, help: POSITION_HELP[code] || code }));
  }

  get hasPositions() {
    return this.positions.length > 0;
  }

  /** Percent fields arrive as 40 for 40%; lightning-formatted-number wants 0.4. */
  get percentages() {
    const tp = this.touchpoint;
    return [
      { key: 'firstTouch', label: LABELS.firstTouch, raw: tp.firstTouchPercent },
      { key: 'leadCreation', label: LABELS.leadCreation, raw: tp.leadCreationPercent },
      { key: 'uShaped', label: LABELS.uShaped, raw: tp.uShapedPercent },
    ].map((item) => ({
      key: item.key,
      termKey: `${item.key}-label`,
      label: item.label,
      hasValue: item.raw !== undefined && item.raw !== null,
      value: item.raw === undefined || item.raw === null ? null : item.raw / 100,
    }));
  }

  /**
   * Landing page → pages → call, in time order, with the minutes between consecutive steps.
   * A call may come during the session (before its last activity), so the steps are sorted by time.
   */
  get timeline() {
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
    if (this.panel.callTime) {
      events.push({
        key: 'call',
        title: LABELS.callStep,
        time: this.panel.callTime,
        text: this.panel.subject || '',
        subtext: '',
      });
    }
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    return events.map((event, index) => ({
      ...event,
      hasSubtext: Boolean(event.subtext),
      gap:
        index === 0
          ? ''
          : formatLabel(LABELS.minutesLater, minutesBetween(events[index - 1].time, event.time)),
      hasGap: index > 0,
    }));
  }

  get sessionFields() {
    const s = this.session;
    return [
      { key: 'source', label: LABELS.utmSource, value: s.utmSource },
      { key: 'medium', label: LABELS.utmMedium, value: s.utmMedium },
      { key: 'campaign', label: LABELS.utmCampaign, value: s.utmCampaign },
      { key: 'content', label: LABELS.utmContent, value: s.utmContent },
      { key: 'term', label: LABELS.utmTerm, value: s.utmTerm },
      { key: 'clickId', label: LABELS.clickId, value: s.clickId },
    ]
      .filter((field) => Boolean(field.value))
      .map((field) => ({ ...field, termKey: `${field.key}-label` }));
  }

  get hasSessionFields() {
    return this.sessionFields.length > 0;
  }

  handleOpenTouchpoint() {
    this.openRecord(this.touchpoint.id, 'Touchpoint__c');
  }

  handleOpenSession() {
    this.openRecord(this.session.id, 'Web_Session__c');
  }

  openRecord(recordId, objectApiName) {
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId, objectApiName, actionName: 'view' },
    });
  }
}
