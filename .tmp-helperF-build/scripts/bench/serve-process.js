"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.freePort = freePort;
exports.startServe = startServe;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_net_1 = __importDefault(require("node:net"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const project_root_1 = require("../../middleware/src/project-root");
const stats_1 = require("./stats");
async function freePort() {
    return new Promise((resolve, reject) => {
        const srv = node_net_1.default.createServer();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const address = srv.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            srv.close(() => resolve(port));
        });
    });
}
/**
 * Environment of a default-mode server: no org configured (→ embedded local org), no
 * DATABASE_URL (→ SQLite under the data dir), whatever the benchmark runner's own shell has.
 */
function defaultModeEnv(port, dataDir, extra) {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
        if (key.startsWith('SF_') || key === 'DATABASE_URL')
            delete env[key];
    }
    return { ...env, LOG_LEVEL: 'warn', ...extra, PORT: String(port), CALL_TOUCHPOINTS_DATA_DIR: dataDir };
}
async function waitReady(child, baseUrl, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
        if (child.exitCode !== null)
            throw new Error(`serve exited with code ${child.exitCode} before it was ready`);
        try {
            const res = await fetch(`${baseUrl}/healthz`);
            await res.arrayBuffer();
            if (res.ok)
                return;
            last = `/healthz answered ${res.status}`;
        }
        catch (err) {
            last = err.message;
        }
        await (0, stats_1.sleep)(100);
    }
    throw new Error(`serve was not ready within ${timeoutMs} ms (${last})`);
}
async function startServe(options = {}) {
    const port = await freePort();
    const dataDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'ct-bench-serve-'));
    const child = (0, node_child_process_1.spawn)(process.execPath, [(0, project_root_1.projectFile)('bin', 'call-touchpoints.js'), 'serve'], {
        env: defaultModeEnv(port, dataDir, options.env ?? {}),
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => {
        stderr += d.toString();
        if (stderr.length > 64_000)
            stderr = stderr.slice(-32_000);
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', () => resolve()));
            child.kill('SIGINT');
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
        }
        node_fs_1.default.rmSync(dataDir, { recursive: true, force: true });
    };
    try {
        await waitReady(child, baseUrl, options.readyTimeoutMs ?? 60_000);
    }
    catch (err) {
        await stop();
        const tail = stderr.split('\n').slice(-15).join('\n');
        throw new Error(`${err.message}\n--- serve stderr (tail) ---\n${tail}`);
    }
    return { pid: child.pid, port, baseUrl, dataDir, output: () => stdout, stop };
}
//# sourceMappingURL=serve-process.js.map