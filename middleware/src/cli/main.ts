import { Command } from 'commander';
import fs from 'node:fs';
import { commands } from './commands';
import { commandOf, reportCommandError } from './errors';
import { projectFile } from '../project-root';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('call-touchpoints')
    .description(
      'Ties phone calls (Salesforce Tasks with a BizibleId) to the web sessions that produced them ' +
        'and writes attribution touchpoints back to Salesforce.',
    )
    .version(JSON.parse(fs.readFileSync(projectFile('package.json'), 'utf8')).version)
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) register(program);
  return program;
}

/**
 * Runs the CLI. A user mistake that escapes commander's parse — an option parser's flagError, thrown
 * before any action runs — is printed like a command's own (cli/errors.ts).
 */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    reportCommandError(commandOf(program, argv), err);
  }
}
