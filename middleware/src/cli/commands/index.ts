import type { Command } from 'commander';
import { register as simulate } from './simulate';
import { register as serve } from './serve';
import { register as localOrg } from './local-org';
import { register as deploy } from './deploy';
import { register as join } from './join';
import { register as importEvents } from './import-events';
import { register as outbox } from './outbox';
import { register as erase } from './erase';

/**
 * Each subcommand lives in its own file under cli/commands/ and exports `register(program)`.
 * Add its import and its entry in `commands` here.
 */
export type Register = (program: Command) => void;

export const commands: Register[] = [simulate, serve, localOrg, deploy, join, importEvents, outbox, erase];
