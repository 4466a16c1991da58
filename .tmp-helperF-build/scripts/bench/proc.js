"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readProcMemory = readProcMemory;
const node_fs_1 = __importDefault(require("node:fs"));
function kbField(status, name) {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) : null;
}
/** Memory of `pid`, or null when the process is gone or /proc is unavailable (not Linux). */
function readProcMemory(pid) {
    let status;
    try {
        status = node_fs_1.default.readFileSync(`/proc/${pid}/status`, 'utf8');
    }
    catch {
        return null;
    }
    const rss = kbField(status, 'VmRSS');
    const hwm = kbField(status, 'VmHWM');
    if (rss === null)
        return null;
    return { rssMb: rss / 1024, peakRssMb: (hwm ?? rss) / 1024 };
}
//# sourceMappingURL=proc.js.map