"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESULT_PREFIX = void 0;
exports.printBenchResult = printBenchResult;
exports.parseBenchResult = parseBenchResult;
/**
 * The one convention every benchmark script follows so `npm run bench` can collect numbers
 * without scraping human output: the script's last stdout line is `BENCH_RESULT {json}`.
 * Everything else a script prints is progress for the human watching.
 */
exports.RESULT_PREFIX = 'BENCH_RESULT ';
/** Prints the machine-readable result line (call once, at the end). */
function printBenchResult(result) {
    process.stdout.write(`${exports.RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
/** The last `BENCH_RESULT` object in a script's stdout, or null when it printed none. */
function parseBenchResult(stdout) {
    const lines = stdout.split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i].trim();
        if (!line.startsWith(exports.RESULT_PREFIX.trim()))
            continue;
        try {
            const value = JSON.parse(line.slice(exports.RESULT_PREFIX.trim().length));
            if (value && typeof value === 'object' && !Array.isArray(value))
                return value;
        }
        catch {
            // a malformed line is treated as missing; the orchestrator reports the script's output
        }
    }
    return null;
}
//# sourceMappingURL=result.js.map