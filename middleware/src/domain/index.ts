/**
 * The join engine's public API (pure: plain data in, plain data out; rules R1–R12 of the design).
 * Read in this order: arrival → sessionize (R4) → channels (R12) → calls (R1–R3) → match (R5) →
 * journey (R9, R10) → join (R6–R8, R11) → records / detail; then per Opportunity: opportunity-input →
 * opportunity-touchpoints (R13, R14) → opportunity-positions (R15) → opportunity-models (R16) →
 * opportunity-revenue (R17) → opportunity-plan.
 */
export * from './types';
export { parseArrival, registrableDomain, isExternalArrival, CLICK_ID_PARAMS } from './arrival';
export { eventIdFor, sessionKeyFor } from './event-id';
export {
  parseEventLines,
  parseEventLine,
  parseNdjson,
  listProblems,
  isoInstantField,
  EventLinesError,
  MAX_REPORTED_PROBLEMS,
} from './event-lines';
export {
  sessionize,
  extendSession,
  eventTime,
  DEFAULT_SESSIONIZE_OPTIONS,
  type SessionizeOptions,
} from './sessionize';
export {
  parseChannelSheet,
  classify,
  classifyActivity,
  ChannelSheetError,
  SHEET_COLUMNS,
  CRM_ACTIVITY_SOURCE,
  DEFAULT_OFFLINE_CHANNEL,
  type ChannelRules,
  type ChannelRule,
} from './channels';
export { defaultChannelRules, defaultChannelSheetPath } from './default-channels';
export {
  bizibleIdOf,
  callTime,
  callTimeWithBasis,
  isCallTask,
  taskTypeOf,
  whoOf,
  DEFAULT_BIZIBLE_ID_FIELD,
  type CallTimeBasis,
} from './calls';
export { matchCall, DEFAULT_JOIN_OPTIONS, type JoinOptions, type CallMatch } from './match';
export {
  assignPositions,
  POSITION_FT,
  POSITION_LC,
  POSITION_POST_LC,
  type JourneyTouchpoint,
} from './journey';
export {
  planJoin,
  sessionTouchpointKey,
  callTouchpointKey,
  WEB_VISIT,
  WEB_FORM,
  type JoinInput,
  type JoinPlan,
  type JoinSummary,
} from './join';
export {
  ACTIVITY_FIELDS,
  toWebSessionRecord,
  toTouchpointRecord,
  truncate,
  type TouchpointFacts,
} from './records';
export {
  AUTOMATED_TRAFFIC_DETAIL,
  JOIN_DETAIL_MAX,
  MISSING_BIZIBLE_ID_DETAIL,
  NO_CONSENT_CALL_DETAIL,
  NO_CONSENT_DETAIL,
  mergedDetail,
  standaloneDetail,
} from './detail';
export { parseInstant } from './time';
export {
  OPPORTUNITY_MAPPINGS,
  DEFAULT_OPPORTUNITY_MAPPING,
  type OpportunityMapping,
  type OpportunityFacts,
  type OpportunityInput,
  type ContactRoleFacts,
  type ContactFacts,
  type LeadConversion,
  type PersonTouchpoint,
} from './opportunity-input';
export {
  countedTouchpoints,
  contactOfTouchpoint,
  touchpointsToMove,
  endOfCloseDate,
  type CountedTouchpoint,
  type OpportunityNote,
} from './opportunity-touchpoints';
export { OPPORTUNITY_POSITIONS, POSITION_PENDING, type OpportunityPosition } from './opportunity-positions';
export { OPPORTUNITY_MODELS, MODEL_SHAPES, modelCredit, type OpportunityModel } from './opportunity-models';
export {
  planOpportunity,
  opportunityTouchpointKey,
  type OpportunityPlan,
  type OpportunityTouchpointRecord,
  type OpportunityTouchpointFacts,
} from './opportunity-plan';
export {
  opportunityInputs,
  withVisitorPeople,
  type OpportunityReads,
  type ReadTouchpoint,
} from './opportunity-assemble';
export {
  callerLeadRecord,
  pendingLeadId,
  isPendingLeadId,
  PLACEHOLDER_COMPANY,
  DEFAULT_LEAD_SOURCE,
  type CallerLeadFacts,
} from './caller-lead';
export { pickCaller, type CallerCandidate } from './caller-pick';
export {
  callerOutcomeOfDetail,
  callerSentence,
  joinReason,
  joinReasonLabel,
  pickOutcome,
  withCallerSentence,
  type AttributionOutcome,
  type CallerOutcome,
  type JoinReason,
  type PickWhy,
} from './join-reason';
