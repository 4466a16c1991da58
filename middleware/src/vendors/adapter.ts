import { VENDOR_SECRET_ENV, type SecretSettings, type VendorSecretKey } from '../secrets';
import type { Fields } from './fields';
import type { AdapterResult, VendorName } from './normalized-call';
import type { VendorOptions } from './options';
import { verifySharedToken, type AuthResult } from './signatures';

/** One webhook delivery as the router hands it to an adapter. */
export interface Delivery {
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  nowMs: number;
}

/** One call-tracking vendor: how its deliveries are authenticated and turned into a NormalizedCall. */
export interface VendorAdapter {
  vendor: VendorName;
  /** The env var holding this vendor's secret (named in 401 answers when it is unset). */
  secretEnv: string;
  secret(config: Pick<SecretSettings, 'vendorSecrets'>): string | null;
  authenticate(delivery: Delivery, secret: string, options: VendorOptions): AuthResult;
  /** Pure: decoded payload fields → one call (or a reason to ignore it); throws PayloadError. */
  parse(fields: Fields, options: VendorOptions): AdapterResult;
}

/** An adapter's secret: the Config.vendorSecrets key, its variable named from the one list (secrets.ts). */
export function vendorSecret(key: VendorSecretKey): Pick<VendorAdapter, 'secretEnv' | 'secret'> {
  return { secretEnv: VENDOR_SECRET_ENV[key], secret: (config) => config.vendorSecrets[key] };
}

/** For vendors without signing: the shared secret in the X-Webhook-Token header, or ?token= in the URL they call. */
export function authenticateByToken(delivery: Delivery, secret: string): AuthResult {
  return verifySharedToken(delivery.headers['x-webhook-token'] ?? delivery.query.token ?? undefined, secret);
}
