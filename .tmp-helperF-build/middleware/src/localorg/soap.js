"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SoapFault = void 0;
exports.parseSoap = parseSoap;
exports.faultXml = faultXml;
exports.runMetadataCall = runMetadataCall;
/**
 * Metadata API over SOAP (/services/Soap/m/{version}) as jsforce's `conn.metadata.*` sends it:
 * upsertMetadata, createMetadata, updateMetadata, readMetadata, deleteMetadata, listMetadata.
 */
const metadataXml_1 = require("./metadataXml");
const schema_1 = require("./schema");
const metadataXml_2 = require("./metadataXml");
class SoapFault extends Error {
    status;
    faultcode;
    constructor(status, faultcode, message) {
        super(message);
        this.status = status;
        this.faultcode = faultcode;
    }
}
exports.SoapFault = SoapFault;
const ENVELOPE_OPEN = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';
function parseSoap(body) {
    let doc;
    try {
        doc = metadataXml_1.metadataParser.parse(body);
    }
    catch {
        throw new SoapFault(500, 'soapenv:Client', 'Could not parse the SOAP envelope');
    }
    const env = doc.Envelope;
    const bodyEl = env?.Body;
    if (!env || !bodyEl)
        throw new SoapFault(500, 'soapenv:Client', 'Missing SOAP Envelope or Body');
    const header = (env.Header ?? {});
    const session = (header.SessionHeader ?? {});
    const method = Object.keys(bodyEl).find((k) => !k.startsWith('@_'));
    if (!method)
        throw new SoapFault(500, 'soapenv:Client', 'Missing SOAP operation');
    return {
        method,
        sessionId: session.sessionId ? String(session.sessionId) : null,
        args: (bodyEl[method] ?? {}),
    };
}
function faultXml(f) {
    return `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>${f.faultcode}</faultcode><faultstring>${f.message
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`.replace('xmlns="http://soap.sforce.com/2006/04/metadata"', 'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:sf="http://soap.sforce.com/2006/04/metadata"');
}
function saveResultXml(r) {
    const ordered = {};
    if (r.created !== undefined)
        ordered.created = String(r.created);
    if (r.errors)
        ordered.errors = r.errors.map((e) => ({ message: e.message, statusCode: e.statusCode }));
    ordered.fullName = r.fullName;
    ordered.success = String(r.success);
    return (0, metadataXml_1.toXml)('result', ordered);
}
/** Run one Metadata API call; returns the response envelope. */
function runMetadataCall(svc, req) {
    const respond = (inner) => `${ENVELOPE_OPEN}<${req.method}Response>${inner}</${req.method}Response>${ENVELOPE_CLOSE}`;
    const args = req.args;
    switch (req.method) {
        case 'upsertMetadata':
        case 'createMetadata':
        case 'updateMetadata': {
            const items = (0, schema_1.asArray)(args.metadata);
            if (items.length > 10) {
                throw new SoapFault(500, 'sf:EXCEEDED_ID_LIMIT', 'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation');
            }
            const mode = req.method === 'upsertMetadata' ? 'upsert' : req.method === 'createMetadata' ? 'create' : 'update';
            return respond(items
                .map((item) => {
                const type = String(item['@_type'] ?? '').replace(/^.*:/, '');
                return saveResultXml(svc.save(type, (0, metadataXml_2.cleanMetadata)(item), mode));
            })
                .join(''));
        }
        case 'readMetadata': {
            const type = String(args.type ?? '');
            const names = (0, schema_1.asArray)(args.fullNames).map(String);
            if (names.length > 10) {
                throw new SoapFault(500, 'sf:EXCEEDED_ID_LIMIT', 'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation');
            }
            const records = names
                .map((n) => {
                const md = svc.read(type, n);
                return md ? (0, metadataXml_1.toXml)('records', md, ` xsi:type="${type}"`) : '<records xsi:nil="true"/>';
            })
                .join('');
            return respond(`<result>${records}</result>`);
        }
        case 'deleteMetadata': {
            const type = String(args.type ?? '');
            const names = (0, schema_1.asArray)(args.fullNames).map(String);
            return respond(names.map((n) => saveResultXml(svc.delete(type, n))).join(''));
        }
        case 'listMetadata': {
            const queries = (0, schema_1.asArray)(args.queries);
            const rows = queries.flatMap((q) => svc.list(String(q.type ?? '')));
            return respond(rows.map((r) => (0, metadataXml_1.toXml)('result', { fullName: r.fullName, type: r.type })).join(''));
        }
        default:
            throw new SoapFault(500, 'sf:INVALID_OPERATION', `INVALID_OPERATION: the local org does not implement ${req.method} (supported: upsertMetadata, createMetadata, updateMetadata, readMetadata, deleteMetadata, listMetadata)`);
    }
}
//# sourceMappingURL=soap.js.map