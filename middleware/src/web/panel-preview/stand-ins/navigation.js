// Preview stand-in for `lightning/navigation`: the open-source lightning-base-components re-export it
// from `force/navigation`, which exists only inside Lightning Experience. NavigationMixin adds
// Navigate(pageReference) and GenerateUrl(pageReference) to the class
// (https://developer.salesforce.com/docs/platform/lwc/guide/use-navigate-basic.html); here a record page
// reference opens /tasks/record/:id, which forwards to the record in the org, or with the embedded local
// org shows the touchpoint's or web session's fields (web/record-page.ts).

const NAVIGATE = Symbol('Navigate');
const GENERATE_URL = Symbol('GenerateUrl');

function urlOf(pageReference) {
  const attributes = (pageReference && pageReference.attributes) || {};
  if (!attributes.recordId) return null;
  const object = attributes.objectApiName ? `?object=${encodeURIComponent(attributes.objectApiName)}` : '';
  return `/tasks/record/${encodeURIComponent(attributes.recordId)}${object}`;
}

export function NavigationMixin(Base) {
  return class extends Base {
    [NAVIGATE](pageReference) {
      const url = urlOf(pageReference);
      if (url) {
        window.location.assign(url);
      }
    }

    [GENERATE_URL](pageReference) {
      return Promise.resolve(urlOf(pageReference));
    }
  };
}
NavigationMixin.Navigate = NAVIGATE;
NavigationMixin.GenerateUrl = GENERATE_URL;

export const CurrentPageReference = undefined;
