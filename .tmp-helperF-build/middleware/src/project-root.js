"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.projectRoot = projectRoot;
exports.projectFile = projectFile;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
let cached = null;
/**
 * The project's root folder (where package.json and force-app/ live). Works from the TypeScript
 * sources (tests) and from the compiled dist/ tree alike, which sit at different depths.
 */
function projectRoot() {
    if (cached)
        return cached;
    let dir = __dirname;
    for (;;) {
        const pkg = node_path_1.default.join(dir, 'package.json');
        if (node_fs_1.default.existsSync(pkg) && JSON.parse(node_fs_1.default.readFileSync(pkg, 'utf8')).name === 'call-touchpoints') {
            cached = dir;
            return dir;
        }
        const parent = node_path_1.default.dirname(dir);
        if (parent === dir)
            throw new Error(`call-touchpoints: cannot find the project root above ${__dirname}`);
        dir = parent;
    }
}
/** A file shipped with the project (default channel sheet, snippet, force-app), by path from the root. */
function projectFile(...segments) {
    return node_path_1.default.join(projectRoot(), ...segments);
}
//# sourceMappingURL=project-root.js.map