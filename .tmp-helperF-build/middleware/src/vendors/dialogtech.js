"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dialogtech = void 0;
const adapter_1 = require("./adapter");
const generic_1 = require("./generic");
const signatures_1 = require("./signatures");
/**
 * DialogTech (Invoca) "Post-Call Action": the customer builds the request URL from dynamic
 * parameters, naming each parameter themselves. We do not guess a schema: DIALOGTECH_FIELD_MAP says
 * which parameter carries which value (defaults in docs/vendors.md). Shared-secret authentication,
 * usually as ?token= because the action is configured as a URL.
 */
exports.dialogtech = {
    vendor: 'dialogtech',
    secretEnv: 'DIALOGTECH_WEBHOOK_TOKEN',
    secret: (config) => config.vendorSecrets.dialogtechWebhookToken,
    authenticate: (d, secret) => (0, signatures_1.verifySharedToken)((0, adapter_1.sharedToken)(d), secret),
    parse: (f, options) => (0, generic_1.parseMapped)('dialogtech', f, options.dialogtechFieldMap, options),
};
//# sourceMappingURL=dialogtech.js.map