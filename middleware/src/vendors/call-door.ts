import { cleanOptional } from '../values/clean-text';
import { normalizedCallSchema, type NormalizedCall } from './normalized-call';

/**
 * The one door for a vendor's call (docs/security.md, "One door for values"), pure: what an adapter
 * made of a delivery is cleaned where a vendor's free text may hold anything, and checked against the
 * ranges Salesforce accepts, before the webhook answers — so a call answered 202 is a call the org
 * can take, and a call the org could never take is answered 400 naming the field (the vendor sees it).
 *
 * Accept-and-clean: source and campaign (vendor labels that end in the Task's Subject, 255, and
 * Description) and the recording URL lose control characters and are cut to a bounded length.
 * Refuse: a call id, start time or duration the org would refuse.
 */

/** Longest vendor label kept: Task.Subject is 255 characters and holds the source. */
const LABEL_MAX = 255;
/** Recording links are signed URLs, often a few hundred characters; Task.Description holds 32,000. */
const RECORDING_URL_MAX = 2_000;

export type Admission = { ok: true; call: NormalizedCall } | { ok: false; field: string; message: string };

export function admitCall(call: NormalizedCall): Admission {
  const cleaned = {
    ...call,
    source: cleanOptional(call.source, LABEL_MAX),
    campaign: cleanOptional(call.campaign, LABEL_MAX),
    recordingUrl: cleanOptional(call.recordingUrl, RECORDING_URL_MAX),
  };
  const parsed = normalizedCallSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, call: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: issue.path.join('.') || 'call', message: issue.message };
}
