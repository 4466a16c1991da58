import type { ActivityFields, TouchpointFields, WebSessionFields } from '../generated/data-model';

/**
 * Plain data shapes shared by the domain (pure) and the edges (store, tracking, Salesforce).
 * Times are UTC instants in epoch milliseconds inside the domain; ISO strings only at the edges.
 * The Salesforce record shapes build on the types generated from force-app/'s field XML
 * (generated/data-model.ts, `npm run generate:model`): a field exists here because its XML does.
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
 * A Salesforce Task as the REST API returns it: standard fields, this project's Activity fields, and
 * any other field (the BizibleId field name is configurable (R1); the join reads it through options).
 */
export type TaskRecord = {
  Id: string;
  Type?: string | null;
  TaskSubtype?: string | null;
  CallType?: string | null;
  CreatedDate: string;
  SystemModstamp?: string;
  CallDurationInSeconds?: number | null;
  WhoId?: string | null;
  [field: string]: unknown;
} & Partial<ActivityFields>;

/** Task.Call_Join_Status__c: the values of its restricted picklist. */
export type JoinStatus = NonNullable<ActivityFields['Call_Join_Status__c']>;

/**
 * The generated field types say what the org accepts (no field is required in the XML: a required field
 * cannot be granted in a permission set). `Filled` narrows the fields the join always fills to non-null.
 */
type Filled<T, K extends keyof T> = { [P in keyof T]: P extends K ? NonNullable<T[P]> : T[P] };

/** Records the engine wants in Salesforce: exactly what `simulate` prints and `join` writes. */
export type WebSessionRecord = { sobject: 'Web_Session__c' } & Filled<
  WebSessionFields,
  | 'Session_Key__c'
  | 'BizibleId__c'
  | 'Started_At__c'
  | 'Last_Activity_At__c'
  | 'Page_Views__c'
  | 'Form_Submits__c'
>;

/** Web_Session__c is written as a reference by external id (`Web_Session__r`), not as an Id. */
export type TouchpointRecord = { sobject: 'Touchpoint__c' } & Filled<
  Omit<TouchpointFields, 'Web_Session__c'>,
  | 'Touchpoint_Key__c'
  | 'BizibleId__c'
  | 'Touchpoint_Type__c'
  | 'Touchpoint_Date__c'
  | 'First_Touch_Percent__c'
  | 'Lead_Creation_Percent__c'
  | 'U_Shaped_Percent__c'
> & {
    /** Reference by external id: `{ Session_Key__c }` or null for standalone calls. */
    Web_Session__r: { Session_Key__c: string } | null;
  };

export interface TaskUpdateRecord {
  sobject: 'Task';
  Id: string;
  Call_Join_Status__c: JoinStatus;
  /** R23: why (join-reason.ts). */
  Call_Join_Reason__c: NonNullable<ActivityFields['Call_Join_Reason__c']>;
  Call_Join_Detail__c: NonNullable<ActivityFields['Call_Join_Detail__c']>;
  /** Reference by external id, or null to clear the lookup. */
  Call_Touchpoint__r: { Touchpoint_Key__c: string } | null;
}

export type SalesforceRecord = WebSessionRecord | TouchpointRecord | TaskUpdateRecord;
