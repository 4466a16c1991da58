// Preview stand-in for `@salesforce/i18n/locale` (the Salesforce user's locale, e.g. "en-US"): the
// browser's language (https://developer.salesforce.com/docs/platform/lwc/guide/create-i18n.html).
export default (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
