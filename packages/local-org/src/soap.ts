/**
 * Metadata API over SOAP (/services/Soap/m/{version}) as jsforce's `conn.metadata.*` sends it:
 * upsertMetadata, createMetadata, updateMetadata, readMetadata, deleteMetadata, listMetadata (deploy and
 * checkDeployStatus: deploy.ts).
 */
import { cleanMetadata, metadataParser, toXml } from './metadataXml';
import type { MetadataService, SaveResult } from './metadataService';
import { asArray, type Metadata } from './schema';

export interface SoapRequest {
  method: string;
  sessionId: string | null;
  args: Metadata;
}

export class SoapFault extends Error {
  constructor(
    readonly status: number,
    readonly faultcode: string,
    message: string,
  ) {
    super(message);
  }
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export function parseSoap(body: string): SoapRequest {
  let doc: Record<string, unknown>;
  try {
    doc = metadataParser.parse(body) as Record<string, unknown>;
  } catch {
    throw new SoapFault(500, 'soapenv:Client', 'Could not parse the SOAP envelope');
  }
  const env = doc.Envelope as Record<string, unknown> | undefined;
  const bodyEl = env?.Body as Record<string, unknown> | undefined;
  if (!env || !bodyEl) throw new SoapFault(500, 'soapenv:Client', 'Missing SOAP Envelope or Body');
  const header = (env.Header ?? {}) as Record<string, unknown>;
  const session = (header.SessionHeader ?? {}) as Record<string, unknown>;
  const method = Object.keys(bodyEl).find((k) => !k.startsWith('@_'));
  if (!method) throw new SoapFault(500, 'soapenv:Client', 'Missing SOAP operation');
  return {
    method,
    sessionId: session.sessionId ? String(session.sessionId) : null,
    args: (bodyEl[method] ?? {}) as Metadata,
  };
}

export function faultXml(f: SoapFault): string {
  return `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>${f.faultcode}</faultcode><faultstring>${f.message
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`.replace(
    'xmlns="http://soap.sforce.com/2006/04/metadata"',
    'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:sf="http://soap.sforce.com/2006/04/metadata"',
  );
}

function saveResultXml(r: SaveResult): string {
  const ordered: Metadata = {};
  if (r.created !== undefined) ordered.created = String(r.created);
  if (r.errors) ordered.errors = r.errors.map((e) => ({ message: e.message, statusCode: e.statusCode }));
  ordered.fullName = r.fullName;
  ordered.success = String(r.success);
  return toXml('result', ordered);
}

/** The response envelope of one call. */
export function soapResponse(method: string, inner: string): string {
  return `${ENVELOPE_OPEN}<${method}Response>${inner}</${method}Response>${ENVELOPE_CLOSE}`;
}

/** Run one Metadata API call; returns the response envelope. */
export function runMetadataCall(svc: MetadataService, req: SoapRequest): string {
  const respond = (inner: string) => soapResponse(req.method, inner);
  const args = req.args;
  switch (req.method) {
    case 'upsertMetadata':
    case 'createMetadata':
    case 'updateMetadata': {
      const items = asArray(args.metadata as Metadata[]);
      if (items.length > 10) {
        throw new SoapFault(
          500,
          'sf:EXCEEDED_ID_LIMIT',
          'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation',
        );
      }
      const mode =
        req.method === 'upsertMetadata' ? 'upsert' : req.method === 'createMetadata' ? 'create' : 'update';
      return respond(
        items
          .map((item) => {
            const type = String(item['@_type'] ?? '').replace(/^.*:/, '');
            return saveResultXml(svc.save(type, cleanMetadata(item) as Metadata, mode));
          })
          .join(''),
      );
    }
    case 'readMetadata': {
      const type = String(args.type ?? '');
      const names = asArray(args.fullNames as string[]).map(String);
      if (names.length > 10) {
        throw new SoapFault(
          500,
          'sf:EXCEEDED_ID_LIMIT',
          'EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation',
        );
      }
      const records = names
        .map((n) => {
          const md = svc.read(type, n);
          return md ? toXml('records', md, ` xsi:type="${type}"`) : '<records xsi:nil="true"/>';
        })
        .join('');
      return respond(`<result>${records}</result>`);
    }
    case 'deleteMetadata': {
      const type = String(args.type ?? '');
      const names = asArray(args.fullNames as string[]).map(String);
      return respond(names.map((n) => saveResultXml(svc.delete(type, n))).join(''));
    }
    case 'renameMetadata':
      return respond(
        saveResultXml(
          svc.rename(String(args.type ?? ''), String(args.oldFullName ?? ''), String(args.newFullName ?? '')),
        ),
      );
    case 'listMetadata': {
      const queries = asArray(args.queries as Metadata[]);
      // "The queries array can contain up to three ListMetadataQuery queries for each call" (Metadata
      // API Developer Guide, "listMetadata()"): more is refused, so callers batch as the org needs.
      if (queries.length > 3)
        throw new SoapFault(
          500,
          'sf:INVALID_OPERATION',
          `INVALID_OPERATION: listMetadata takes up to 3 queries per call (got ${queries.length})`,
        );
      const rows = queries.flatMap((q) => svc.list(String(q.type ?? '')));
      return respond(
        rows
          .map((r) =>
            toXml('result', { fullName: r.fullName, lastModifiedDate: r.lastModifiedDate, type: r.type }),
          )
          .join(''),
      );
    }
    default:
      throw new SoapFault(
        500,
        'sf:INVALID_OPERATION',
        `INVALID_OPERATION: the local org does not implement ${req.method} (supported: deploy, checkDeployStatus, retrieve, checkRetrieveStatus, upsertMetadata, createMetadata, updateMetadata, readMetadata, renameMetadata, deleteMetadata, listMetadata)`,
      );
  }
}
