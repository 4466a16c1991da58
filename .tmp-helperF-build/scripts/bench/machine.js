"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeMachine = describeMachine;
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_child_process_1 = require("node:child_process");
function cpuModel() {
    try {
        const m = /^model name\s*:\s*(.+)$/m.exec(node_fs_1.default.readFileSync('/proc/cpuinfo', 'utf8'));
        if (m)
            return m[1].trim();
    }
    catch {
        // not Linux: fall through to what Node reports
    }
    return node_os_1.default.cpus()[0]?.model ?? 'unknown';
}
function gitCommit(cwd) {
    try {
        return (0, node_child_process_1.execFileSync)('git', ['rev-parse', '--short', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
            .toString()
            .trim();
    }
    catch {
        return null;
    }
}
function describeMachine(projectRoot) {
    return {
        cpuModel: cpuModel(),
        cores: node_os_1.default.availableParallelism(),
        ramGb: Math.round((node_os_1.default.totalmem() / 1024 ** 3) * 10) / 10,
        node: process.version,
        os: `${node_os_1.default.type()} ${node_os_1.default.release()} ${node_os_1.default.arch()}`,
        loadAverage1m: Math.round(node_os_1.default.loadavg()[0] * 100) / 100,
        gitCommit: gitCommit(projectRoot),
    };
}
//# sourceMappingURL=machine.js.map