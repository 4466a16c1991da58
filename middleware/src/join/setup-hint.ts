import { DEFAULT_BIZIBLE_ID_FIELD } from '../domain';
import { UserError } from '../user-error';
import { SalesforceApiError } from '../salesforce/port';

/** The org lacks what the join reads (before `call-touchpoints deploy`): a message naming the fix. */
export class JoinSetupError extends UserError {}

/**
 * The sentence of a SOQL error without the echoed query: Salesforce answers INVALID_FIELD with the
 * query, a caret line, "ERROR at Row:1:Column:N" and then the sentence (ApiQueryFault carries the
 * row and column: https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_Fault_set.htm).
 */
export function soqlErrorSentence(message: string): string {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^ERROR at Row:\d+:Column:\d+/.test(l));
  return (at >= 0 ? lines.slice(at + 1).join(' ') : (lines.find((l) => l.trim()) ?? '')).trim();
}

/** "No such column 'X' on entity 'Task'" → "Task.X"; null for other errors. */
export function missingColumn(message: string): string | null {
  const m = /No such column '([^']+)' on entity '([^']+)'/.exec(message);
  return m ? `${m[2]}.${m[1]}` : null;
}

/** A Task read that fails for a missing field or object becomes a JoinSetupError naming `deploy`. */
export async function withSetupHint<T>(p: Promise<T>, biz: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof SalesforceApiError && (err.code === 'INVALID_FIELD' || err.code === 'INVALID_TYPE')) {
      const field = missingColumn(err.message);
      const what = field ? `has no field ${field}` : `does not have what the join reads`;
      throw new JoinSetupError(
        `the org ${what} (${err.code}: ${soqlErrorSentence(err.message).split('. ')[0]}). ` +
          `Run \`call-touchpoints deploy\` to add the join's fields, then run join again` +
          `${biz !== DEFAULT_BIZIBLE_ID_FIELD ? ` (and check BIZIBLE_ID_FIELD=${biz})` : ''}.`,
      );
    }
    throw err;
  }
}
