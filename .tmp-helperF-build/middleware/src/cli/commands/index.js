"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.commands = void 0;
exports.commands = [];
exports.commands.push(require('./simulate').register);
exports.commands.push(require('./serve').register);
exports.commands.push(require('./local-org').register);
//# sourceMappingURL=index.js.map