import { DATA_MODEL } from '../generated/data-model';
import { cleanText, cutTo, formulaSafe } from '../values/clean-text';
import { isoInstant } from './time';
import type {
  ArrivalAttributes,
  ChannelAssignment,
  TouchpointRecord,
  WebSession,
  WebSessionRecord,
} from './types';

/** Our Activity (Task and Event) fields, as force-app declares them (generated/data-model.ts). */
export const ACTIVITY_FIELDS: readonly string[] = Object.keys(DATA_MODEL.Activity);

export function truncate(value: string, max: number): string;
export function truncate(value: string | null | undefined, max: number): string | null;
export function truncate(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return value.length <= max ? value : value.slice(0, max);
}

type FieldSpecs = Record<string, { readonly type: string; readonly length?: number }>;
type TextField<O extends FieldSpecs> = {
  [K in keyof O]: O[K] extends { length: number } ? K : never;
}[keyof O];

/**
 * A text value as its field in force-app takes it (generated/data-model.ts): control characters and
 * lone surrogates removed, a formula-like start quoted (values/clean-text.ts, OWASP CSV injection),
 * cut to the field's length. The builders clean, never fail, and a field's length is stated once, in
 * its XML. The values come from visitors' browsers, so this is the org's side of the one door.
 */
export function fitter<O extends FieldSpecs>(fields: O) {
  function fit(field: TextField<O>, value: string): string;
  function fit(field: TextField<O>, value: string | null | undefined): string | null;
  function fit(field: TextField<O>, value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    const max = fields[field].length as number;
    return cutTo(formulaSafe(cleanText(value, max)), max);
  }
  return fit;
}
const ws = fitter(DATA_MODEL.Web_Session__c);
const tp = fitter(DATA_MODEL.Touchpoint__c);

/** Source of a web session or touchpoint: utm_source, else the external referrer's domain. */
export function sourceOf(a: ArrivalAttributes): string | null {
  return a.utmSource ?? a.referrerDomain;
}

/** The Web_Session__c record of a session (only sessions that carry a touchpoint are written). */
export function toWebSessionRecord(session: WebSession, channel: ChannelAssignment): WebSessionRecord {
  return {
    sobject: 'Web_Session__c',
    Session_Key__c: session.sessionKey,
    BizibleId__c: session.visitorId,
    Started_At__c: isoInstant(session.startedAt),
    Last_Activity_At__c: isoInstant(session.lastActivityAt),
    Landing_Page__c: ws('Landing_Page__c', session.landingPage),
    Referrer_Page__c: ws('Referrer_Page__c', session.referrerPage),
    Channel__c: ws('Channel__c', channel.channel),
    Subchannel__c: ws('Subchannel__c', channel.subchannel),
    Source__c: ws('Source__c', sourceOf(session)),
    Medium__c: ws('Medium__c', session.utmMedium),
    Campaign__c: ws('Campaign__c', session.utmCampaign),
    Content__c: ws('Content__c', session.utmContent),
    Term__c: ws('Term__c', session.utmTerm),
    Click_Id__c: ws('Click_Id__c', session.clickId),
    Page_Views__c: session.pageViews,
    Form_Submits__c: session.formSubmits,
  };
}

/** Fields of a touchpoint that the join decides; the rest come from the session or are empty. */
export interface TouchpointFacts {
  key: string;
  visitorId: string;
  type: string;
  medium: string | null;
  date: number;
  position: string | null;
  firstTouchPercent: number;
  leadCreationPercent: number;
  uShapedPercent: number;
  channel: ChannelAssignment;
  /** Null for a standalone call (R8: no web session data). */
  session: WebSession | null;
  source: string | null;
  formUrl: string | null;
  taskId: string | null;
  lead: string | null;
  contact: string | null;
  mergeStatus: 'Merged' | 'Standalone' | null;
}

export function toTouchpointRecord(f: TouchpointFacts): TouchpointRecord {
  const s = f.session;
  return {
    sobject: 'Touchpoint__c',
    Touchpoint_Key__c: f.key,
    BizibleId__c: f.visitorId,
    Touchpoint_Type__c: tp('Touchpoint_Type__c', f.type),
    Medium__c: tp('Medium__c', f.medium),
    Channel__c: tp('Channel__c', f.channel.channel),
    Subchannel__c: tp('Subchannel__c', f.channel.subchannel),
    Source__c: tp('Source__c', f.source),
    Campaign__c: s ? tp('Campaign__c', s.utmCampaign) : null,
    Ad_Content__c: s ? tp('Ad_Content__c', s.utmContent) : null,
    Keyword__c: s ? tp('Keyword__c', s.utmTerm) : null,
    // The ad click of the session the touchpoint came from (gclid=…); a standalone call has no session.
    Click_Id__c: s ? tp('Click_Id__c', s.clickId) : null,
    Landing_Page__c: s ? tp('Landing_Page__c', s.landingPage) : null,
    Referrer_Page__c: s ? tp('Referrer_Page__c', s.referrerPage) : null,
    Form_URL__c: tp('Form_URL__c', f.formUrl),
    Touchpoint_Date__c: isoInstant(f.date),
    Position__c: tp('Position__c', f.position),
    First_Touch_Percent__c: f.firstTouchPercent,
    Lead_Creation_Percent__c: f.leadCreationPercent,
    U_Shaped_Percent__c: f.uShapedPercent,
    Web_Session__r: s ? { Session_Key__c: s.sessionKey } : null,
    Task_Id__c: tp('Task_Id__c', f.taskId),
    Lead__c: f.lead,
    Contact__c: f.contact,
    Merge_Status__c: f.mergeStatus,
  };
}
