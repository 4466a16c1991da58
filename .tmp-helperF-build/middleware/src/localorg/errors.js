"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.malformedQuery = exports.invalidSession = exports.notFound = exports.SfError = void 0;
exports.noSuchColumn = noSuchColumn;
exports.unsupportedType = unsupportedType;
/**
 * Salesforce API errors as the REST API reports them: HTTP status + `[{message, errorCode}]`
 * (collections items use `{statusCode, message, fields}`).
 */
class SfError extends Error {
    status;
    errorCode;
    fields;
    constructor(status, errorCode, message, fields = []) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = fields;
    }
    body() {
        return [
            {
                message: this.message,
                errorCode: this.errorCode,
                ...(this.fields.length ? { fields: this.fields } : {}),
            },
        ];
    }
    itemError() {
        return { statusCode: this.errorCode, message: this.message, fields: this.fields };
    }
}
exports.SfError = SfError;
const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
exports.notFound = notFound;
const invalidSession = () => new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
exports.invalidSession = invalidSession;
const malformedQuery = (message) => new SfError(400, 'MALFORMED_QUERY', message);
exports.malformedQuery = malformedQuery;
/** SOQL's "No such column" message (with the parser's row/column prefix added by the caller). */
function noSuchColumn(field, entity) {
    return (`No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to ` +
        `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
        `appropriate names.`);
}
function unsupportedType(type) {
    return (`sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the ` +
        `'__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
}
//# sourceMappingURL=errors.js.map