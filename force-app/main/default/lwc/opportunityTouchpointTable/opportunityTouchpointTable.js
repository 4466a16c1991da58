import { LightningElement, api } from 'lwc';
import LABELS from 'c/opportunityTouchpointLabels';
import { formatDay, formatLabel, localizeUtcDays } from 'c/callTouchpointFormat';
import { isCallType, modelOf, numberOrNull, positionsOf } from 'c/opportunityTouchpointModels';

/** Sums in hundredths, so 22.5 + 22.5 + 10 + 22.5 + 22.5 is 100, not 99.99999999999999. */
function sumHundredths(values) {
  return Math.round(values.reduce((sum, v) => sum + Math.round(v * 100), 0)) / 100;
}

/**
 * The Opportunity's touchpoints in time order: when, channel and type, whose, the positions spelled out
 * (R15) and why it holds them, then its credit and revenue in the chosen model (R16, R17).
 */
export default class OpportunityTouchpointTable extends LightningElement {
  /** OpportunityTouchpointsController.TouchpointData[], in time order. */
  @api touchpoints;
  /** A MODELS value: firstTouch | leadCreation | uShaped | wShaped | fullPath. */
  @api model;
  /** ISO 4217 code of the revenue fields. */
  @api currencyCode;

  labels = LABELS;

  get caption() {
    return modelOf(this.model).label;
  }

  get rows() {
    const model = modelOf(this.model);
    return (this.touchpoints || []).map((tp) => {
      const percent = numberOrNull(tp[model.percent]);
      const revenue = numberOrNull(tp[model.revenue]);
      const positions = positionsOf(tp.position);
      const isCall = isCallType(tp.touchpointType);
      return {
        id: tp.id,
        day: formatDay(tp.touchpointDate),
        line: formatLabel(LABELS.touchLine, tp.channel || '', tp.touchpointType || ''),
        person: tp.contactName ? formatLabel(LABELS.person, tp.contactName) : '',
        isCall,
        callFlag: isCall ? 'true' : 'false',
        position: tp.position || '',
        positions,
        hasPositions: positions.length > 0,
        detail: tp.positionDetail ? localizeUtcDays(tp.positionDetail) : LABELS.detailMissing,
        percent,
        hasPercent: percent !== null,
        percentFraction: percent === null ? null : percent / 100,
        revenue,
        hasRevenue: revenue !== null,
      };
    });
  }

  get totals() {
    const rows = this.rows;
    const percent = sumHundredths(rows.filter((r) => r.hasPercent).map((r) => r.percent));
    const withRevenue = rows.filter((r) => r.hasRevenue);
    const revenue = sumHundredths(withRevenue.map((r) => r.revenue));
    return {
      percent,
      percentFraction: percent / 100,
      revenue,
      hasRevenue: withRevenue.length > 0,
    };
  }
}
