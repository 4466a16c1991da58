/**
 * Salesforce API errors as the REST API reports them: HTTP status + `[{message, errorCode}]`
 * (collections items use `{statusCode, message, fields}`).
 */
export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    /** More properties of the error, e.g. DUPLICATES_DETECTED's duplicateResult (duplicateRules.ts). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [
      {
        ...this.detail,
        message: this.message,
        errorCode: this.errorCode,
        ...(this.fields.length ? { fields: this.fields } : {}),
      },
    ];
  }

  itemError(): { statusCode: string; message: string; fields: string[] } {
    return { ...this.detail, statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export const notFound = (): SfError => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = (): SfError =>
  new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const missingArgument = (field: string): SfError =>
  new SfError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);

/** The same external id twice in one request, or one that matches several records (`matches`). */
export function duplicateExternalId(field: string, value: unknown, matches?: string[]): SfError {
  const which = matches ? ` matches more than one record: [${matches.join(', ')}]` : '';
  return new SfError(
    400,
    'DUPLICATE_EXTERNAL_ID',
    `Duplicate external id specified: ${String(value)}${which}`,
    [field],
  );
}

export const malformedQuery = (message: string): SfError => new SfError(400, 'MALFORMED_QUERY', message);

/**
 * SOQL's "No such column" message (with the parser's row/column prefix added by the caller), worded
 * as Salesforce words it: INVALID_FIELD is an ApiQueryFault with row and column
 * (https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_Fault_set.htm);
 * a real org's answer is quoted at https://docs.withampersand.com/troubleshooting-guides/salesforce.
 */
export function noSuchColumn(field: string, entity: string): string {
  return (
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to ` +
    `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
    `appropriate names.`
  );
}

export function unsupportedType(type: string): string {
  return (
    `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the ` +
    `'__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}
