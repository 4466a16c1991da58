import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import getPanel from '@salesforce/apex/CallTouchpointController.getPanel';
import LABELS from 'c/callTouchpointLabels';
import { localizeUtcTimes } from 'c/callTouchpointFormat';

// PanelData.state values returned by CallTouchpointController.
const STATE_OK = 'ok';
const STATE_PENDING = 'pending';

// getPanel is cacheable: the wire serves the client cache until refreshApex asks the server again. A pending
// call is joined within seconds to minutes, so the panel asks again every 5 s, for at most 2 minutes.
const PENDING_REFRESH_MS = 5000;
const PENDING_REFRESH_LIMIT_MS = 120000;

// Call_Join_Detail__c of a caller whose page views the bot filter dropped (AUTOMATED_TRAFFIC_DETAIL).
const AUTOMATED_TRAFFIC = /dropped as automated traffic/;
// Call_Join_Detail__c of a caller whose session was found outside the window (middleware/src/domain/
// detail.ts standaloneDetail): the cookie arrived, the call came too early or too late (R8).
const OUTSIDE_WINDOW = /^No web session in the \d+-minute window/;

// States without a touchpoint that the join decides (a pending call with a reason is R3's call time unknown).
const STATES_WITH_JOIN_RESULT = new Set(['missingBizibleId', 'noTouchpoint', STATE_PENDING]);

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

  get isOk() {
    return Boolean(this.panel) && this.panel.state === STATE_OK && Boolean(this.panel.touchpoint);
  }

  /**
   * A call without a touchpoint the join has run on (it wrote Call_Join_Reason__c, R23): under the state
   * message, who the call is linked to and why, as under a touchpoint. Not while the call waits for the
   * join, nor for a rep who cannot see the Task's fields (noAccess) or a Task that is gone (notFound).
   */
  get hasJoinResult() {
    const panel = this.panel;
    return Boolean(panel) && Boolean(panel.joinReason) && STATES_WITH_JOIN_RESULT.has(panel.state);
  }

  /** What c-touchpoint-card shows instead of the touchpoint, or null when there is one to show. */
  get cardState() {
    if (this.noRecord) {
      return { variant: 'empty', heading: LABELS.noRecordTitle };
    }
    if (this.error) {
      return { variant: 'error', heading: LABELS.errorTitle };
    }
    if (!this.panel) {
      return { variant: 'loading', heading: LABELS.loading };
    }
    if (this.isOk) {
      return null;
    }
    const text = STATE_TEXT[this.panel.state] || STATE_TEXT.noTouchpoint;
    const detail = text.useJoinDetail && this.panel.joinDetail ? this.joinDetail : text.detail;
    return {
      variant: 'message',
      state: this.panel.state,
      heading: text.title,
      detail,
      nextStep: text.nextStep,
    };
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

  /** The middleware's sentence, its UTC clock times in the user's format. */
  get joinDetail() {
    return localizeUtcTimes(this.panel.joinDetail, this.panel.callTime);
  }

  get standaloneDetail() {
    return this.panel.joinDetail ? this.joinDetail : LABELS.standaloneDetail;
  }

  /**
   * The vendor's cookie capture is the suspect only when no session of the caller was seen: not when
   * the browser was automated, nor when the session was found but the call came outside the window.
   */
  get standaloneNextStep() {
    const detail = this.panel.joinDetail || '';
    if (AUTOMATED_TRAFFIC.test(detail)) {
      return LABELS.automatedNextStep;
    }
    return OUTSIDE_WINDOW.test(detail) ? LABELS.lateNextStep : LABELS.standaloneNextStep;
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
