import { authenticateByToken, type VendorAdapter, vendorSecret } from './adapter';
import { parseMapped } from './generic';

/**
 * DialogTech (Invoca) "Post-Call Action": the customer builds the request URL from dynamic
 * parameters, naming each parameter themselves. We do not guess a schema: DIALOGTECH_FIELD_MAP says
 * which parameter carries which value (defaults in docs/vendors.md). Shared-secret authentication,
 * usually as ?token= because the action is configured as a URL.
 */
export const dialogtech: VendorAdapter = {
  vendor: 'dialogtech',
  ...vendorSecret('dialogtechWebhookToken'),
  authenticate: authenticateByToken,
  parse: (f, options) => parseMapped('dialogtech', f, options.dialogtechFieldMap, options),
};
