// The five attribution models of an Opportunity (R16, docs/join-rules.md) and how its touchpoints read:
// positions spelled out (R15) and calls marked. A shared module without a template, as lwc-recipes' ldsUtils.
import LABELS from 'c/opportunityTouchpointLabels';

/** Each model's percent and revenue property in OpportunityTouchpointsController.TouchpointData. */
export const MODELS = [
  {
    value: 'firstTouch',
    label: LABELS.modelFirstTouch,
    help: LABELS.modelFirstTouchHelp,
    percent: 'firstTouchPercent',
    revenue: 'firstTouchRevenue',
  },
  {
    value: 'leadCreation',
    label: LABELS.modelLeadCreation,
    help: LABELS.modelLeadCreationHelp,
    percent: 'leadCreationPercent',
    revenue: 'leadCreationRevenue',
  },
  {
    value: 'uShaped',
    label: LABELS.modelUShaped,
    help: LABELS.modelUShapedHelp,
    percent: 'uShapedPercent',
    revenue: 'uShapedRevenue',
  },
  {
    value: 'wShaped',
    label: LABELS.modelWShaped,
    help: LABELS.modelWShapedHelp,
    percent: 'wShapedPercent',
    revenue: 'wShapedRevenue',
  },
  {
    value: 'fullPath',
    label: LABELS.modelFullPath,
    help: LABELS.modelFullPathHelp,
    percent: 'fullPathPercent',
    revenue: 'fullPathRevenue',
  },
];

/** Decided: the model shown first is W-shaped, the pipeline model that credits the opportunity's creation. */
export const DEFAULT_MODEL = 'wShaped';

export function modelOf(value) {
  return MODELS.find((m) => m.value === value) || MODELS.find((m) => m.value === DEFAULT_MODEL);
}

const POSITION_NAMES = {
  FT: LABELS.positionFT,
  LC: LABELS.positionLC,
  OC: LABELS.positionOC,
  Closed: LABELS.positionClosed,
  Pending: LABELS.positionPending,
};

/** Position__c "FT, LC, Pending" → [{ code: 'FT', name: 'First Touch' }, …]; [] for a middle touch. */
export function positionsOf(position) {
  return String(position || '')
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean)
    .map((code) => ({ code, name: POSITION_NAMES[code] || code }));
}

/**
 * A call touchpoint's type is its Task's Type (R6): "Call", "Phone Call", "Inbound Call"… A type naming
 * a call is a call, as R2 reads Task.Type (middleware/src/domain/calls.ts, namesACall).
 */
export function isCallType(touchpointType) {
  return /\bcall\b/i.test(String(touchpointType || ''));
}

/** A number field as the component reads it: null when empty. */
export function numberOrNull(value) {
  return value === undefined || value === null || value === '' ? null : Number(value);
}
