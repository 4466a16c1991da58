// Entry of the previews' bundle (scripts/build-panel-preview.ts): the real callTouchpointPanel from
// force-app on a Task record, or the real opportunityCallTouchpoints on an Opportunity, as Lightning places
// a component on a record page (recordId + objectApiName).
// Synthetic shadow first: lightning-base-components needs it, and it lets the page's SLDS styles reach
// into the components, as in Lightning Experience.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CallTouchpointPanel from 'c/callTouchpointPanel';
import OpportunityCallTouchpoints from 'c/opportunityCallTouchpoints';

/** The component on the page's mount element (its id is the tag's name), as on a record page of `objectApiName`. */
function placeOnRecordPage(tag, Component, objectApiName) {
  const mount = document.getElementById(tag);
  if (!mount) return;
  const element = createElement(`c-${tag}`, { is: Component });
  element.recordId = mount.dataset.recordId;
  element.objectApiName = objectApiName;
  mount.appendChild(element);
}

placeOnRecordPage('call-touchpoint-panel', CallTouchpointPanel, 'Task');
placeOnRecordPage('opportunity-call-touchpoints', OpportunityCallTouchpoints, 'Opportunity');
