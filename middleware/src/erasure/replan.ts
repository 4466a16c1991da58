import { runJoinOnce, type JoinDeps } from '../join';

/**
 * "No holes" (issue 23): after a person's touchpoints are gone, the Opportunities they reached are
 * planned again by the join (R13–R17) from the touchpoints left — the other Contacts' — so every
 * model sums to 100 again. The join's own entry: a run re-planning the Opportunities of these people
 * (`people`), no Task read by the watermark. It deletes nothing of ours twice: the erased records
 * were taken out of the Opportunity's plan because their touchpoints are gone.
 */
export function joinReplanner(join: JoinDeps): (people: string[]) => Promise<number> {
  return async (people) => {
    const summary = await runJoinOnce(join, { onlyVisitors: true, visitorIds: [], people });
    if (summary.failed.length)
      throw new Error(
        `re-planning the Opportunities: ${summary.failed.length} record(s) failed, e.g. ${summary.failed[0].sobject} ${summary.failed[0].errors}`,
      );
    return summary.opportunities.planned;
  };
}
