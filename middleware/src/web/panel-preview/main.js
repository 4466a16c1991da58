// Entry of the previews' bundle (scripts/build-panel-preview.ts): the real callTouchpointPanel from
// force-app on a Task record, or the real opportunityCallTouchpoints on an Opportunity, as Lightning places
// a component on a record page (recordId + objectApiName).
// Synthetic shadow first: lightning-base-components needs it, and it lets the page's SLDS styles reach
// into the components, as in Lightning Experience.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CallTouchpointPanel from 'c/callTouchpointPanel';
import OpportunityCallTouchpoints from 'c/opportunityCallTouchpoints';

const mount = document.getElementById('call-touchpoint-panel');
if (mount) {
  const panel = createElement('c-call-touchpoint-panel', { is: CallTouchpointPanel });
  panel.recordId = mount.dataset.recordId;
  panel.objectApiName = 'Task';
  mount.appendChild(panel);
}

const opportunityMount = document.getElementById('opportunity-call-touchpoints');
if (opportunityMount) {
  const component = createElement('c-opportunity-call-touchpoints', { is: OpportunityCallTouchpoints });
  component.recordId = opportunityMount.dataset.recordId;
  component.objectApiName = 'Opportunity';
  opportunityMount.appendChild(component);
}
