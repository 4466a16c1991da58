/**
 * Plain data shapes shared by the domain (pure) and the edges (store, tracking, Salesforce).
 * Times are UTC instants in epoch milliseconds inside the domain; ISO strings only at the edges.
 */

/** A tracked browser event (docs/tracking.md). */
export type EventType = 'page_view' | 'form_submit';

export interface TrackedEvent {
  /** Stable id of the event (idempotent ingest); derived from its content when the client sends none. */
  eventId: string;
  type: EventType;
  /** `_biz_uid`: 32 lowercase hex chars. */
  visitorId: string;
  url: string;
  /** Document referrer, '' or null when none. */
  referrer: string | null;
  /** Server receive time (R4: sessionize on server time). */
  receivedAt: number;
  /** Client clock, accepted only within a bounded skew of receivedAt (R4). */
  clientTime?: number | null;
  /** Email typed into a submitted form, when the form had one. */
  email?: string | null;
}

/** Attributes of a session's arrival, parsed from its first event's URL and referrer. */
export interface ArrivalAttributes {
  landingPage: string;
  referrerPage: string | null;
  /** Registrable domain of an external referrer (google.co.uk), null for none or same-site. */
  referrerDomain: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmContent: string | null;
  utmTerm: string | null;
  /** e.g. 'gclid=Cj0KCQ…' — the click-id parameter name and value. */
  clickId: string | null;
}

/** A web session (R4) as the sessionizer produces it; channel is assigned later (R12). */
export interface WebSession extends ArrivalAttributes {
  /** Deterministic key (Web_Session__c.Session_Key__c). */
  sessionKey: string;
  visitorId: string;
  startedAt: number;
  lastActivityAt: number;
  pageViews: number;
  formSubmits: number;
  /** Times and URLs of the form submits in this session, in time order. */
  forms: { at: number; url: string; email?: string | null }[];
  /** Ids of the events in this session (R4 property: every event lands in exactly one session). */
  eventIds: string[];
}

/** Channel classification of a session (R12). */
export interface ChannelAssignment {
  channel: string;
  subchannel: string | null;
}

/**
 * A Salesforce Task as the REST API returns it. The BizibleId field name is
 * configurable (R1), so the record is an open map; the join reads it through options.
 */
export interface TaskRecord {
  Id: string;
  Type?: string | null;
  TaskSubtype?: string | null;
  CallType?: string | null;
  CreatedDate: string;
  SystemModstamp?: string;
  CallDurationInSeconds?: number | null;
  Call_Started_At__c?: string | null;
  WhoId?: string | null;
  Call_Touchpoint__c?: string | null;
  Call_Join_Status__c?: string | null;
  Call_Join_Detail__c?: string | null;
  [field: string]: unknown;
}

export type JoinStatus = 'Pending' | 'Merged' | 'Standalone' | 'Missing BizibleId';

/** Records the engine wants in Salesforce: exactly what `simulate` prints and `join` writes. */
export interface WebSessionRecord {
  sobject: 'Web_Session__c';
  Session_Key__c: string;
  BizibleId__c: string;
  Started_At__c: string;
  Last_Activity_At__c: string;
  Landing_Page__c: string | null;
  Referrer_Page__c: string | null;
  Channel__c: string | null;
  Subchannel__c: string | null;
  Source__c: string | null;
  Medium__c: string | null;
  Campaign__c: string | null;
  Content__c: string | null;
  Term__c: string | null;
  Click_Id__c: string | null;
  Page_Views__c: number;
  Form_Submits__c: number;
}

export interface TouchpointRecord {
  sobject: 'Touchpoint__c';
  Touchpoint_Key__c: string;
  BizibleId__c: string;
  Touchpoint_Type__c: string;
  Medium__c: string | null;
  Channel__c: string | null;
  Subchannel__c: string | null;
  Source__c: string | null;
  Campaign__c: string | null;
  Ad_Content__c: string | null;
  Keyword__c: string | null;
  Landing_Page__c: string | null;
  Referrer_Page__c: string | null;
  Form_URL__c: string | null;
  Touchpoint_Date__c: string;
  Position__c: string | null;
  First_Touch_Percent__c: number;
  Lead_Creation_Percent__c: number;
  U_Shaped_Percent__c: number;
  /** Reference by external id: `{ Session_Key__c }` or null for standalone calls. */
  Web_Session__r: { Session_Key__c: string } | null;
  Task_Id__c: string | null;
  Lead__c: string | null;
  Contact__c: string | null;
  Merge_Status__c: string | null;
}

export interface TaskUpdateRecord {
  sobject: 'Task';
  Id: string;
  Call_Join_Status__c: JoinStatus;
  Call_Join_Detail__c: string;
  /** Reference by external id, or null to clear the lookup. */
  Call_Touchpoint__r: { Touchpoint_Key__c: string } | null;
}

export type SalesforceRecord = WebSessionRecord | TouchpointRecord | TaskUpdateRecord;
