import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getTouchpoints from '@salesforce/apex/OpportunityTouchpointsController.getTouchpoints';
import LABELS from 'c/opportunityTouchpointLabels';
import { formatCurrency, formatLabel, formatPercent } from 'c/callTouchpointFormat';
import { DEFAULT_MODEL, MODELS, isCallType, modelOf, numberOrNull } from 'c/opportunityTouchpointModels';

// OpportunityData.state values returned by OpportunityTouchpointsController.
const STATE_OK = 'ok';

/** What the user reads when there is no table to show, per OpportunityData.state. */
const STATE_TEXT = {
  empty: { title: LABELS.emptyTitle, detail: LABELS.emptyDetail, nextStep: LABELS.emptyNextStep },
  noAccess: { title: LABELS.noAccessTitle, detail: LABELS.noAccessDetail, nextStep: LABELS.noAccessNextStep },
  notFound: { title: LABELS.notFoundTitle, detail: LABELS.notFoundDetail, nextStep: '' },
};

/**
 * The Opportunity record page's view of its touchpoints (Opportunity_Touchpoint__c, R13–R17): a model
 * picker, how the model splits credit, the calls' share, and the table of touchpoints in time order
 * (opportunityTouchpointTable). The data holds every model, so switching models asks nothing again.
 */
export default class OpportunityCallTouchpoints extends LightningElement {
  @api recordId;
  @api objectApiName;

  labels = LABELS;
  model = DEFAULT_MODEL;
  data;
  error;
  refreshing = false;
  wiredResult;

  @wire(getTouchpoints, { opportunityId: '$recordId' })
  wiredTouchpoints(result) {
    this.wiredResult = result;
    const { data, error } = result;
    if (data) {
      this.data = data;
      this.error = undefined;
    } else if (error) {
      this.data = undefined;
      this.error = error;
    }
  }

  /** Refresh button: ask the server again instead of the client cache (the middleware may have rewritten). */
  handleRefresh() {
    if (!this.wiredResult) {
      return Promise.resolve();
    }
    this.refreshing = true;
    return refreshApex(this.wiredResult).finally(() => {
      this.refreshing = false;
    });
  }

  handleModelChange(event) {
    this.model = modelOf(event.target.value).value;
  }

  /** No Opportunity to show: a record page of another object, or an app page. */
  get noRecord() {
    return !this.recordId || (Boolean(this.objectApiName) && this.objectApiName !== 'Opportunity');
  }

  get refreshDisabled() {
    return this.noRecord || this.refreshing;
  }

  get isOk() {
    return Boolean(this.data) && this.data.state === STATE_OK && (this.data.touchpoints || []).length > 0;
  }

  /** What c-touchpoint-card shows instead of the table, or null when there is one to show. */
  get cardState() {
    if (this.noRecord) {
      return { variant: 'empty', heading: LABELS.noRecord };
    }
    if (this.error) {
      return { variant: 'error', heading: LABELS.errorTitle };
    }
    if (!this.data) {
      return { variant: 'loading', heading: LABELS.loading };
    }
    if (this.isOk) {
      return null;
    }
    const text = STATE_TEXT[this.data.state] || STATE_TEXT.empty;
    return {
      variant: 'message',
      state: this.data.state,
      heading: text.title,
      detail: text.detail,
      nextStep: text.nextStep,
    };
  }

  get modelOptions() {
    return MODELS.map((m) => ({ label: m.label, value: m.value, selected: m.value === this.model }));
  }

  get modelHelp() {
    return modelOf(this.model).help;
  }

  get hasAmount() {
    const amount = numberOrNull(this.data.amount);
    return amount !== null && amount >= 0;
  }

  get summary() {
    return this.hasAmount
      ? formatLabel(LABELS.amount, formatCurrency(this.data.amount, this.data.currencyCode))
      : LABELS.noAmount;
  }

  /** "Calls earn 40% of the credit ($40,000.00) in this model." */
  get callsSummary() {
    const model = modelOf(this.model);
    const calls = this.data.touchpoints.filter((tp) => isCallType(tp.touchpointType));
    if (calls.length === 0) {
      return LABELS.noCalls;
    }
    const hundredths = (field) =>
      calls.reduce((sum, tp) => sum + Math.round((numberOrNull(tp[field]) || 0) * 100), 0) / 100;
    const percent = formatPercent(hundredths(model.percent));
    const withRevenue = calls.some((tp) => numberOrNull(tp[model.revenue]) !== null);
    return withRevenue
      ? formatLabel(
          LABELS.callsShare,
          percent,
          formatCurrency(hundredths(model.revenue), this.data.currencyCode),
        )
      : formatLabel(LABELS.callsShareNoRevenue, percent);
  }

  get truncatedText() {
    return formatLabel(LABELS.truncated, this.data.touchpoints.length);
  }
}
