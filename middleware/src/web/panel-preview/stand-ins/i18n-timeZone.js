// Preview stand-in for `@salesforce/i18n/timeZone` (the Salesforce user's IANA time zone, e.g.
// "America/Los_Angeles"): the browser's own zone.
export default Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
