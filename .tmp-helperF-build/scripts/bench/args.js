"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.numericFlags = numericFlags;
const node_util_1 = require("node:util");
/**
 * Numeric `--name value` flags of a bench script, with defaults; a bad value names the flag.
 * (The scripts are run by the orchestrator, but each also runs on its own: `node dist/… --help`.)
 */
function numericFlags(usage, defaults, argv = process.argv.slice(2)) {
    const options = {};
    for (const k of Object.keys(defaults))
        options[k] = { type: 'string' };
    let parsed;
    try {
        parsed = (0, node_util_1.parseArgs)({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true });
    }
    catch (err) {
        process.stderr.write(`${err.message}\n${usage}\n`);
        process.exit(2);
    }
    if (parsed.values.help) {
        process.stdout.write(`${usage}\n`);
        process.exit(0);
    }
    const out = { ...defaults };
    for (const k of Object.keys(defaults)) {
        const raw = parsed.values[k];
        if (raw === undefined)
            continue;
        const n = Number(raw);
        if (!Number.isFinite(n) || n < 0) {
            process.stderr.write(`--${k} must be a non-negative number, got "${String(raw)}"\n${usage}\n`);
            process.exit(2);
        }
        out[k] = n;
    }
    return out;
}
//# sourceMappingURL=args.js.map