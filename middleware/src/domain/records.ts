import { isoInstant } from './time';
import type {
  ArrivalAttributes,
  ChannelAssignment,
  TouchpointRecord,
  WebSession,
  WebSessionRecord,
} from './types';

/** Salesforce text lengths (force-app's fields): Text(255) unless noted. Builders truncate, never fail. */
export const FIELD_MAX = { text: 255, channel: 80, touchpointType: 80, position: 40, taskId: 18 } as const;

export function truncate(value: string | null | undefined, max: number = FIELD_MAX.text): string | null {
  if (value === null || value === undefined) return null;
  return value.length <= max ? value : value.slice(0, max);
}

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
    Landing_Page__c: truncate(session.landingPage),
    Referrer_Page__c: truncate(session.referrerPage),
    Channel__c: truncate(channel.channel, FIELD_MAX.channel),
    Subchannel__c: truncate(channel.subchannel, FIELD_MAX.channel),
    Source__c: truncate(sourceOf(session)),
    Medium__c: truncate(session.utmMedium),
    Campaign__c: truncate(session.utmCampaign),
    Content__c: truncate(session.utmContent),
    Term__c: truncate(session.utmTerm),
    Click_Id__c: truncate(session.clickId),
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
    Touchpoint_Type__c: truncate(f.type, FIELD_MAX.touchpointType) as string,
    Medium__c: truncate(f.medium),
    Channel__c: truncate(f.channel.channel, FIELD_MAX.channel),
    Subchannel__c: truncate(f.channel.subchannel, FIELD_MAX.channel),
    Source__c: truncate(f.source),
    Campaign__c: s ? truncate(s.utmCampaign) : null,
    Ad_Content__c: s ? truncate(s.utmContent) : null,
    Keyword__c: s ? truncate(s.utmTerm) : null,
    Landing_Page__c: s ? truncate(s.landingPage) : null,
    Referrer_Page__c: s ? truncate(s.referrerPage) : null,
    Form_URL__c: truncate(f.formUrl),
    Touchpoint_Date__c: isoInstant(f.date),
    Position__c: truncate(f.position, FIELD_MAX.position),
    First_Touch_Percent__c: f.firstTouchPercent,
    Lead_Creation_Percent__c: f.leadCreationPercent,
    U_Shaped_Percent__c: f.uShapedPercent,
    Web_Session__r: s ? { Session_Key__c: s.sessionKey } : null,
    Task_Id__c: truncate(f.taskId, FIELD_MAX.taskId),
    Lead__c: f.lead,
    Contact__c: f.contact,
    Merge_Status__c: f.mergeStatus,
  };
}
