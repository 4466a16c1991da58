/**
 * The SOAP API's Partner endpoint (/services/Soap/u/{version}, jsforce's `conn.soap.*`) after login and
 * logout (partnerLogin.ts): convertLead (leadConvert.ts), emptyRecycleBin (recycleBin.ts). Envelopes as the SOAP API Developer Guide shows them:
 * namespace urn:partner.soap.sforce.com, results as `<result>` elements of `<{call}Response>`.
 */
import type { OrgData } from './data';
import { convertLeads, type LeadConvert, type LeadConvertResult } from './leadConvert';
import { EMPTY_RECYCLE_BIN_MAX_IDS, emptyRecycleBin, type EmptyRecycleBinResult } from './recycleBin';
import { SoapFault, type SoapRequest } from './soap';
import { asArray, type Metadata } from './schema';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const nil = (name: string, v: string | null) =>
  v === null ? `<${name} xsi:nil="true"/>` : `<${name}>${escapeXml(v)}</${name}>`;

const PARTNER_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const PARTNER_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** A Partner call's answer: `<{call}Response>` in the Partner namespace (login, logout and the calls below). */
export function partnerEnvelope(method: string, inner: string): string {
  return `${PARTNER_OPEN}<${method}Response>${inner}</${method}Response>${PARTNER_CLOSE}`;
}

/** A fault in the Partner namespace (jsforce reads <faultstring>). */
export function partnerFaultXml(f: SoapFault): string {
  return `${PARTNER_OPEN}<soapenv:Fault><faultcode>${escapeXml(f.faultcode)}</faultcode><faultstring>${escapeXml(
    f.message,
  )}</faultstring></soapenv:Fault>${PARTNER_CLOSE}`.replace(
    'xmlns="urn:partner.soap.sforce.com"',
    'xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:fault.partner.soap.sforce.com"',
  );
}

const errorsXml = (errors: Array<{ fields: string[]; message: string; statusCode: string }>) =>
  errors
    .map(
      (e) =>
        `<errors>${e.fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join('')}` +
        `<message>${escapeXml(e.message)}</message><statusCode>${e.statusCode}</statusCode></errors>`,
    )
    .join('');

/** EmptyRecycleBinResult in the Partner WSDL's element order: errors, id, success. */
const emptyResultXml = (r: EmptyRecycleBinResult) =>
  `<result>${errorsXml(r.errors)}<id>${escapeXml(r.id)}</id><success>${r.success}</success></result>`;

const exceededIdLimit = () =>
  new SoapFault(
    500,
    'sf:EXCEEDED_ID_LIMIT',
    'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 200 records in this operation',
  );

function resultXml(r: LeadConvertResult): string {
  const errors = errorsXml(r.errors);
  return (
    `<result>${nil('accountId', r.accountId)}${nil('contactId', r.contactId)}${errors}` +
    `${nil('leadId', r.leadId)}${nil('opportunityId', r.opportunityId)}<success>${r.success}</success></result>`
  );
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

function leadConvertOf(m: Metadata): LeadConvert {
  return {
    leadId: String(m.leadId ?? ''),
    convertedStatus: String(m.convertedStatus ?? ''),
    accountId: text(m.accountId),
    contactId: text(m.contactId),
    doNotCreateOpportunity: String(m.doNotCreateOpportunity) === 'true',
    opportunityName: text(m.opportunityName),
  };
}

/** Runs one Partner API call; returns the response envelope. */
export function runPartnerCall(data: OrgData, call: SoapRequest, now: number): string {
  if (call.method === 'convertLead') {
    const converts = asArray(call.args.leadConverts as Metadata[]).map(leadConvertOf);
    if (converts.length > 200) throw exceededIdLimit();
    return partnerEnvelope('convertLead', convertLeads(data, converts, now).map(resultXml).join(''));
  }
  if (call.method === 'emptyRecycleBin') {
    // "Maximum number of IDs: 200" (emptyRecycleBin(), SOAP API Developer Guide): the whole call faults.
    const ids = asArray(call.args.ids as string | string[]).map(String);
    if (ids.length > EMPTY_RECYCLE_BIN_MAX_IDS) throw exceededIdLimit();
    return partnerEnvelope('emptyRecycleBin', emptyRecycleBin(data, ids).map(emptyResultXml).join(''));
  }
  throw new SoapFault(
    500,
    'sf:INVALID_OPERATION',
    `INVALID_OPERATION: the local org's Partner endpoint does not implement ${call.method} (supported: login, logout, convertLead, emptyRecycleBin)`,
  );
}
