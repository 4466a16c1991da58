"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runChild = runChild;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const proc_1 = require("./proc");
const result_1 = require("./result");
/**
 * Runs `node script args` as its own process so its memory is its own, echoes its output with a
 * `[name]` prefix as progress, and collects the `BENCH_RESULT` line it prints last.
 */
async function runChild(name, script, args, opts) {
    const started = Date.now();
    const echo = opts.echo ?? ((line) => process.stdout.write(`  [${name}] ${line}\n`));
    if (!node_fs_1.default.existsSync(script)) {
        return {
            status: 'missing',
            exitCode: null,
            durationS: 0,
            peakRssMb: null,
            result: null,
            stdout: '',
            stderrTail: `${script} does not exist (not written yet, or not built: run npm run build)`,
        };
    }
    const child = (0, node_child_process_1.spawn)(process.execPath, [script, ...args], {
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = null;
    const sample = () => {
        const mem = child.pid ? (0, proc_1.readProcMemory)(child.pid) : null;
        if (mem)
            peak = Math.max(peak ?? 0, mem.peakRssMb);
    };
    const poll = setInterval(sample, 200);
    const lineEcho = (prefix) => {
        let partial = '';
        return (d) => {
            partial += d.toString();
            const lines = partial.split('\n');
            partial = lines.pop() ?? '';
            for (const l of lines)
                if (l.trim() && !l.startsWith('BENCH_RESULT'))
                    echo(prefix + l.replace(/\r/g, ''));
        };
    };
    const echoOut = lineEcho('');
    const echoErr = lineEcho('');
    child.stdout.on('data', (d) => {
        stdout += d.toString();
        echoOut(d);
    });
    child.stderr.on('data', (d) => {
        stderr += d.toString();
        if (stderr.length > 200_000)
            stderr = stderr.slice(-100_000);
        echoErr(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, opts.timeoutS * 1000);
    const exitCode = await new Promise((resolve) => {
        child.on('error', () => resolve(null));
        child.on('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    clearInterval(poll);
    const result = (0, result_1.parseBenchResult)(stdout);
    const status = timedOut
        ? 'timeout'
        : exitCode !== 0
            ? 'failed'
            : result === null
                ? 'no-result'
                : 'ok';
    return {
        status,
        exitCode,
        durationS: Math.round((Date.now() - started) / 100) / 10,
        peakRssMb: peak === null ? null : Math.round(peak),
        result,
        stdout,
        stderrTail: stderr.split('\n').slice(-20).join('\n'),
    };
}
//# sourceMappingURL=run-child.js.map