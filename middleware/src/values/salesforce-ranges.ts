/**
 * The value ranges Salesforce accepts, in one place: a value outside them is refused by the org, so
 * it is refused (or cleaned) at our door instead (docs/security.md, "One door for values").
 */

/**
 * Date and DateTime values: "The earliest valid date is 1700-01-01T00:00:00Z GMT … The latest valid
 * date is 4000-12-31T00:00:00Z GMT" (Data Loader Guide, "Data Import Dates":
 * https://developer.salesforce.com/docs/atlas.en-us.dataLoader.meta/dataLoader/data_loader_dates.htm;
 * the same range is in Salesforce Help article 000383587).
 */
export const SALESFORCE_EARLIEST_MS = Date.UTC(1700, 0, 1);
export const SALESFORCE_LATEST_MS = Date.UTC(4000, 11, 31);

/**
 * `int` fields (e.g. Task.CallDurationInSeconds) hold a 32-bit signed integer: "Integer: A 32-bit
 * number that doesn't include a decimal point … maximum value of 2,147,483,647" (Apex Developer
 * Guide, "Primitive Data Types":
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/langCon_apex_primitives.htm;
 * the API's `int` type, Object Reference "Primitive Data Types").
 */
export const SALESFORCE_INT_MAX = 2_147_483_647;

/**
 * Long Text Area fields (Task.Description) hold at most 32,000 characters ("Long Text Area … up to
 * 131,072 characters", but Task.Description is declared 32,000: Object Reference, Task).
 */
export const TASK_DESCRIPTION_MAX = 32_000;

/** True when `ms` is an instant a Salesforce Date/DateTime field accepts. */
export function inSalesforceDateRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= SALESFORCE_EARLIEST_MS && ms <= SALESFORCE_LATEST_MS;
}

/**
 * A Salesforce record id: 15 case-sensitive or 18 case-insensitive-safe alphanumeric characters
 * (Object Reference, "Field Types" → ID:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/field_types.htm).
 */
export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);
}
