import { soqlName } from './soql';

/**
 * A vendor call as a Salesforce Task (docs/vendors.md, "One Task per call"). The Task is keyed by
 * Vendor_Call_Id__c (external id, unique), so retries, concurrent deliveries and corrections all land on
 * one Task (R11).
 */

export const VENDOR_CALL_ID_FIELD = 'Vendor_Call_Id__c';

/**
 * SOQL condition for "a call Task", the SOQL side of `isCallTask` (domain/calls.ts) plus a non-empty
 * BizibleId: what the join reads and the only Tasks the pages show. Salesforce keeps an empty text
 * field as null, so `!= null` means non-empty ("Use null in WHERE", SOQL and SOSL Reference:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_null.htm).
 */
export function callTaskCondition(bizibleIdField: string): string {
  const biz = soqlName(bizibleIdField);
  return `(${biz} != null OR Type LIKE '%Call%' OR TaskSubtype = 'Call' OR CallType != null)`;
}
