import fs from 'node:fs';
import path from 'node:path';
import { projectFile } from '../../src/project-root';
import {
  buildOpportunityData,
  opportunityDataSchema,
  type OpportunityData,
} from '../../src/web/opportunity-data';

/**
 * The Opportunity preview answers the real LWC's Apex wire with buildOpportunityData's result: it must be
 * what OpportunityTouchpointsController.getTouchpoints returns, which the LWC's jest fixtures record.
 */
const FIXTURES = projectFile(
  'force-app',
  'main',
  'default',
  'lwc',
  'opportunityCallTouchpoints',
  '__tests__',
  'data',
);
const fixture = (name: string): OpportunityData =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as OpportunityData;

/** personAPersonB.json's records as a REST query returns them: +0000 instants, nulls, Contact__r nested. */
function restRows(data: OpportunityData) {
  const opportunity = {
    Id: data.opportunityId,
    Name: data.name,
    Amount: data.amount,
    IsClosed: data.isClosed,
    IsWon: data.isWon,
    CreatedDate: data.createdDate?.replace('.000Z', '.000+0000'),
    CloseDate: data.closeDate,
  };
  const rows = (data.touchpoints ?? []).map((tp) => ({
    attributes: { type: 'Opportunity_Touchpoint__c' },
    Id: tp.id,
    Name: tp.name,
    Touchpoint__c: tp.touchpointId,
    Contact__c: tp.contactId,
    Contact__r: { attributes: { type: 'Contact' }, Name: tp.contactName },
    Touchpoint_Date__c: tp.touchpointDate?.replace('.000Z', '.000+0000'),
    Channel__c: tp.channel,
    Touchpoint_Type__c: tp.touchpointType,
    Position__c: tp.position ?? null,
    Position_Detail__c: tp.positionDetail,
    First_Touch_Percent__c: tp.firstTouchPercent,
    Lead_Creation_Percent__c: tp.leadCreationPercent,
    U_Shaped_Percent__c: tp.uShapedPercent,
    W_Shaped_Percent__c: tp.wShapedPercent,
    Full_Path_Percent__c: tp.fullPathPercent,
    First_Touch_Revenue__c: tp.firstTouchRevenue,
    Lead_Creation_Revenue__c: tp.leadCreationRevenue,
    U_Shaped_Revenue__c: tp.uShapedRevenue,
    W_Shaped_Revenue__c: tp.wShapedRevenue,
    Full_Path_Revenue__c: tp.fullPathRevenue,
  }));
  return { opportunity, rows };
}

describe('opportunity-data: the controller answer the preview serves', () => {
  test.each(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && f !== 'apexError.json'))(
    'the LWC fixture %s parses with the strict schema',
    (name) => {
      expect(() => opportunityDataSchema.parse(fixture(name))).not.toThrow();
    },
  );

  test("Person A / Person B: built from the org's rows it equals the LWC's fixture", () => {
    const want = fixture('personAPersonB.json');
    const { opportunity, rows } = restRows(want);
    const built = buildOpportunityData(opportunity, rows, 'USD');
    expect(opportunityDataSchema.parse(built)).toEqual(want);
  });

  test('no touchpoints: empty; no Opportunity: notFound; no Amount: no amount property', () => {
    const { opportunity } = restRows(fixture('personAPersonB.json'));
    expect(buildOpportunityData(opportunity, [], 'USD').state).toBe('empty');
    expect(buildOpportunityData(null, [], 'USD')).toEqual({ state: 'notFound' });
    expect(buildOpportunityData({ ...opportunity, Amount: null }, [], 'USD')).not.toHaveProperty('amount');
  });
});
