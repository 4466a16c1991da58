import { z } from 'zod';
import type { OpportunityTouchpointFields } from '../generated/data-model';
import { errorCode } from '../salesforce/error-class';
import type { SalesforcePort } from '../salesforce/port';
import { soqlString } from '../salesforce/soql';
import { NO_ACCESS_CODES, RECORD_ID } from './panel-data';

/**
 * What `OpportunityTouchpointsController.getTouchpoints` (force-app) returns to the
 * `opportunityCallTouchpoints` LWC, built here from the same two reads (the Opportunity, its
 * Opportunity_Touchpoint__c records in time order). The Opportunity preview serves it as
 * /opportunities/:id/touchpoints.json, where the real LWC's Apex wire gets it
 * (web/panel-preview/stand-ins/opportunity-apex.js). The schemas are strict: the LWC's jest fixtures
 * (force-app/…/opportunityCallTouchpoints/__tests__/data/*.json) must parse with them
 * (opportunity-data.unit.test.ts).
 */

const id = z.string();
const instant = z.string(); // Apex Datetime → ISO 8601 in UTC with milliseconds
const num = z.number();

export const opportunityTouchpointDataSchema = z.strictObject({
  id,
  name: z.string().optional(),
  touchpointId: id.optional(),
  contactId: id.optional(),
  contactName: z.string().optional(),
  touchpointDate: instant.optional(),
  channel: z.string().optional(),
  touchpointType: z.string().optional(),
  position: z.string().optional(),
  positionDetail: z.string().optional(),
  firstTouchPercent: num.optional(),
  leadCreationPercent: num.optional(),
  uShapedPercent: num.optional(),
  wShapedPercent: num.optional(),
  fullPathPercent: num.optional(),
  firstTouchRevenue: num.optional(),
  leadCreationRevenue: num.optional(),
  uShapedRevenue: num.optional(),
  wShapedRevenue: num.optional(),
  fullPathRevenue: num.optional(),
});

/** OpportunityData.state of the controller. */
export const OPPORTUNITY_STATES = ['ok', 'empty', 'noAccess', 'notFound'] as const;

export const opportunityDataSchema = z.strictObject({
  state: z.enum(OPPORTUNITY_STATES),
  opportunityId: id.optional(),
  name: z.string().optional(),
  amount: num.optional(),
  currencyCode: z.string().optional(),
  isClosed: z.boolean().optional(),
  isWon: z.boolean().optional(),
  createdDate: instant.optional(),
  /** Apex Date → YYYY-MM-DD. */
  closeDate: z.string().optional(),
  touchpoints: z.array(opportunityTouchpointDataSchema).optional(),
  truncated: z.boolean().optional(),
  message: z.string().optional(),
});

export type OpportunityData = z.infer<typeof opportunityDataSchema>;
export type OpportunityTouchpointData = z.infer<typeof opportunityTouchpointDataSchema>;

/** As the controller's MAX_TOUCHPOINTS. */
export const MAX_TOUCHPOINTS = 500;
/** Key prefix of Opportunity ids; the controller answers notFound for an id of another object. */
const OPPORTUNITY_KEY_PREFIX = '006';
/**
 * The currency of the revenue fields. The controller answers the Opportunity's CurrencyIsoCode in a
 * multi-currency org and the org's currency otherwise; the preview assumes a single-currency org in US
 * dollars, which the local org is (its SOAP login answers orgDefaultCurrencyIsoCode USD).
 */
export const PREVIEW_CURRENCY = 'USD';

type Row = Record<string, unknown>;

// Field → TouchpointData property, in the controller's query order (readTouchpoints).
const TOUCHPOINT_FIELDS = {
  Id: 'id',
  Name: 'name',
  Touchpoint__c: 'touchpointId',
  Contact__c: 'contactId',
  Touchpoint_Date__c: 'touchpointDate',
  Channel__c: 'channel',
  Touchpoint_Type__c: 'touchpointType',
  Position__c: 'position',
  Position_Detail__c: 'positionDetail',
  First_Touch_Percent__c: 'firstTouchPercent',
  Lead_Creation_Percent__c: 'leadCreationPercent',
  U_Shaped_Percent__c: 'uShapedPercent',
  W_Shaped_Percent__c: 'wShapedPercent',
  Full_Path_Percent__c: 'fullPathPercent',
  First_Touch_Revenue__c: 'firstTouchRevenue',
  Lead_Creation_Revenue__c: 'leadCreationRevenue',
  U_Shaped_Revenue__c: 'uShapedRevenue',
  W_Shaped_Revenue__c: 'wShapedRevenue',
  Full_Path_Revenue__c: 'fullPathRevenue',
} as const satisfies Partial<
  Record<keyof OpportunityTouchpointFields | 'Id' | 'Name', keyof OpportunityTouchpointData>
>;
const OPPORTUNITY_FIELDS = ['Id', 'Name', 'Amount', 'IsClosed', 'IsWon', 'CreatedDate', 'CloseDate'];

/** Datetime as Apex serializes it to the LWC ("2026-03-10T13:05:00.000Z"); REST sends "…+0000". */
function isoInstant(v: unknown): string | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const present = (v: unknown) => v !== null && v !== undefined && v !== '';

function touchpointData(row: Row): OpportunityTouchpointData {
  const out: Row = {};
  for (const [field, prop] of Object.entries(TOUCHPOINT_FIELDS)) {
    const v = row[field];
    if (!present(v)) continue;
    out[prop] = prop === 'touchpointDate' ? isoInstant(v) : v;
  }
  const contactName = (row.Contact__r as { Name?: unknown } | null | undefined)?.Name;
  if (typeof contactName === 'string' && contactName) out.contactName = contactName;
  return out as OpportunityTouchpointData;
}

/** Pure: the controller's answer from the rows read (null = not readable / not there). */
export function buildOpportunityData(
  opportunity: Row | null,
  touchpointRows: Row[],
  currencyCode: string,
): OpportunityData {
  if (!opportunity) return { state: 'notFound' };
  const touchpoints = touchpointRows.map(touchpointData);
  const data: OpportunityData = {
    state: touchpoints.length ? 'ok' : 'empty',
    opportunityId: String(opportunity.Id),
    name: typeof opportunity.Name === 'string' ? opportunity.Name : undefined,
    amount: typeof opportunity.Amount === 'number' ? opportunity.Amount : undefined,
    currencyCode,
    isClosed: opportunity.IsClosed === true,
    isWon: opportunity.IsWon === true,
    createdDate: isoInstant(opportunity.CreatedDate),
    closeDate: typeof opportunity.CloseDate === 'string' ? opportunity.CloseDate : undefined,
    touchpoints,
    truncated: touchpoints.length === MAX_TOUCHPOINTS,
  };
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as OpportunityData;
}

/** Reads the records as the controller does and answers like it, noAccess included. */
export async function loadOpportunityData(
  sf: SalesforcePort,
  opportunityId: string,
): Promise<OpportunityData> {
  if (!RECORD_ID.test(opportunityId) || !opportunityId.startsWith(OPPORTUNITY_KEY_PREFIX))
    return { state: 'notFound' };
  try {
    const [opportunity] = await sf.query<Row>(
      `SELECT ${OPPORTUNITY_FIELDS.join(', ')} FROM Opportunity WHERE Id = ${soqlString(opportunityId)} LIMIT 1`,
    );
    if (!opportunity) return { state: 'notFound', opportunityId };
    const rows = await sf.query<Row>(
      `SELECT ${[...Object.keys(TOUCHPOINT_FIELDS), 'Contact__r.Name'].join(', ')} FROM Opportunity_Touchpoint__c ` +
        `WHERE Opportunity__c = ${soqlString(opportunityId)} ` +
        `ORDER BY Touchpoint_Date__c ASC NULLS LAST, Opportunity_Touchpoint_Key__c ASC LIMIT ${MAX_TOUCHPOINTS}`,
    );
    return buildOpportunityData(opportunity, rows, PREVIEW_CURRENCY);
  } catch (err) {
    if (!NO_ACCESS_CODES.has(errorCode(err))) throw err;
    return { state: 'noAccess', opportunityId, message: (err as Error).message };
  }
}
