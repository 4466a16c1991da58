import type { Command } from 'commander';
import { SalesforceApiError } from '../salesforce/port';
import { UserError } from '../user-error';

/**
 * The one place CLI commands turn errors into output and exit codes. A user mistake (UserError:
 * a setting, a file, the org's permissions) and an error the Salesforce API answered are printed as
 * `COMMAND: message` with the error's exit code, no stack trace. Anything else is a bug and is
 * rethrown (bin/call-touchpoints.js prints it and exits 1).
 */

/** serve's and join's --adopt (join/adopt.ts). */
export const ADOPT_HELP =
  "a store that never joined, against an org with Tasks already joined: keep the org's joined Tasks and touchpoints as they are and join only Tasks changed from now on (without it, start-up refuses)";

/** serve refuses to start: its configuration (settings, channel sheet, store) must be fixed first. */
export const START_REFUSED_EXIT_CODE = 2;

/** A flag or argument given wrong (every command's, its parser's or its action's): one exit code. */
export const FLAG_ERROR_EXIT_CODE = 2;

/** A flag error: printed `COMMAND: message` like every other user mistake, exit FLAG_ERROR_EXIT_CODE. */
export function flagError(message: string): UserError {
  return new UserError(message, FLAG_ERROR_EXIT_CODE);
}

/**
 * The command a parse was for (`serve`, `outbox`…), for the message of an error thrown while
 * commander parsed its flags (an option's parser), before any action ran.
 */
export function commandOf(program: Command, argv: readonly string[]): string {
  const names = new Set(program.commands.map((c) => c.name()));
  return argv.slice(2).find((a) => names.has(a)) ?? program.name();
}

function exitCodeOf(err: unknown): number | null {
  if (err instanceof UserError) return err.exitCode;
  if (err instanceof SalesforceApiError) return 1;
  return null;
}

/** For commands that finish: prints `name: message` on stderr and sets the exit code, or rethrows. */
export function reportCommandError(name: string, err: unknown): void {
  const exitCode = exitCodeOf(err);
  if (exitCode === null) throw err;
  process.stderr.write(`${name}: ${(err as Error).message}\n`);
  process.exitCode = exitCode;
}

/**
 * For serve's start-up: a user mistake stops it through commander (exit 2, with the usage hint), so
 * an embedding program's exitOverride sees it; anything else is rethrown.
 */
export function refuseStart(program: Command, err: unknown): never {
  if (exitCodeOf(err) === null) throw err;
  program.error(`call-touchpoints serve: ${(err as Error).message}`, { exitCode: START_REFUSED_EXIT_CODE });
}

/** A command's action with its errors reported by reportCommandError (config errors included). */
export function reportingErrors<A extends unknown[]>(
  name: string,
  action: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (err) {
      reportCommandError(name, err);
    }
  };
}
