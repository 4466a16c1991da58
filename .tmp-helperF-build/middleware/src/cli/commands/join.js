"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.register = register;
const node_fs_1 = require("node:fs");
const cli_progress_1 = require("cli-progress");
const config_1 = require("../../config");
const domain_1 = require("../../domain");
const log_1 = require("../../log");
const salesforce_1 = require("../../salesforce");
const store_1 = require("../../store");
/** A bar on a terminal; otherwise a log line about every 10%, so CI logs stay readable. */
function progressReporter() {
    if (process.stdout.isTTY) {
        const bar = new cli_progress_1.SingleBar({ format: 'writing {bar} {value}/{total} records', hideCursor: true }, cli_progress_1.Presets.shades_classic);
        let active = false;
        return {
            start(total) {
                active = total >= 400;
                if (active)
                    bar.start(total, 0);
            },
            increment(n) {
                if (active)
                    bar.increment(n);
            },
            stop() {
                if (active)
                    bar.stop();
                active = false;
            },
        };
    }
    let total = 0;
    let done = 0;
    let next = 0;
    return {
        start(t) {
            total = t;
            done = 0;
            next = Math.max(1000, Math.ceil(t / 10));
        },
        increment(n) {
            done += n;
            if (total >= 1000 && done >= next) {
                process.stdout.write(`  written ${done}/${total} records\n`);
                next += Math.ceil(total / 10);
            }
        },
        stop() { },
    };
}
class FlagError extends Error {
}
function loadRules(file) {
    if (!file)
        return (0, domain_1.defaultChannelRules)();
    let text;
    try {
        text = (0, node_fs_1.readFileSync)(file, 'utf8');
    }
    catch (err) {
        throw new FlagError(`--channels ${file}: cannot read the file (${err.code ?? err})`);
    }
    try {
        return (0, domain_1.parseChannelSheet)(text);
    }
    catch (err) {
        if (err instanceof domain_1.ChannelSheetError)
            throw new FlagError(`--channels ${file}: ${err.message}`);
        throw err;
    }
}
function printSummary(s) {
    process.stdout.write((0, salesforce_1.formatSummary)(s).join('\n') + '\n');
}
function register(program) {
    program
        .command('join')
        .description('Join call Tasks to the web sessions in the store and write Web Sessions, Touchpoints and the Task\n' +
        'join fields to the org. Reads Tasks changed since the last run; writes only what changed.')
        .option('--once', 'run one join and exit')
        .option('--watch', 'keep running: a join every --interval seconds')
        .option('--interval <seconds>', 'seconds between runs with --watch', '60')
        .option('--channels <file>', 'channel rules CSV (Marketo Measure layout); default: the built-in sheet')
        .option('--full', 're-read every call Task, not only those changed since the last run (still writes only changes)')
        .option('--target-org <alias>', 'use an org the Salesforce CLI (sf) is logged in to instead of SF_* variables')
        .action(async (opts) => {
        if (Boolean(opts.once) === Boolean(opts.watch)) {
            process.stderr.write('join: choose one of --once (a single run) or --watch (keep running)\n');
            process.exitCode = 1;
            return;
        }
        const interval = Number(opts.interval);
        if (!Number.isFinite(interval) || interval < 1) {
            process.stderr.write(`join: --interval must be a number of seconds >= 1, got "${opts.interval}"\n`);
            process.exitCode = 1;
            return;
        }
        const config = (0, config_1.loadConfig)();
        if (!(0, salesforce_1.hasOrgConfig)(config, opts.targetOrg)) {
            process.stderr.write(salesforce_1.SF_ENV_HELP + '\n');
            process.exitCode = 1;
            return;
        }
        const logger = (0, log_1.createLogger)({ name: 'join', level: process.env.LOG_LEVEL ?? 'warn' });
        let store = null;
        try {
            const rules = loadRules(opts.channels);
            const org = await (0, salesforce_1.connect)(config, { targetOrg: opts.targetOrg, logger });
            store = await (0, store_1.createStore)({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
            process.stdout.write(`Joining calls in ${org.describe()} with sessions from ${store.description}\n`);
            const deps = {
                gateway: new salesforce_1.Gateway(org, { logger }),
                store,
                rules,
                bizibleIdField: config.bizibleIdField,
                logger,
                progress: progressReporter(),
            };
            if (opts.once) {
                const summary = await (0, salesforce_1.runJoinOnce)(deps, { full: opts.full });
                printSummary(summary);
                if (summary.failed.length > 0)
                    process.exitCode = 1;
                return;
            }
            if (opts.full)
                await (0, salesforce_1.runJoinOnce)(deps, { full: true }).then(printSummary);
            const watch = (0, salesforce_1.startJoinWatch)(deps, {
                intervalMs: interval * 1000,
                onSummary: (s) => {
                    process.stdout.write(`[${new Date().toISOString()}] `);
                    printSummary(s);
                },
                onError: (err) => process.stderr.write(`join: ${err.message}\n`),
            });
            await new Promise((resolve) => {
                const stop = () => resolve();
                process.once('SIGINT', stop);
                process.once('SIGTERM', stop);
            });
            process.stdout.write('Stopping after the current run…\n');
            await watch.stop();
        }
        catch (err) {
            if (err instanceof salesforce_1.ConnectionError ||
                err instanceof salesforce_1.SalesforceApiError ||
                err instanceof salesforce_1.JoinSetupError ||
                err instanceof FlagError) {
                process.stderr.write(`join: ${err.message}\n`);
                process.exitCode = 1;
                return;
            }
            throw err;
        }
        finally {
            await store?.close();
        }
    });
}
//# sourceMappingURL=join.js.map