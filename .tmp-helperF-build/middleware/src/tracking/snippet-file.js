"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.snippetPath = snippetPath;
exports.loadSnippet = loadSnippet;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_zlib_1 = require("node:zlib");
const project_root_1 = require("../project-root");
let cached = null;
function snippetPath() {
    return (0, project_root_1.projectFile)('middleware', 'src', 'tracking', 'snippet.js');
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