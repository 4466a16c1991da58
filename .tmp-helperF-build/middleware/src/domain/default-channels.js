"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defaultChannelSheetPath = defaultChannelSheetPath;
exports.defaultChannelRules = defaultChannelRules;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const channels_1 = require("./channels");
/**
 * Our default channel sheet (R12) is the CSV file next to this module, so admins can read it and
 * copy it as the start of their own. tsc does not copy .csv files into dist/, so the file is found
 * from the project root (the nearest package.json above this module), which works both from
 * middleware/src (tests) and dist/middleware/src (the built CLI). This is the domain's only file
 * read: a shipped resource, read once and cached — never runtime data.
 */
const RELATIVE_PATH = (0, node_path_1.join)('middleware', 'src', 'domain', 'default-channels.csv');
let cached = null;
function defaultChannelSheetPath() {
    let dir = __dirname;
    for (;;) {
        if ((0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'package.json')) && (0, node_fs_1.existsSync)((0, node_path_1.join)(dir, RELATIVE_PATH)))
            return (0, node_path_1.join)(dir, RELATIVE_PATH);
        const parent = (0, node_path_1.dirname)(dir);
        if (parent === dir)
            throw new Error(`default channel sheet ${RELATIVE_PATH} not found above ${__dirname}`);
        dir = parent;
    }
}
function defaultChannelRules() {
    if (!cached)
        cached = (0, channels_1.parseChannelSheet)((0, node_fs_1.readFileSync)(defaultChannelSheetPath(), 'utf8'));
    return cached;
}
//# sourceMappingURL=default-channels.js.map