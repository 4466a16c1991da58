import type { Command } from 'commander';

/**
 * Each subcommand lives in its own file under cli/commands/ and exports `register(program)`.
 * Add one line here per command.
 */
export type Register = (program: Command) => void;

export const commands: Register[] = [];
commands.push((require('./simulate') as typeof import('./simulate')).register);
commands.push((require('./serve') as typeof import('./serve')).register);
commands.push((require('./local-org') as typeof import('./local-org')).register);
commands.push((require('./deploy') as typeof import('./deploy')).register);
commands.push((require('./join') as typeof import('./join')).register);
commands.push((require('./import-events') as typeof import('./import-events')).register);
