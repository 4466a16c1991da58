import { parse as parseDomain } from 'tldts';
import type { ArrivalAttributes } from './types';

/** Ad click-id parameters we recognise on a landing URL, in priority order. */
export const CLICK_ID_PARAMS = ['gclid', 'msclkid', 'fbclid', 'li_fat_id', 'ttclid'] as const;

const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;

/** Registrable domain of a host (`www.google.co.uk` → `google.co.uk`); the host itself for IPs/localhost. */
export function registrableDomain(urlOrHost: string): string | null {
  const parsed = parseDomain(urlOrHost);
  if (parsed.domain) return parsed.domain.toLowerCase();
  return parsed.hostname ? parsed.hostname.toLowerCase() : null;
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * What a landing tells us about how the visitor arrived (R4, R12): UTM parameters and the first
 * click id of the landing URL, and the external referrer. A referrer on the same registrable domain
 * as the landing page is internal navigation, i.e. no external referrer (referrerPage and
 * referrerDomain are null). Parameter names match case-insensitively; empty values count as absent.
 * The landing page is the URL without its fragment (the query stays: the channel sheet's
 * "Landing Page" column matches on it, e.g. `*gclid=*`).
 */
export function parseArrival(url: string, referrer: string | null): ArrivalAttributes {
  const landing = safeUrl(url);
  const attrs: ArrivalAttributes = {
    landingPage: landing ? stripHash(landing) : url,
    referrerPage: null,
    referrerDomain: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmContent: null,
    utmTerm: null,
    clickId: null,
  };
  if (landing && landing.search.length > 1) {
    const params = lowerCaseParams(landing.searchParams);
    attrs.utmSource = params.get('utm_source') ?? null;
    attrs.utmMedium = params.get('utm_medium') ?? null;
    attrs.utmCampaign = params.get('utm_campaign') ?? null;
    attrs.utmContent = params.get('utm_content') ?? null;
    attrs.utmTerm = params.get('utm_term') ?? null;
    for (const name of CLICK_ID_PARAMS) {
      const value = params.get(name);
      if (value) {
        attrs.clickId = `${name}=${value}`;
        break;
      }
    }
  }
  const ref = referrer ? referrer.trim() : '';
  if (ref) {
    const refDomain = registrableDomain(ref);
    const landingDomain = landing ? registrableDomain(landing.hostname) : null;
    if (refDomain && refDomain !== landingDomain) {
      attrs.referrerPage = ref;
      attrs.referrerDomain = refDomain;
    }
  }
  return attrs;
}

/** True when the arrival carries an external source: a referrer, a campaign (UTM) or a click id. */
export function isExternalArrival(a: ArrivalAttributes): boolean {
  return (
    a.referrerDomain !== null ||
    a.clickId !== null ||
    a.utmSource !== null ||
    a.utmMedium !== null ||
    a.utmCampaign !== null ||
    a.utmContent !== null ||
    a.utmTerm !== null
  );
}

/** Identity of an external arrival (R4): same referrer domain, same UTM set, same click id. */
export function arrivalSignature(a: ArrivalAttributes): string {
  return [a.referrerDomain, a.utmSource, a.utmMedium, a.utmCampaign, a.utmContent, a.utmTerm, a.clickId]
    .map((v) => (v === null ? '' : v.toLowerCase()))
    .join('\u0001');
}

function stripHash(u: URL): string {
  return u.hash ? u.href.slice(0, u.href.length - u.hash.length) : u.href;
}

function lowerCaseParams(search: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of search) {
    const k = key.toLowerCase();
    if (
      !out.has(k) &&
      value.trim() !== '' &&
      (UTM_PARAMS.includes(k as never) || CLICK_ID_PARAMS.includes(k as never))
    )
      out.set(k, value.trim());
  }
  return out;
}
