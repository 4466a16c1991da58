import { envSchema, text, type Setting } from './env-setting';

/**
 * Minimum strength of the secrets serve is given (`ADMIN_TOKEN=x` was once accepted;
 * docs/security.md lists the minimums).
 * Tokens the operator mints (ADMIN_TOKEN, the shared webhook tokens) must be at least 32 characters,
 * e.g. `openssl rand -base64 32`: 32 random base64 characters carry 192 bits, far beyond guessing,
 * and the failed-authentication rate limit (auth-limit.ts) caps tries per address anyway.
 * Signing keys the vendor issues are taken as the vendor makes them, so their floor is lower: CallRail
 * issues 32-hex-character signing keys (the key in CallRail's own signature example), and a 16-character
 * floor refuses only values no vendor issues ("x", "secret"), never a real key.
 * Every secret also needs 8 different characters: "aaaa…" or "1111…" is long but not secret.
 */
export interface SecretRule {
  env: string;
  minLength: number;
  /** Who creates the value: said in the message so the operator knows what to do. */
  issuedBy: 'you' | 'the vendor';
}

export const MINTED_SECRET_MIN_LENGTH = 32;
export const VENDOR_KEY_MIN_LENGTH = 16;
const MIN_DISTINCT_CHARACTERS = 8;

/**
 * The vendors' webhook secrets: Config.vendorSecrets key → environment variable. The one list config,
 * the vendor adapters (named in their 401 answers) and the strength rules below read.
 */
export const VENDOR_SECRET_ENV = {
  callrailSigningKey: 'CALLRAIL_SIGNING_KEY',
  ctmWebhookSecret: 'CTM_WEBHOOK_SECRET',
  invocaWebhookToken: 'INVOCA_WEBHOOK_TOKEN',
  dialogtechWebhookToken: 'DIALOGTECH_WEBHOOK_TOKEN',
  genericWebhookToken: 'GENERIC_WEBHOOK_TOKEN',
} as const;
export type VendorSecretKey = keyof typeof VENDOR_SECRET_ENV;
export type VendorSecrets = Record<VendorSecretKey, string | null>;

export const SECRET_RULES: readonly SecretRule[] = [
  { env: 'ADMIN_TOKEN', minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: 'METRICS_TOKEN', minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: 'PRIVACY_SALT', minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: VENDOR_SECRET_ENV.genericWebhookToken, minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: VENDOR_SECRET_ENV.invocaWebhookToken, minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: VENDOR_SECRET_ENV.dialogtechWebhookToken, minLength: MINTED_SECRET_MIN_LENGTH, issuedBy: 'you' },
  { env: VENDOR_SECRET_ENV.callrailSigningKey, minLength: VENDOR_KEY_MIN_LENGTH, issuedBy: 'the vendor' },
  { env: VENDOR_SECRET_ENV.ctmWebhookSecret, minLength: VENDOR_KEY_MIN_LENGTH, issuedBy: 'the vendor' },
];

/** Why `value` is too weak for `rule`, or null when it is acceptable. Never repeats the value. */
export function weakSecretReason(rule: SecretRule, value: string): string | null {
  const fix =
    rule.issuedBy === 'you'
      ? 'generate one with `openssl rand -base64 32`'
      : "copy the vendor's key exactly as its settings page shows it";
  if (value.length < rule.minLength) {
    return `${rule.env} is too short (${value.length} characters): it must be at least ${rule.minLength} characters; ${fix}`;
  }
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return `${rule.env} is too predictable (fewer than ${MIN_DISTINCT_CHARACTERS} different characters); ${fix}`;
  }
  return null;
}

/** Every weak secret among the set ones, as messages (empty: all fine). Unset secrets are not checked. */
export function weakSecrets(values: Readonly<Record<string, string | null>>): string[] {
  const problems: string[] = [];
  for (const rule of SECRET_RULES) {
    const value = Object.hasOwn(values, rule.env) ? values[rule.env] : null;
    const reason = value === null ? null : weakSecretReason(rule, value);
    if (reason) problems.push(reason);
  }
  return problems;
}

/** The secrets, read together so that every weak one is named at once (each with its minimum). */
export interface SecretSettings {
  /** ADMIN_TOKEN: bearer token for /api/* and the pages' sign-in. */
  adminToken: string | null;
  /** METRICS_TOKEN: bearer token for /metrics (required there with a real org or an opened HOST). */
  metricsToken: string | null;
  vendorSecrets: VendorSecrets;
  /**
   * PRIVACY_SALT: key of the salted hashes of erased or opted-out cookies and numbers (suppression
   * list, erasure log; docs/privacy.md). Unset: a random salt kept in the store (weaker: a copy of
   * the database alone then suffices to test guesses).
   */
  privacySalt: string | null;
}

export const secretSettings = envSchema(
  Object.fromEntries(SECRET_RULES.map((r) => [r.env, text()])) as Record<string, Setting<string | null>>,
  (s, ctx): SecretSettings => {
    const weak = weakSecrets(s);
    if (weak.length > 0) ctx.addIssue({ code: 'custom', message: weak.join('\n') });
    return {
      adminToken: s.ADMIN_TOKEN,
      metricsToken: s.METRICS_TOKEN,
      privacySalt: s.PRIVACY_SALT,
      vendorSecrets: Object.fromEntries(
        Object.entries(VENDOR_SECRET_ENV).map(([key, name]) => [key, s[name]]),
      ) as VendorSecrets,
    };
  },
);
