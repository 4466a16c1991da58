/**
 * R21: journeys per person, pure. Which cookies (visitors) belong to one known person: a visitor
 * whose linked call Tasks all name one WhoId belongs to that person; visitors naming the same WhoId
 * are one person, and their touchpoints one journey (positions R9 and percentages R10 over the
 * combined touchpoints: one FT and one LC per person). A visitor with no linked call, or whose calls
 * name different people (a shared phone or computer), keeps its own journey — decided: a wrong merge
 * of two people's credit is worse than two journeys for one.
 */

/** Per visitor (in the order given), the WhoIds its call Tasks name; → person key → its visitors. */
export function personsOf(visitors: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const persons = new Map<string, string[]>();
  for (const [visitorId, whoIds] of visitors) {
    if (whoIds.size !== 1) continue;
    const [who] = whoIds;
    const list = persons.get(who);
    if (list) list.push(visitorId);
    else persons.set(who, [visitorId]);
  }
  for (const [who, list] of persons) if (list.length < 2) persons.delete(who);
  return persons;
}
