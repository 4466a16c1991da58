"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.commands = void 0;
exports.commands = [];
exports.commands.push(require('./simulate').register);
exports.commands.push(require('./serve').register);
exports.commands.push(require('./local-org').register);
exports.commands.push(require('./deploy').register);
exports.commands.push(require('./join').register);
exports.commands.push(require('./import-events').register);
//# sourceMappingURL=index.js.map