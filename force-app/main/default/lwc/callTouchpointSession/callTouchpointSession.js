import { LightningElement, api } from 'lwc';
import LABELS from 'c/callTouchpointLabels';

/** The session's UTM tags and click id, the ones it has. */
export default class CallTouchpointSession extends LightningElement {
  /** PanelData.session. */
  @api session;

  labels = LABELS;

  get fields() {
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

  get hasFields() {
    return this.fields.length > 0;
  }
}
