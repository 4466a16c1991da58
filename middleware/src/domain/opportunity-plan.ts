import { DATA_MODEL, type OpportunityTouchpointFields } from '../generated/data-model';
import type { OpportunityInput, OpportunityMapping } from './opportunity-input';
import { modelCredit, OPPORTUNITY_MODELS, type OpportunityModel } from './opportunity-models';
import {
  positionHolders,
  positionLabel,
  positionsAt,
  type OpportunityPosition,
} from './opportunity-positions';
import { amountCents, centsToAmount, revenueCents } from './opportunity-revenue';
import { positionDetail } from './opportunity-detail';
import { countedTouchpoints, endOfCloseDate, type OpportunityNote } from './opportunity-touchpoints';
import { isoInstant } from './time';
import { fitter } from './records';

/**
 * planOpportunity: everything that should exist in Opportunity_Touchpoint__c for one Opportunity
 * (R13–R17). The plan is complete per Opportunity, like planJoin's per visitor (R11): the writer
 * upserts by Opportunity_Touchpoint_Key__c and deletes that Opportunity's records whose keys are not
 * in the plan. Re-planning the same input gives identical records.
 */

/** Touchpoint__c is referenced by its external id (`Touchpoint__r`), like Web_Session__r. */
export type OpportunityTouchpointRecord = { sobject: 'Opportunity_Touchpoint__c' } & Omit<
  OpportunityTouchpointFields,
  'Touchpoint__c'
> & {
    Opportunity_Touchpoint_Key__c: string;
    Opportunity__c: string;
    Contact__c: string;
    Touchpoint_Date__c: string;
    Touchpoint__r: { Touchpoint_Key__c: string };
  };

/** One counted touchpoint's place on the Opportunity, for explanations (the record page). */
export interface OpportunityTouchpointFacts {
  key: string;
  touchpointKey: string;
  date: number;
  positions: OpportunityPosition[];
  /** Hundredths per model. */
  credit: Record<OpportunityModel, number>;
  /** Cents per model; null without revenue (R17). */
  revenue: Record<OpportunityModel, bigint> | null;
}

export interface OpportunityPlan {
  opportunityId: string;
  /** In time order (date, then touchpoint key). */
  records: OpportunityTouchpointRecord[];
  facts: OpportunityTouchpointFacts[];
  /** Bad input and what was done about it (R13, R17); never an exception. */
  notes: OpportunityNote[];
}

/** `otp:<Opportunity Id>/<Touchpoint_Key__c>`: one record per (Opportunity, touchpoint), stable across runs. */
export function opportunityTouchpointKey(opportunityId: string, touchpointKey: string): string {
  return `otp:${opportunityId}/${touchpointKey}`;
}

const fit = fitter(DATA_MODEL.Opportunity_Touchpoint__c);

/** Hundredths as a Percent value: 2250 → 22.5. */
const percent = (hundredths: number): number => hundredths / 100;

/**
 * R17: Amount × credit; no Amount → no revenue (percents still written); decided: a negative Amount
 * (a credit note or a typing error) credits no revenue either, with a note.
 */
function revenueOf(input: OpportunityInput, notes: OpportunityNote[]): bigint | null {
  const { id, amount } = input.opportunity;
  if (amount === null || !Number.isFinite(amount)) {
    notes.push({ code: 'no-amount', message: `Opportunity ${id} has no Amount: percents only, no revenue.` });
    return null;
  }
  if (amount < 0) {
    notes.push({
      code: 'negative-amount',
      message: `Opportunity ${id} has a negative Amount (${amount}): percents only, no revenue.`,
    });
    return null;
  }
  return amountCents(amount);
}

export function planOpportunity(input: OpportunityInput, mapping: OpportunityMapping): OpportunityPlan {
  const opp = input.opportunity;
  const notes: OpportunityNote[] = [];
  const counted = countedTouchpoints(input, mapping, notes);
  const holders = positionHolders(counted, opp.createdAt);
  const credit = {} as Record<OpportunityModel, number[]>;
  for (const model of OPPORTUNITY_MODELS) credit[model] = modelCredit(model, holders, counted.length);
  const total = counted.length > 0 ? revenueOf(input, notes) : null;
  const revenue = {} as Record<OpportunityModel, bigint[]>;
  if (total !== null)
    for (const model of OPPORTUNITY_MODELS) revenue[model] = revenueCents(total, credit[model]);
  const money = (model: OpportunityModel, i: number): number | null =>
    total === null ? null : centsToAmount(revenue[model][i]);

  const closeEnd = endOfCloseDate(opp.closeDate);
  const records: OpportunityTouchpointRecord[] = [];
  const facts: OpportunityTouchpointFacts[] = [];
  counted.forEach((tp, i) => {
    const key = opportunityTouchpointKey(opp.id, tp.key);
    const positions = positionsAt(holders, i);
    // A touch without a position is credited only through a model's middle share (R16).
    const middleOf = positions.length === 0 ? OPPORTUNITY_MODELS.filter((m) => credit[m][i] > 0) : [];
    const detail = positionDetail({
      positions,
      isClosed: opp.isClosed,
      createdAt: opp.createdAt,
      closeEnd,
      middleOf,
    });
    records.push({
      sobject: 'Opportunity_Touchpoint__c',
      Opportunity_Touchpoint_Key__c: key,
      Opportunity__c: opp.id,
      Touchpoint__r: { Touchpoint_Key__c: tp.key },
      Contact__c: tp.personContactId,
      Account__c: opp.accountId,
      Touchpoint_Date__c: isoInstant(tp.date),
      Channel__c: fit('Channel__c', tp.channel),
      Touchpoint_Type__c: fit('Touchpoint_Type__c', tp.type),
      Position__c: fit('Position__c', positionLabel(holders, i, opp.isClosed)),
      Position_Detail__c: fit('Position_Detail__c', detail),
      First_Touch_Percent__c: percent(credit.firstTouch[i]),
      Lead_Creation_Percent__c: percent(credit.leadCreation[i]),
      U_Shaped_Percent__c: percent(credit.uShaped[i]),
      W_Shaped_Percent__c: percent(credit.wShaped[i]),
      Full_Path_Percent__c: percent(credit.fullPath[i]),
      First_Touch_Revenue__c: money('firstTouch', i),
      Lead_Creation_Revenue__c: money('leadCreation', i),
      U_Shaped_Revenue__c: money('uShaped', i),
      W_Shaped_Revenue__c: money('wShaped', i),
      Full_Path_Revenue__c: money('fullPath', i),
    });
    const perModel = <T>(pick: (model: OpportunityModel) => T) =>
      Object.fromEntries(OPPORTUNITY_MODELS.map((m) => [m, pick(m)])) as Record<OpportunityModel, T>;
    facts.push({
      key,
      touchpointKey: tp.key,
      date: tp.date,
      positions,
      credit: perModel((m) => credit[m][i]),
      revenue: total === null ? null : perModel((m) => revenue[m][i]),
    });
  });
  return { opportunityId: opp.id, records, facts, notes };
}
