import { deploy, type DeployResult } from '../salesforce/deploy';
import { metadataFingerprint } from '../salesforce/metadata-fingerprint';
import type { SalesforcePort } from '../salesforce/port';
import type { KeyValueState } from '../store/types';

/**
 * serve's metadata check at start-up, and the banner's line about it. The local org gets the metadata
 * deployed (idempotent); a real org is only checked (`call-touchpoints deploy` writes to it).
 *
 * The full comparison reads every component (13 readMetadata requests). It is skipped when the org's
 * listing of our components and force-app/ are what they were at the last clean check — their
 * fingerprint (metadata-fingerprint.ts, 2 listMetadata requests) is kept in the store. A check that
 * found problems is not kept: the next start compares again and reports them again.
 */

const STATE_KEY = 'metadata.check';

interface KeptCheck {
  fingerprint: string;
  /** When the full comparison found everything up to date (ISO). */
  at: string;
}

function keptCheck(raw: string | null): KeptCheck | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<KeptCheck>;
    return typeof v.fingerprint === 'string' && typeof v.at === 'string'
      ? { fingerprint: v.fingerprint, at: v.at }
      : null;
  } catch {
    return null;
  }
}

/** The banner line of a full comparison, and whether everything was (or now is) in place. */
function outcome(local: boolean, result: DeployResult): { line: string; clean: boolean; wrote: boolean } {
  const written = result.components.filter((c) => c.status === 'created' || c.status === 'updated').length;
  const missing = result.components.filter((c) => c.status === 'missing' || c.status === 'different');
  if (local)
    return {
      line: result.upToDate ? 'metadata: up to date' : `metadata: deployed (${written} components)`,
      clean: result.changeEvents.deployed,
      wrote: written > 0,
    };
  return {
    line: missing.length
      ? `metadata: ${missing.length} component(s) missing or different — run \`call-touchpoints deploy\``
      : 'metadata: up to date',
    clean: missing.length === 0,
    wrote: false,
  };
}

export async function checkMetadata(
  deployPort: SalesforcePort,
  store: KeyValueState,
  opts: { local: boolean; bizibleIdField: string },
): Promise<string> {
  const { bizibleIdField } = opts;
  const before = await metadataFingerprint(deployPort, { bizibleIdField });
  const kept = keptCheck(await store.getState(STATE_KEY));
  if (kept?.fingerprint === before)
    return `metadata: up to date (our components unchanged since the full check of ${kept.at})`;

  const result = await deploy(deployPort, { check: !opts.local, bizibleIdField });
  const { line, clean, wrote } = outcome(opts.local, result);
  if (clean) {
    // What this start wrote moved the dates: the fingerprint to keep is the one after it.
    const fingerprint = wrote ? await metadataFingerprint(deployPort, { bizibleIdField }) : before;
    await store.setState(STATE_KEY, JSON.stringify({ fingerprint, at: new Date().toISOString() }));
  }
  return line;
}
