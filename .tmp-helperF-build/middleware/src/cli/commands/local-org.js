"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.register = register;
const node_path_1 = __importDefault(require("node:path"));
const commander_1 = require("commander");
const config_1 = require("../../config");
const log_1 = require("../../log");
const localorg_1 = require("../../localorg");
function parsePort(text) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
        throw new commander_1.InvalidArgumentError('--port must be a whole number from 0 to 65535 (0 picks a free port).');
    }
    return n;
}
function parseToken(text) {
    if (!/^[\x21-\x7e]{8,}$/.test(text)) {
        throw new commander_1.InvalidArgumentError('--token must be at least 8 printable characters without spaces.');
    }
    return text;
}
/**
 * `local-org`: the Salesforce API stand-in (design §5) on its own, for pointing jsforce or curl at.
 * The first two stdout lines are machine-readable (instance_url=…, access_token=…).
 */
function register(program) {
    program
        .command('local-org')
        .description('Run the local org: a Salesforce REST + Metadata API stand-in for development and tests\n' +
        '(not a place for production data). Prints instance_url= and access_token= first.')
        .option('--port <n>', 'port to listen on (0 = a free port)', parsePort, 0)
        .option('--data <dir>', 'directory for its SQLite data (default: $CALL_TOUCHPOINTS_DATA_DIR/local-org)')
        .option('--token <token>', 'access token to accept (default: a random one)', parseToken)
        .option('--preload', 'start with everything in force-app/ deployed (default: standard objects only)')
        .action(async (opts) => {
        const config = (0, config_1.loadConfig)();
        const dataDir = node_path_1.default.resolve(opts.data ?? node_path_1.default.join(config.dataDir, 'local-org'));
        const org = await (0, localorg_1.startLocalOrg)({
            port: opts.port,
            dataDir,
            token: opts.token,
            preload: !!opts.preload,
            logger: (0, log_1.createLogger)({ name: 'local-org', level: process.env.LOG_LEVEL ?? 'warn' }),
        });
        process.stdout.write(`instance_url=${org.instanceUrl}\naccess_token=${org.accessToken}\n`);
        process.stdout.write([
            '',
            `Local org listening on ${org.instanceUrl} (Salesforce API v62.0 slice; any vXX.X path works).`,
            `  jsforce: new Connection({ instanceUrl: '${org.instanceUrl}', accessToken: '<access_token>' })`,
            `  curl:    curl -H "Authorization: Bearer <access_token>" '${org.instanceUrl}/services/data/v62.0/limits'`,
            `  OAuth:   POST ${org.loginUrl}/services/oauth2/token (client_credentials, JWT bearer, password, refresh_token)`,
            `  Control: GET ${org.instanceUrl}/_local/requests, PUT ${org.instanceUrl}/_local/faults`,
            `Data lives in ${dataDir}. This is a development and test tool, not a place for production data.`,
            'Press Ctrl+C to stop.',
            '',
        ].join('\n'));
        await new Promise((resolve) => {
            const stop = () => {
                process.off('SIGINT', stop);
                process.off('SIGTERM', stop);
                resolve();
            };
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
        });
        await org.close();
        process.stdout.write('Local org stopped.\n');
    });
}
//# sourceMappingURL=local-org.js.map