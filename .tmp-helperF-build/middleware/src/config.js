"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = void 0;
exports.loadConfig = loadConfig;
const node_path_1 = __importDefault(require("node:path"));
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;
function opt(env, name) {
    const v = env[name];
    return v === undefined || v.trim() === '' ? null : v.trim();
}
class ConfigError extends Error {
}
exports.ConfigError = ConfigError;
function loadConfig(env = process.env) {
    const portText = opt(env, 'PORT') ?? '8080';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${portText}"`);
    }
    const bizibleIdField = opt(env, 'BIZIBLE_ID_FIELD') ?? 'BizibleId__c';
    if (!FIELD_NAME.test(bizibleIdField)) {
        throw new ConfigError(`BIZIBLE_ID_FIELD must be a Task field API name such as BizibleId__c or bizible2__BizibleId__c, got "${bizibleIdField}"`);
    }
    const databaseUrl = opt(env, 'DATABASE_URL');
    if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
        throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite)');
    }
    const rateText = opt(env, 'COLLECT_RATE_LIMIT') ?? '300';
    const collectRateLimitPerMinute = Number(rateText);
    if (!Number.isInteger(collectRateLimitPerMinute) || collectRateLimitPerMinute < 1) {
        throw new ConfigError(`COLLECT_RATE_LIMIT must be a whole number of requests per minute (1 or more), got "${rateText}"`);
    }
    const optOutText = (opt(env, 'TRACKING_HONOR_OPT_OUT') ?? 'true').toLowerCase();
    if (optOutText !== 'true' && optOutText !== 'false') {
        throw new ConfigError(`TRACKING_HONOR_OPT_OUT must be true or false, got "${optOutText}"`);
    }
    return {
        port,
        dataDir: node_path_1.default.resolve(opt(env, 'CALL_TOUCHPOINTS_DATA_DIR') ?? './.data'),
        databaseUrl,
        adminToken: opt(env, 'ADMIN_TOKEN'),
        bizibleIdField,
        siteOrigins: (opt(env, 'SITE_ORIGINS') ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        tracking: { collectRateLimitPerMinute, honorOptOut: optOutText === 'true' },
        salesforce: {
            instanceUrl: opt(env, 'SF_INSTANCE_URL'),
            accessToken: opt(env, 'SF_ACCESS_TOKEN'),
            loginUrl: opt(env, 'SF_LOGIN_URL'),
            clientId: opt(env, 'SF_CLIENT_ID'),
            clientSecret: opt(env, 'SF_CLIENT_SECRET'),
            username: opt(env, 'SF_USERNAME'),
            jwtKeyFile: opt(env, 'SF_JWT_KEY_FILE'),
        },
        vendorSecrets: {
            callrailSigningKey: opt(env, 'CALLRAIL_SIGNING_KEY'),
            ctmWebhookSecret: opt(env, 'CTM_WEBHOOK_SECRET'),
            invocaWebhookToken: opt(env, 'INVOCA_WEBHOOK_TOKEN'),
            dialogtechWebhookToken: opt(env, 'DIALOGTECH_WEBHOOK_TOKEN'),
            genericWebhookToken: opt(env, 'GENERIC_WEBHOOK_TOKEN'),
        },
    };
}
//# sourceMappingURL=config.js.map