import { UserError } from '../user-error';
import { VISITOR_ID } from '../tracking/cookie';
import type { SubjectKind } from '../tracking/suppression';
import { toE164 } from '../vendors/phone';

/** Whom to erase: one email, phone number or cookie, normalized (issue 23, docs/privacy.md). */
export interface ErasureSubject {
  kind: SubjectKind;
  /** Email lowercased, phone in E.164, cookie as 32 lowercase hex characters. */
  value: string;
}

/** A simple, permissive address check: something@something.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The subject from what the operator typed. A phone number may be in any spelling
 * ("(415) 555-1234", "+1 415-555-1234", "4155551234"): it is parsed as the webhooks' numbers are
 * (vendors/phone.ts, US by default) and searched in every spelling the caller lookup uses.
 */
export function parseSubject(given: { email?: string; phone?: string; cookie?: string }): ErasureSubject {
  const set = (['email', 'phone', 'cookie'] as const).filter((k) => given[k] !== undefined);
  if (set.length !== 1)
    throw new UserError(
      'give exactly one of --email, --phone or --cookie (the person to erase), e.g. erase --phone "(415) 555-1234"',
      2,
    );
  const kind = set[0];
  const raw = String(given[kind]).trim();
  if (kind === 'email') {
    if (!EMAIL.test(raw)) throw new UserError(`email: "${raw.slice(0, 80)}" is not an email address`, 2);
    return { kind, value: raw.toLowerCase() };
  }
  if (kind === 'phone') {
    const e164 = toE164(raw);
    if (!e164)
      throw new UserError(
        `phone: "${raw.slice(0, 40)}" is not a phone number; give it with its country code (+44 20 7946 0000) or as a US number`,
        2,
      );
    return { kind, value: e164 };
  }
  const cookie = raw.toLowerCase();
  if (!VISITOR_ID.test(cookie))
    throw new UserError('cookie: give the _biz_uid value, 32 hexadecimal characters', 2);
  return { kind, value: cookie };
}
