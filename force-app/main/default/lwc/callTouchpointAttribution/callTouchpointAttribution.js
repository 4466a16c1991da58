import { LightningElement, api } from 'lwc';
import LABELS from 'c/callTouchpointLabels';

/**
 * The touchpoint's credit per attribution model (First touch, Lead creation, U-shaped), the person the
 * call is linked to and why (Call_Join_Reason__c, R23) through c-call-touchpoint-person.
 */
export default class CallTouchpointAttribution extends LightningElement {
  /** PanelData.touchpoint: percent fields arrive as 40 for 40%. */
  @api touchpoint;
  /** PanelData.personName / personType: the Task's WhoId (a Lead or Contact), if any. */
  @api personName;
  @api personType;
  /** PanelData.joinReasonLabel: the label of Call_Join_Reason__c. */
  @api reason;

  labels = LABELS;

  /** lightning-formatted-number wants 0.4 for 40%. */
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
}
