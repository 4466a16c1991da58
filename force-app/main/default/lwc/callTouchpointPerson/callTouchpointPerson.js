import { LightningElement, api } from 'lwc';
import LABELS from 'c/callTouchpointLabels';
import { formatLabel } from 'c/callTouchpointFormat';

/**
 * "Linked to / Why": the person the call Task is linked to (its WhoId, R18–R20) and why the call was
 * joined so (Call_Join_Reason__c, R23). One child for the Task panel's touchpoint (inside
 * c-call-touchpoint-attribution) and its states without one (a call without BizibleId, outside the
 * window, …).
 */
export default class CallTouchpointPerson extends LightningElement {
  /** PanelData.personName / personType: the Task's WhoId (a Lead or Contact), if any. */
  @api personName;
  @api personType;
  /** PanelData.joinReasonLabel: the label of Call_Join_Reason__c; no "Why" line without one. */
  @api reason;

  labels = LABELS;

  /** "Jane Doe (Contact)", or "Not linked to anyone". */
  get personText() {
    if (!this.personName) {
      return LABELS.noPerson;
    }
    return this.personType ? formatLabel(LABELS.person, this.personName, this.personType) : this.personName;
  }
}
