import type { OpportunityEvents } from '../../join';
import type { TaskChange } from './taskChangeEvent';

/**
 * The pure rule of which Opportunity, OpportunityContactRole and Lead change events re-plan which
 * Opportunities (R13–R17). All three objects support change events (Object Reference,
 * "StandardObjectNameChangeEvent":
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/api/sforce_api_associated_objects_change_event.htm).
 * Header and body as for Tasks (taskChangeEvent.ts): an update carries only the changed fields, a
 * delete none; gap events name records without their changes; a GAP_OVERFLOW names none
 * (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm).
 */
export const OPPORTUNITY_CDC_ENTITIES = ['Opportunity', 'OpportunityContactRole', 'Lead'] as const;
export type OpportunityCdcEntity = (typeof OPPORTUNITY_CDC_ENTITIES)[number];

/** The change event channel of an entity (CDC Developer Guide, "Subscription Channels"). */
export const changeTopic = (entity: string): string => `/data/${entity}ChangeEvent`;

/** Opportunity fields the plan reads (opportunity-read.ts): an update of any other field re-plans nothing. */
const OPPORTUNITY_INPUTS = new Set(['AccountId', 'Amount', 'StageName', 'CloseDate', 'IsClosed', 'IsWon']);
/** Contact role fields the plan reads (OpportunityId cannot be updated: Object Reference, OpportunityContactRole). */
const ROLE_INPUTS = new Set(['ContactId', 'IsPrimary']);
const GAPS = new Set(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']);

export type OpportunityEventAction =
  | { kind: 'replan'; events: Partial<OpportunityEvents> }
  | { kind: 'ignore' }
  | { kind: 'catch-up' }
  | { kind: 'unknown' };

const IGNORE: OpportunityEventAction = { kind: 'ignore' };

export function opportunityEventAction(entity: OpportunityCdcEntity, c: TaskChange): OpportunityEventAction {
  if (c.changeType === 'GAP_OVERFLOW') return { kind: 'catch-up' };
  if (!['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'].includes(c.changeType) && !GAPS.has(c.changeType))
    return { kind: 'unknown' };
  const touches = (inputs: ReadonlySet<string>) => c.changedFields.some((f) => inputs.has(f));
  switch (entity) {
    case 'Opportunity':
      // Created, deleted, undeleted, or Amount / Stage / CloseDate / Account changed.
      return c.changeType === 'UPDATE' && !touches(OPPORTUNITY_INPUTS)
        ? IGNORE
        : { kind: 'replan', events: { opportunityIds: c.recordIds } };
    case 'OpportunityContactRole': {
      if (c.changeType === 'UPDATE' && !touches(ROLE_INPUTS)) return IGNORE;
      // A create or undelete event carries OpportunityId (every field); the others are looked up.
      const opp = c.body.OpportunityId;
      return (c.changeType === 'CREATE' || c.changeType === 'UNDELETE') && typeof opp === 'string'
        ? { kind: 'replan', events: { opportunityIds: [opp] } }
        : { kind: 'replan', events: { roleIds: c.recordIds } };
    }
    case 'Lead':
      return leadAction(c);
  }
}

/**
 * A lead conversion is a Lead update whose event carries IsConverted, ConvertedContactId and
 * ConvertedOpportunityId (CDC Developer Guide, "Change Events for Lead Conversion",
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_standard_objects_lead_conversion.htm).
 * Its Contact's Opportunities and the new Opportunity are re-planned. A gap on a Lead could hide a
 * conversion: one poll round catches up. Other Lead changes do not touch Opportunities.
 */
function leadAction(c: TaskChange): OpportunityEventAction {
  if (GAPS.has(c.changeType)) return { kind: 'catch-up' };
  const contactId = c.body.ConvertedContactId;
  if (
    c.changeType !== 'UPDATE' ||
    !c.changedFields.includes('IsConverted') ||
    c.body.IsConverted !== true ||
    typeof contactId !== 'string'
  )
    return IGNORE;
  const opp = c.body.ConvertedOpportunityId;
  return {
    kind: 'replan',
    events: {
      conversions: c.recordIds.map((leadId) => ({ leadId, contactId })),
      opportunityIds: typeof opp === 'string' ? [opp] : [],
    },
  };
}
