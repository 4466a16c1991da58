import crypto from 'node:crypto';
import { deploySteps, INTEGRATION_PERMISSION_SET } from './deploy';
import { readForceApp, type SourceComponent } from './force-app-source';
import type { SalesforcePort } from './port';

/**
 * A fingerprint of "our metadata as the org holds it", for two Metadata API requests instead of the
 * thirteen readMetadata calls a full comparison costs (docs/salesforce.md, "What serve's start costs").
 * It hashes:
 *  - what force-app/ and change-events/ declare (and BIZIBLE_ID_FIELD, which decides what is deployed):
 *    a new release of this project changes it;
 *  - the listMetadata() rows of the components `deploy` compares — fullName and lastModifiedDate
 *    ("Date and time that the file was last modified", Metadata API Developer Guide, "FileProperties").
 *    An admin editing, deleting or re-creating one of our fields, objects or permission sets changes it;
 *    changes to anything else in the org do not.
 * listMetadata takes up to 3 types a call ("The queries array can contain up to three
 * ListMetadataQuery queries for each call", "listMetadata()"): our 4 types cost 2 requests.
 */

export interface MetadataFingerprintOptions {
  root?: string;
  bizibleIdField?: string;
}

/** Every component `deploy` reads (deploy.ts), in its order. */
export function comparedComponents(opts: MetadataFingerprintOptions = {}): SourceComponent[] {
  const source = readForceApp(opts.root);
  return [
    ...deploySteps(source, opts.bizibleIdField).steps.flatMap((s) => s.components),
    ...source.permissionSets.filter((p) => p.fullName === INTEGRATION_PERMISSION_SET),
    ...source.channelMembers,
    ...source.changeEventPermissionSets,
  ];
}

export async function metadataFingerprint(
  gateway: Pick<SalesforcePort, 'listMetadata'>,
  opts: MetadataFingerprintOptions = {},
): Promise<string> {
  const components = comparedComponents(opts);
  const ours = new Set(components.map((c) => `${c.type}:${c.fullName.toLowerCase()}`));
  const types = [...new Set(components.map((c) => c.type))].sort();
  const listed = (await gateway.listMetadata(types))
    .filter((r) => ours.has(`${r.type}:${r.fullName.toLowerCase()}`))
    .map((r) => `${r.type}:${r.fullName.toLowerCase()}@${r.lastModifiedDate}`)
    .sort();
  const declared = components.map((c) => ({ type: c.type, fullName: c.fullName, metadata: c.metadata }));
  return crypto
    .createHash('sha256')
    .update(JSON.stringify({ bizibleIdField: opts.bizibleIdField ?? null, declared, listed }))
    .digest('hex');
}
