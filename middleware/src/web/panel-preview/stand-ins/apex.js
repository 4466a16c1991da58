// Preview stand-ins for imported Apex methods (`@salesforce/apex/Class.method`) and `refreshApex` from
// `@salesforce/apex`: the middleware answers each method with what its Apex controller returns, so the
// components get the same data as in Lightning — `CallTouchpointController.getPanel` from
// /tasks/:id/panel.json (web/panel-data.ts), `OpportunityTouchpointsController.getTouchpoints` from
// /opportunities/:id/touchpoints.json (web/opportunity-data.ts; opportunity-apex.js).
// An imported Apex method is a wire adapter that is not called while a parameter is undefined
// (https://developer.salesforce.com/docs/platform/lwc/guide/apex-wire-method.html); refreshApex(value)
// takes the object the wire provisioned and asks the server again, past the client cache
// (https://developer.salesforce.com/docs/platform/lwc/guide/apex-result-caching).

/** Provisioned value → the adapter that provisioned it, for refreshApex. */
const provisioned = new WeakMap();

async function fetchAnswer(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  // The controllers answer their states (notFound and noAccess too) as data; the rest is an error shaped
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

/**
 * An imported Apex method whose one parameter `param` is a record id, answered by `path(id)`; `?refresh=1`
 * asks the middleware past its own short cache.
 */
export function apexMethod(param, path) {
  const load = (id, fresh) => fetchAnswer(`${path(encodeURIComponent(id))}${fresh ? '?refresh=1' : ''}`);

  class Adapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.id = undefined;
    }

    update(config) {
      if (config[param] === this.id) {
        return;
      }
      this.id = config[param];
      // As on the platform, no call while the reactive parameter is still undefined.
      if (this.id) {
        this.load(false);
      }
    }

    connect() {}

    disconnect() {}

    load(fresh) {
      const id = this.id;
      return load(id, fresh)
        .then(
          (data) => ({ data, error: undefined }),
          (error) => ({ data: undefined, error }),
        )
        .then((value) => {
          if (id === this.id) {
            provisioned.set(value, this);
            this.dataCallback(value);
          }
        });
    }
  }

  const method = (config) => load(config[param], false);
  method.adapter = Adapter;
  return method;
}

export default apexMethod('taskId', (id) => `/tasks/${id}/panel.json`);

export function refreshApex(value) {
  const adapter = provisioned.get(value);
  return adapter ? adapter.load(true) : Promise.resolve();
}
