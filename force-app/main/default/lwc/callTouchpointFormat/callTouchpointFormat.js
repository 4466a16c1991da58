// Text and time formatting shared by the Task panel's and the Opportunity component's children (a module without a template, as
// lwc-recipes' ldsUtils). Times are shown in one format: the Salesforce user's locale and time zone
// (https://developer.salesforce.com/docs/platform/lwc/guide/create-i18n.html), with the zone named.
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import LABELS from 'c/callTouchpointLabels';

/** Replaces {0}, {1}… in a custom label, the way labels are written for translators. */
export function formatLabel(template, ...values) {
  return String(template).replace(/\{(\d+)\}/g, (match, index) => String(values[index] ?? ''));
}

const CLOCK = { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
const DAY = { year: 'numeric', month: 'short', day: 'numeric' };
const DAY_KEY = { year: 'numeric', month: '2-digit', day: '2-digit' };

function formatter(options) {
  try {
    return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: TIME_ZONE });
  } catch {
    // An unknown locale or zone (RangeError): the browser's own rather than no time at all.
    return new Intl.DateTimeFormat(undefined, options);
  }
}
const clockFormat = formatter(CLOCK);
const dateTimeFormat = formatter({ ...DAY, ...CLOCK });
const dayKeyFormat = formatter(DAY_KEY);

/**
 * "Mar 10, 2026, 2:05 PM GMT+1"; only the clock ("2:41 PM GMT+1") when `sameDayAs` (an ISO instant)
 * falls on the same day in the user's zone.
 */
export function formatTime(iso, sameDayAs) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return '';
  }
  const sameDay =
    sameDayAs !== undefined && dayKeyFormat.format(ms) === dayKeyFormat.format(Date.parse(sameDayAs));
  return (sameDay ? clockFormat : dateTimeFormat).format(ms);
}

/**
 * Call_Join_Detail__c is written by the middleware in UTC ("12:41 UTC", "2026-03-09 23:50 UTC"; the
 * date only when it is not the call's UTC day): the panel shows those times in the user's format too.
 */
export function localizeUtcTimes(text, callTimeIso) {
  const callDay = String(callTimeIso || '').slice(0, 10);
  return String(text || '').replace(
    /\b(?:(\d{4}-\d{2}-\d{2}) )?(\d{2}):(\d{2}) UTC\b/g,
    (match, day, hh, mm) => {
      const iso = `${day || callDay}T${hh}:${mm}:00.000Z`;
      return Number.isNaN(Date.parse(iso)) ? match : formatTime(iso, callTimeIso);
    },
  );
}

const dayFormat = formatter(DAY);
// A calendar day the middleware wrote in UTC: shown as that same day, whatever the user's zone.
let utcDayFormat;
try {
  utcDayFormat = new Intl.DateTimeFormat(LOCALE, { ...DAY, timeZone: 'UTC' });
} catch {
  utcDayFormat = new Intl.DateTimeFormat(undefined, { ...DAY, timeZone: 'UTC' });
}

/** "Mar 10, 2026": the day of an instant in the user's locale and time zone. */
export function formatDay(iso) {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : dayFormat.format(ms);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Position_Detail__c is written by the middleware with UTC days ("created on 8 Mar 2026";
 * middleware/src/domain/opportunity-detail.ts shortDay): the component shows them in the user's format.
 */
export function localizeUtcDays(text) {
  return String(text || '').replace(/\b(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\b/g, (match, d, mon, y) => {
    const month = MONTHS.indexOf(mon);
    return month < 0 ? match : utcDayFormat.format(Date.UTC(Number(y), month, Number(d)));
  });
}

/** "under a minute", "1 minute", "17 minutes", "2 h 5 min". */
export function durationText(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 1) {
    return LABELS.underAMinute;
  }
  if (minutes === 1) {
    return LABELS.oneMinute;
  }
  if (minutes < 120) {
    return formatLabel(LABELS.minutes, minutes);
  }
  return formatLabel(LABELS.hoursMinutes, Math.floor(minutes / 60), minutes % 60);
}

/** "www.example.com/pricing": what a rep recognises of a landing page (the timeline shows it whole). */
export function shortPage(url) {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/i.exec(url || '');
  return match ? `${match[1]}${match[2] === '/' ? '' : match[2]}` : url || '';
}

function numberFormat(options) {
  try {
    return new Intl.NumberFormat(LOCALE, options);
  } catch {
    // An unknown locale or currency code (RangeError): the browser's own rather than no number at all.
    return new Intl.NumberFormat(undefined, { ...options, style: 'decimal' });
  }
}

/** 22.5 (a percent field's value) → "22.5%" in the user's locale. */
export function formatPercent(percentValue) {
  return numberFormat({ style: 'percent', maximumFractionDigits: 2 }).format(Number(percentValue) / 100);
}

/** 22500, "USD" → "$22,500.00" in the user's locale. */
export function formatCurrency(value, currencyCode) {
  return numberFormat({ style: 'currency', currency: currencyCode || 'USD' }).format(Number(value));
}
