import type { CallerCandidate } from './caller-pick';
import { limitDetail } from './detail';
import { DATA_MODEL, type ActivityFields } from '../generated/data-model';

/**
 * R23: every call Task gets a reason (Task.Call_Join_Reason__c, a restricted picklist whose API values
 * never change) beside its status and detail sentence, pure. One reason per call, so a report can count
 * calls by it ("Calls without attribution by reason"):
 *
 * - a call no web session credits has the attribution reason: `No_BizibleId` (R2), `Call_Time_Unknown`
 *   (R3), `Bot_Traffic` (R8, its visits dropped by the bot filter), `No_Consent` (R8, tracking opted out),
 *   `Never_Tracked` (R8, no session at all), `Window_Passed` (R8, the nearest session missed);
 * - a call joined to a session (R5) has the identity reason — how its person was found: `Unknown_Caller`
 *   (no WhoId: UNKNOWN_CALLER=leave, or the vendor linked nobody), `Lead_Created` (R18), `Duplicate_Rule`
 *   (R19), `Several_Matches` (R20), else `Joined`.
 * Decided: the attribution reason comes first — it is what keeps the call out of the web journey; how the
 * person was found is also written as the first sentence of the detail (`callerSentence`), whatever the
 * reason.
 */
export type JoinReason = NonNullable<ActivityFields['Call_Join_Reason__c']>;

const REASON_FIELD = DATA_MODEL.Activity.Call_Join_Reason__c;

/** The label users read for a reason (force-app's picklist, generated); an unknown value as it is. */
export function joinReasonLabel(reason: string | null | undefined): string | undefined {
  if (!reason) return undefined;
  const i = (REASON_FIELD.values as readonly string[]).indexOf(reason);
  return i < 0 ? reason : REASON_FIELD.labels[i];
}

/** What the join found out about the call's session (R2, R3, R5, R8). */
export type AttributionOutcome =
  'merged' | 'window-passed' | 'never-tracked' | 'bot-traffic' | 'no-consent' | 'missing-id' | 'time-unknown';

/** How the call's person was found, when more than a single match (R18–R20). */
export type CallerOutcome =
  /** R18 (UNKNOWN_CALLER=create-lead): the Lead we created for the number (for this call or an earlier one). */
  | { kind: 'created' }
  /** R19: a duplicate rule blocked the new Lead; the call links to the record it matched. */
  | { kind: 'matched' }
  /** R20: `matches` records have the number; `picked` is the kind linked and `why` the rule that chose it. */
  | { kind: 'several'; matches: number; picked: 'Contact' | 'Lead'; why: PickWhy };

/** Which step of R20 decided: the only Contact, the most recently modified of its kind, the lowest Id. */
export type PickWhy = 'only-contact' | 'most-recent' | 'lowest-id';

const ATTRIBUTION_REASONS: Record<Exclude<AttributionOutcome, 'merged'>, JoinReason> = {
  'window-passed': 'Window_Passed',
  'never-tracked': 'Never_Tracked',
  'bot-traffic': 'Bot_Traffic',
  'no-consent': 'No_Consent',
  'missing-id': 'No_BizibleId',
  'time-unknown': 'Call_Time_Unknown',
};

const CALLER_REASONS: Record<CallerOutcome['kind'], JoinReason> = {
  created: 'Lead_Created',
  matched: 'Duplicate_Rule',
  several: 'Several_Matches',
};

/** R23: the call's reason from its attribution, its caller outcome and whether the Task names a person. */
export function joinReason(
  attribution: AttributionOutcome,
  caller: CallerOutcome | null,
  whoId: string | null | undefined,
): JoinReason {
  if (attribution !== 'merged') return ATTRIBUTION_REASONS[attribution];
  if (!whoId) return 'Unknown_Caller';
  return caller ? CALLER_REASONS[caller.kind] : 'Joined';
}

const isContact = (id: string) => id.startsWith('003');
const modifiedAt = (c: CallerCandidate) => (c.LastModifiedDate ? Date.parse(c.LastModifiedDate) || 0 : 0);

/**
 * R20: why `picked` (pickCaller's choice) won among `candidates` (more than one): the only Contact, the
 * most recently modified of the Contacts (or of the Leads, when none is a Contact), or — modified at the
 * same instant — the lowest Id.
 */
export function pickOutcome(candidates: readonly CallerCandidate[], picked: CallerCandidate): CallerOutcome {
  const kind = isContact(picked.Id) ? 'Contact' : 'Lead';
  const rivals = candidates.filter((c) => c.Id !== picked.Id && isContact(c.Id) === isContact(picked.Id));
  const why: PickWhy =
    kind === 'Contact' && rivals.length === 0
      ? 'only-contact'
      : rivals.every((c) => modifiedAt(c) < modifiedAt(picked))
        ? 'most-recent'
        : 'lowest-id';
  return { kind: 'several', matches: candidates.length, picked: kind, why };
}

const WHY_TEXT: Record<PickWhy, string> = {
  'only-contact': 'only Contact among them',
  'most-recent': 'modified most recently',
  'lowest-id': 'with the lowest Id (modified at the same time)',
};

export const LEAD_CREATED_SENTENCE = 'Linked to the Lead Call Touchpoints created for this number.';
export const DUPLICATE_RULE_SENTENCE =
  'A duplicate rule blocked a new Lead for this number; linked to the record it matched.';

/** The detail's first sentence: how the call's person was found (R18–R20). */
export function callerSentence(o: CallerOutcome): string {
  if (o.kind === 'created') return LEAD_CREATED_SENTENCE;
  if (o.kind === 'matched') return DUPLICATE_RULE_SENTENCE;
  const which = o.why === 'only-contact' ? WHY_TEXT[o.why] : `${o.picked} ${WHY_TEXT[o.why]}`;
  return `${o.matches} records share this number; linked to the ${which}.`;
}

const SEVERAL =
  /^(\d+) records share this number; linked to the (?:(only) Contact among them|(Contact|Lead) (modified most recently|with the lowest Id \(modified at the same time\)))\./;

/**
 * The caller outcome a detail written earlier starts with, or null. The Task remembers it: a re-run of
 * the join (R11), the Task's change event and simulate read the Task and write the same sentence and
 * reason again, so nothing changes (no store of its own, no extra request).
 */
export function callerOutcomeOfDetail(detail: unknown): CallerOutcome | null {
  if (typeof detail !== 'string' || !detail) return null;
  if (detail.startsWith(LEAD_CREATED_SENTENCE)) return { kind: 'created' };
  if (detail.startsWith(DUPLICATE_RULE_SENTENCE)) return { kind: 'matched' };
  const m = SEVERAL.exec(detail);
  if (!m) return null;
  const why: PickWhy = m[2] ? 'only-contact' : m[4].startsWith('modified') ? 'most-recent' : 'lowest-id';
  return {
    kind: 'several',
    matches: Number(m[1]),
    picked: m[2] ? 'Contact' : (m[3] as 'Contact' | 'Lead'),
    why,
  };
}

/** The detail with the caller sentence first (so the 255-character limit never cuts it). */
export function withCallerSentence(detail: string, caller: CallerOutcome | null): string {
  return caller ? limitDetail(`${callerSentence(caller)} ${detail}`) : detail;
}
