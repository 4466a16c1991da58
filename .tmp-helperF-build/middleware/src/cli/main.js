"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildProgram = buildProgram;
exports.main = main;
const commander_1 = require("commander");
const node_fs_1 = __importDefault(require("node:fs"));
const commands_1 = require("./commands");
const project_root_1 = require("../project-root");
function buildProgram() {
    const program = new commander_1.Command();
    program
        .name('call-touchpoints')
        .description('Ties phone calls (Salesforce Tasks with a BizibleId) to the web sessions that produced them ' +
        'and writes attribution touchpoints back to Salesforce.')
        .version(JSON.parse(node_fs_1.default.readFileSync((0, project_root_1.projectFile)('package.json'), 'utf8')).version)
        .showHelpAfterError('(run with --help for usage)');
    for (const register of commands_1.commands)
        register(program);
    return program;
}
async function main(argv) {
    await buildProgram().parseAsync(argv);
}
//# sourceMappingURL=main.js.map