// Entry of the Task preview's bundle (scripts/build-panel-preview.ts): the real callTouchpointPanel from
// force-app on a Task record, as Lightning places it on a record page (recordId + objectApiName).
// Synthetic shadow first: lightning-base-components needs it, and it lets the page's SLDS styles reach
// into the components, as in Lightning Experience.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CallTouchpointPanel from 'c/callTouchpointPanel';

const mount = document.getElementById('call-touchpoint-panel');
if (mount) {
  const panel = createElement('c-call-touchpoint-panel', { is: CallTouchpointPanel });
  panel.recordId = mount.dataset.recordId;
  panel.objectApiName = 'Task';
  mount.appendChild(panel);
}
