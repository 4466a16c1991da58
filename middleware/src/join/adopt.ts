import { UserError } from '../user-error';
import { JoinLedger } from './ledger';
import { callTaskCondition } from './task-fields';
import { SalesforceApiError, type SalesforcePort } from '../salesforce/port';
import type { JoinLedgerStore } from '../store/types';

/**
 * Never rewrite the org from an empty memory (issue 24; docs/operations.md "A new store against a
 * joined org"). A store that never joined (no watermark) facing an org whose call Tasks already
 * carry our join status was not the store that joined them: planning from its empty ledger would
 * turn Merged calls into Standalone ones with a second touchpoint each (R11 trusts the ledger).
 * So start-up refuses, unless `--adopt` says to take the org's joined Tasks as they are.
 * Cost: nothing when the store has a watermark; else one query.
 */

/** serve's and `join`'s refusal: a setting to fix, exit 2 like every refused start. */
export class EmptyMemoryError extends UserError {
  constructor(message: string) {
    super(message, 2);
  }
}

export interface MemoryCheck {
  /** What start-up says about it (null: the store has its own ledger, or the org nothing joined). */
  line: string | null;
}

export async function checkJoinMemory(
  deps: {
    gateway: SalesforcePort;
    store: JoinLedgerStore & { readonly description: string };
    bizibleIdField: string;
  },
  opts: { adopt?: boolean },
): Promise<MemoryCheck> {
  const ledger = new JoinLedger(deps.store);
  if ((await ledger.getWatermark()) !== null) return { line: null };
  const [newest] = await deps.gateway
    .query<{ Id: string; SystemModstamp: string }>(
      `SELECT Id, SystemModstamp FROM Task WHERE Call_Join_Status__c != null AND ${callTaskCondition(deps.bizibleIdField)} ORDER BY SystemModstamp DESC LIMIT 1`,
    )
    .catch((err: unknown) => {
      // No join fields yet (before `deploy`): nothing can have been joined; the join says what to do.
      if (err instanceof SalesforceApiError && (err.code === 'INVALID_FIELD' || err.code === 'INVALID_TYPE'))
        return [];
      throw err;
    });
  // Joined by this store's own calls pipeline before its first join run set a watermark: ours.
  if (!newest || (await ledger.task(newest.Id))) return { line: null };
  if (!opts.adopt)
    throw new EmptyMemoryError(
      `the store (${deps.store.description}) has never joined, but the org already has call Tasks joined by call-touchpoints ` +
        `(the newest: Task ${newest.Id}). Joining them again from an empty store would re-plan them without ` +
        'their history and write a second touchpoint for each. Point the store setting (DATABASE_URL or ' +
        'CALL_TOUCHPOINTS_DATA_DIR) at the store that joined them, or start with --adopt to keep the ' +
        "org's joined Tasks and touchpoints as they are and join only Tasks changed from now on.",
    );
  // Past the newest joined Task: the first run's `>=` read does not pick it up again.
  const watermark = new Date(Date.parse(newest.SystemModstamp) + 1).toISOString();
  await ledger.setWatermark(watermark);
  return {
    line: `join: adopted the org's joined Tasks (up to ${newest.SystemModstamp}); joining Tasks changed after that`,
  };
}
