// Preview stand-in for `@salesforce/apex/OpportunityTouchpointsController.getTouchpoints`: the middleware's
// /opportunities/:id/touchpoints.json answers with what the Apex controller returns (web/opportunity-data.ts),
// so the component gets the same data as in Lightning. As apex.js: a wire adapter that is not called while
// its parameter is undefined, and whose provisioned value refreshApex can ask again.
import { rememberProvisioned } from './apex.js';

async function fetchTouchpoints(opportunityId, fresh) {
  const url = `/opportunities/${encodeURIComponent(opportunityId)}/touchpoints.json${fresh ? '?refresh=1' : ''}`;
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

class GetTouchpointsAdapter {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.opportunityId = undefined;
  }

  update(config) {
    if (config.opportunityId === this.opportunityId) {
      return;
    }
    this.opportunityId = config.opportunityId;
    if (this.opportunityId) {
      this.load(false);
    }
  }

  connect() {}

  disconnect() {}

  load(fresh) {
    const opportunityId = this.opportunityId;
    return fetchTouchpoints(opportunityId, fresh)
      .then(
        (data) => ({ data, error: undefined }),
        (error) => ({ data: undefined, error }),
      )
      .then((value) => {
        if (opportunityId === this.opportunityId) {
          rememberProvisioned(value, this);
          this.dataCallback(value);
        }
      });
  }
}

export default function getTouchpoints({ opportunityId }) {
  return fetchTouchpoints(opportunityId, false);
}
getTouchpoints.adapter = GetTouchpointsAdapter;
