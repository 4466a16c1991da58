import { Command } from 'commander';
import fs from 'node:fs';
import { commands } from './commands';
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

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
