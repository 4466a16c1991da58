// Preview stand-in for `@salesforce/apex/CallTouchpointController.getPanel` and `refreshApex` from
// `@salesforce/apex`: the middleware's /tasks/:id/panel.json answers with what the Apex controller
// returns (web/panel-data.ts), so the component gets the same data as in Lightning.
// An imported Apex method is a wire adapter that is not called while a parameter is undefined
// (https://developer.salesforce.com/docs/platform/lwc/guide/apex-wire-method.html); refreshApex(value)
// takes the object the wire provisioned and asks the server again, past the client cache
// (https://developer.salesforce.com/docs/platform/lwc/guide/apex-result-caching).

/** Provisioned value → the adapter that provisioned it, for refreshApex. */
const provisioned = new WeakMap();

async function fetchPanel(taskId, fresh) {
  const url = `/tasks/${encodeURIComponent(taskId)}/panel.json${fresh ? '?refresh=1' : ''}`;
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  // The controller answers its states (notFound and noAccess too) as data; the rest is an error shaped
  // like an Apex error ({ status, statusText, body: { message } }).
  if (body && typeof body.state === 'string') {
    return body;
  }
  throw {
    status: res.status,
    statusText: res.statusText,
    body: { message: (body && (body.message || body.error)) || res.statusText },
  };
}

class GetPanelAdapter {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.taskId = undefined;
  }

  update(config) {
    if (config.taskId === this.taskId) {
      return;
    }
    this.taskId = config.taskId;
    // As on the platform, no call while the reactive parameter is still undefined.
    if (this.taskId) {
      this.load(false);
    }
  }

  connect() {}

  disconnect() {}

  load(fresh) {
    const taskId = this.taskId;
    return fetchPanel(taskId, fresh)
      .then(
        (data) => ({ data, error: undefined }),
        (error) => ({ data: undefined, error }),
      )
      .then((value) => {
        if (taskId === this.taskId) {
          rememberProvisioned(value, this);
          this.dataCallback(value);
        }
      });
  }
}

export default function getPanel({ taskId }) {
  return fetchPanel(taskId, false);
}
getPanel.adapter = GetPanelAdapter;

/** A stand-in adapter registers what it provisioned, so refreshApex can ask it again (opportunity-apex.js too). */
export function rememberProvisioned(value, adapter) {
  provisioned.set(value, adapter);
}

export function refreshApex(value) {
  const adapter = provisioned.get(value);
  return adapter ? adapter.load(true) : Promise.resolve();
}
