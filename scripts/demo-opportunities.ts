import fs from 'node:fs';
import type { OrgConnection } from '../middleware/src/salesforce/connection';
import { projectFile } from '../middleware/src/project-root';
import type { OpportunityData } from '../middleware/src/web/opportunity-data';

/**
 * Demo Opportunities for tests and `npm run screenshots`: Opportunity_Touchpoint__c records inserted straight
 * into the org, as the join writes them (R13–R17), from the LWC's jest fixtures; the Opportunity preview and
 * the revenue report read them back.
 */
export function lwcFixture(name: 'personAPersonB' | 'openWithCalls'): OpportunityData {
  const file = projectFile(
    'force-app',
    'main',
    'default',
    'lwc',
    'opportunityCallTouchpoints',
    '__tests__',
    'data',
    `${name}.json`,
  );
  return JSON.parse(fs.readFileSync(file, 'utf8')) as OpportunityData;
}

async function create(
  conn: OrgConnection,
  object: string,
  records: Record<string, unknown>[],
): Promise<string[]> {
  const res = (await conn.conn
    .sobject(object)
    .create(records as never[], { allOrNone: true })) as unknown as {
    id: string;
    success: boolean;
  }[];
  if (res.some((r) => !r.success)) throw new Error(`${object} create failed`);
  return res.map((r) => r.id);
}

const FIELD_OF: Record<string, string> = {
  touchpointDate: 'Touchpoint_Date__c',
  channel: 'Channel__c',
  touchpointType: 'Touchpoint_Type__c',
  position: 'Position__c',
  positionDetail: 'Position_Detail__c',
  firstTouchPercent: 'First_Touch_Percent__c',
  leadCreationPercent: 'Lead_Creation_Percent__c',
  uShapedPercent: 'U_Shaped_Percent__c',
  wShapedPercent: 'W_Shaped_Percent__c',
  fullPathPercent: 'Full_Path_Percent__c',
  firstTouchRevenue: 'First_Touch_Revenue__c',
  leadCreationRevenue: 'Lead_Creation_Revenue__c',
  uShapedRevenue: 'U_Shaped_Revenue__c',
  wShapedRevenue: 'W_Shaped_Revenue__c',
  fullPathRevenue: 'Full_Path_Revenue__c',
};

/**
 * An Account with the fixture's people as Contacts, the Opportunity (its Amount, closed won or open) and one
 * Opportunity_Touchpoint__c per fixture touchpoint, inserted in reverse time order (the readers sort).
 */
export async function insertOpportunity(
  conn: OrgConnection,
  fixture: OpportunityData,
  name = fixture.name ?? 'Opportunity',
): Promise<string> {
  const [accountId] = await create(conn, 'Account', [{ Name: `${name} account` }]);
  const people = [...new Set((fixture.touchpoints ?? []).map((tp) => tp.contactName ?? 'Someone'))];
  const contactIds = await create(
    conn,
    'Contact',
    people.map((person) => {
      const [first, ...last] = person.split(' ');
      return { FirstName: first, LastName: last.join(' ') || first, AccountId: accountId };
    }),
  );
  const contactOf = new Map(people.map((p, i) => [p, contactIds[i]]));
  const [opportunityId] = await create(conn, 'Opportunity', [
    {
      Name: name,
      AccountId: accountId,
      Amount: fixture.amount ?? null,
      StageName: fixture.isClosed ? (fixture.isWon ? 'Closed Won' : 'Closed Lost') : 'Prospecting',
      CloseDate: fixture.closeDate ?? '2026-04-30',
    },
  ]);
  const records = (fixture.touchpoints ?? []).map((tp, i) => {
    const record: Record<string, unknown> = {
      Opportunity_Touchpoint_Key__c: `otp:${opportunityId}/tp:${i}`,
      Opportunity__c: opportunityId,
      Account__c: accountId,
      Contact__c: contactOf.get(tp.contactName ?? 'Someone'),
    };
    for (const [prop, field] of Object.entries(FIELD_OF)) {
      const value = (tp as Record<string, unknown>)[prop];
      if (value !== undefined) record[field] = value;
    }
    return record;
  });
  if (records.length) await create(conn, 'Opportunity_Touchpoint__c', records.reverse());
  return opportunityId;
}
