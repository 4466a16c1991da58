"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.snippetPath = snippetPath;
exports.loadSnippet = loadSnippet;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_zlib_1 = require("node:zlib");
/**
 * The browser snippet is a plain JavaScript file (snippet.js next to this module) so it can be
 * read, linted and opened in a browser as is. tsc does not copy .js files into dist/, so it is
 * found from the project root (the nearest package.json above this module that holds it): this
 * works from middleware/src (tests) and from dist/middleware/src (the built CLI), the same way
 * the default channel sheet is found. Read once, with its gzip form and ETag precomputed.
 */
const RELATIVE_PATH = (0, node_path_1.join)('middleware', 'src', 'tracking', 'snippet.js');
let cached = null;
function snippetPath() {
    let dir = __dirname;
    for (;;) {
        if ((0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'package.json')) && (0, node_fs_1.existsSync)((0, node_path_1.join)(dir, RELATIVE_PATH)))
            return (0, node_path_1.join)(dir, RELATIVE_PATH);
        const parent = (0, node_path_1.dirname)(dir);
        if (parent === dir)
            throw new Error(`tracking snippet ${RELATIVE_PATH} not found above ${__dirname}`);
        dir = parent;
    }
}
function loadSnippet() {
    if (!cached) {
        const source = (0, node_fs_1.readFileSync)(snippetPath());
        cached = {
            source,
            gzipped: (0, node_zlib_1.gzipSync)(source, { level: 9 }),
            etag: `"${(0, node_crypto_1.createHash)('sha256').update(source).digest('base64url').slice(0, 27)}"`,
        };
    }
    return cached;
}
//# sourceMappingURL=snippet-file.js.map