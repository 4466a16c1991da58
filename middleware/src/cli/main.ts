import { Command } from 'commander';
import { commands } from './commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('call-touchpoints')
    .description(
      'Ties phone calls (Salesforce Tasks with a BizibleId) to the web sessions that produced them\n' +
        'and writes attribution touchpoints back to Salesforce.',
    )
    .version(require('../../../package.json').version)
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
